// The operator app installs as a PWA: a web manifest with icons, a service worker that
// controls the app, keeps the app shell and shows an offline page without a connection.
import { expect } from "@playwright/test";
import { PARLEY } from "../playwright.config";
import { collectErrors, live, signIn, test } from "./support";

test("the operator app installs as a PWA and shows an offline page without a connection", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await signIn(page);

  // The manifest makes it installable: a standalone app with icons, starting in the inbox.
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  const manifest = await (await page.request.get(`${PARLEY}/manifest.webmanifest`)).json();
  expect([manifest.display, manifest.start_url]).toEqual(["standalone", "/inbox"]);
  expect(manifest.icons.map((icon: { sizes: string }) => icon.sizes)).toEqual(
    expect.arrayContaining(["192x192", "512x512"]),
  );
  for (const icon of manifest.icons) {
    expect((await page.request.get(`${PARLEY}${icon.src}`)).ok()).toBe(true);
  }

  // The service worker activates and controls the app once it reloads.
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state ?? ""))
    .toBe("activated");
  await page.reload();
  await live(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${PARLEY}/sw.js`);

  // Without a connection, opening Parley shows the offline page (from the worker's cache).
  await context.setOffline(true);
  await page.goto(`${PARLEY}/inbox`);
  await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await expect(page.locator("img")).toHaveJSProperty("naturalWidth", 192);
  await context.setOffline(false);
  await page.getByRole("link", { name: "Try again" }).click();
  await live(page);
  // Chromium logs every load that fails while offline (the page's own calls in flight
  // when the network went away); anything else is an error.
  expect(errors.filter((e) => e !== "Failed to load resource: net::ERR_INTERNET_DISCONNECTED")).toEqual([]);
});
