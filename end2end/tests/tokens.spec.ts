// API access tokens: an admin makes one in Settings, copies the secret from the one
// answer that shows it, the public API answers it, and once revoked it is refused.
import { expect } from "@playwright/test";
import { PARLEY } from "../playwright.config";
import { collectErrors, live, OWNER, signIn, test } from "./support";

test("an access token is made, used against the API and revoked", async ({ browser, playwright }) => {
  const owner = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner);
  await signIn(owner, OWNER);
  await owner.goto(`${PARLEY}/settings/tokens`);
  // Typed before hydration, the name would not reach the page's state.
  await live(owner);
  const form = owner.getByRole("form", { name: "New token" });
  const name = `CRM sync ${Date.now()}`;
  await form.getByLabel("Token name").fill(name);
  await form.getByRole("checkbox", { name: "workspace:read" }).check();
  await form.getByRole("button", { name: "Make token" }).click();
  const secretField = owner.getByRole("textbox", { name: "New token" });
  await expect(secretField).toHaveValue(/^pat_[A-Za-z0-9_-]{40,}$/);
  const secret = await secretField.inputValue();
  const row = owner.getByRole("table", { name: "Tokens" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("workspace:read");
  await expect(row).toContainText("Not yet");

  // A program with the token (no cookies) reads the workspace.
  const api = await playwright.request.newContext();
  const auth = { Authorization: `Bearer ${secret}` };
  const workspace = await api.get(`${PARLEY}/api/v1/workspace`, { headers: auth });
  expect(workspace.status()).toBe(200);
  expect((await workspace.json()).name).toBe("Acme Support");

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Revoke for good" }).click();
  await expect(owner.getByText("Token revoked.")).toBeVisible();
  await expect(row).toBeHidden();
  expect((await api.get(`${PARLEY}/api/v1/me`, { headers: auth })).status()).toBe(401);
  await api.dispose();
  expect(errors).toEqual([]);
});
