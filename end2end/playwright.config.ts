// Browser tests run in Debian's Chromium (/usr/bin/chromium); Playwright never
// downloads a browser here. Two servers start first: Parley on a fresh database, and a
// plain HTML "customer site" on another port that embeds the widget with its snippet.
import { defineConfig } from "@playwright/test";

export const PARLEY = "http://127.0.0.1:3456";
export const SITE = "http://127.0.0.1:3457";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
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
      ],
    },
  },
  webServer: [
    {
      command: "bash ../scripts/e2e-server.sh",
      url: `${PARLEY}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "node host-site.mjs",
      url: `${SITE}/healthz`,
      timeout: 30_000,
      reuseExistingServer: false,
    },
  ],
});
