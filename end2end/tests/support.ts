// What every browser test does the same way: signing in as a member of the e2e
// workspace (scripts/e2e-server.sh creates the owner and Ada), and collecting page errors.
import { expect, type Page } from "@playwright/test";
import { PARLEY } from "../playwright.config";

export const OWNER = "owner@acme.test";
/** An operator beside the owner. */
export const COLLEAGUE = "ada@acme.test";
export const PASSWORD = "correct horse battery";

/** Signs in and waits until the page is hydrated and its socket live. */
export async function signIn(page: Page, email = OWNER, password = PASSWORD) {
  await page.goto(`${PARLEY}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
}

/**
 * Whether a console error comes from this machine rather than the app: the test machine
 * has no sound card, so Chromium reports the notification sound's audio device failing;
 * and Playwright's contexts are incognito, where Chromium has no Push API (Web Push is
 * tested against a loopback push service in server/tests/push.rs instead).
 */
export function machineNoise(text: string): boolean {
  return (
    text.startsWith("The AudioContext encountered an error from the audio device") ||
    text.startsWith("Chrome currently does not support the Push API in incognito mode")
  );
}

/** Collects uncaught errors and console errors of `pages` into the returned list. */
export function collectErrors(...pages: Page[]): string[] {
  const errors: string[] = [];
  for (const page of pages) {
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("console", (msg) => {
      if (msg.type() === "error" && !machineNoise(msg.text())) errors.push(msg.text());
    });
  }
  return errors;
}
