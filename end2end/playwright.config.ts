// Browser tests run in Debian's Chromium (/usr/bin/chromium); Playwright never
// downloads a browser here. Two servers start first: Parley on a fresh database, and a
// plain HTML "customer site" on another port that embeds the widget with its snippet.
import { defineConfig } from "@playwright/test";

// PARLEY_E2E_PORT (default 3456) moves both servers (the host site takes the next port),
// and PARLEY_E2E_DIR (default /tmp/parley-e2e) their data, so two checkouts can run the
// browser tests at once.
const PORT = Number(process.env.PARLEY_E2E_PORT || 3456);
const DIR = process.env.PARLEY_E2E_DIR || "/tmp/parley-e2e";
export const PARLEY = `http://127.0.0.1:${PORT}`;
export const SITE = `http://127.0.0.1:${PORT + 1}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // CI's machine is small and shared: a test that fails there is run once more, and the
  // report lists it as flaky with its first failure (locally a failure is a failure).
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // A fake microphone (a beep) that needs no permission prompt, for voice messages.
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
      ],
    },
  },
  webServer: [
    {
      command: "bash ../scripts/e2e-server.sh",
      env: { PARLEY_E2E_PORT: String(PORT), PARLEY_E2E_DIR: DIR },
      url: `${PARLEY}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "node host-site.mjs",
      env: { SITE_PORT: String(PORT + 1), PARLEY_E2E_WORKSPACE: `${DIR}/workspace.json` },
      url: `${SITE}/healthz`,
      timeout: 30_000,
      reuseExistingServer: false,
    },
  ],
});
