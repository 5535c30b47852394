// Content-Security-Policy: the operator app hydrates under its own nonce-based policy,
// and the widget works on a customer page whose strict policy allows only what
// docs/WIDGET.md asks hosts to allow (no inline scripts or styles).
import { expect, type Page } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { live, machineNoise, test } from "./support";

function watchErrors(page: Page, errors: string[]) {
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    if ((msg.type() === "error" && !machineNoise(msg.text())) || /Content Security Policy/i.test(msg.text())) errors.push(msg.text());
  });
}

test("the widget works on a host page with a strict Content-Security-Policy", async ({ page }) => {
  const errors: string[] = [];
  watchErrors(page, errors);
  const response = await page.goto(`${SITE}/strict-csp`);
  expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");

  const launcher = page.getByRole("button", { name: "Open chat" });
  // Styled, although the page allows no inline styles: the launcher floats in its corner.
  await expect(launcher).toHaveCSS("position", "fixed");
  await launcher.click();
  const panel = page.getByRole("dialog");
  await expect(panel).toBeVisible();
  await expect(panel).toHaveCSS("position", "fixed");

  const text = `Strict site question ${Date.now()}`;
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  const log = page.getByRole("log", { name: "Messages" });
  // Acknowledged by the server (no longer drawn as pending) before the reload: a reload
  // while it is still on its way would race the send.
  await expect(log.locator(".msg.visitor:not(.pending)").filter({ hasText: text })).toBeVisible();
  // Stored by the server (not only drawn): it is still there after a reload.
  await page.reload();
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect(page.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  expect(errors).toEqual([]);
});

test("the operator app hydrates under its nonce-based policy", async ({ page }) => {
  const errors: string[] = [];
  watchErrors(page, errors);
  const response = await page.goto(`${PARLEY}/login`);
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22,}'/);
  expect(policy).not.toContain("unsafe-inline");
  // Signed in, the frame's socket connects: only the hydrated wasm opens it.
  await page.getByLabel("Email").fill("owner@acme.test");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await live(page);
  expect(errors).toEqual([]);
});
