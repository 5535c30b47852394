// Online visitors: the Visitors page shows a visitor on the host page and follows their
// in-page navigation live; an operator writes first and the message pops up beside the
// widget's launcher, opening the chat on a click.
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, OWNER, signIn, test } from "./support";

test("the Visitors page follows a visitor live, and a proactive message opens in the widget", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Visitors" }).click();
  await expect(owner).toHaveURL(/\/w\/acme-support\/visitors$/);
  await expect(owner.getByRole("status").filter({ hasText: /online|Nobody/ })).toBeVisible();

  // A visitor arrives: the widget loads by itself once the page is idle.
  await visitor.goto(`${SITE}/?from=ad`);
  const rows = owner.getByRole("table").getByRole("row");
  const row = rows.filter({ hasText: `${SITE}/?from=ad` });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Acme Shop");

  // An in-page navigation (a single-page app) shows up without a reload.
  const path = `/products/${Date.now()}`;
  await visitor.evaluate((p) => {
    history.pushState({}, "", p);
    document.title = "Products";
  }, path);
  const moved = rows.filter({ hasText: `${SITE}${path}` });
  await expect(moved).toBeVisible();
  await expect(moved).toContainText("2");

  // The operator writes first.
  await moved.getByRole("button", { name: "Message" }).click();
  const hello = `Can I help you find something? ${Date.now()}`;
  await moved.getByLabel("First message").fill(hello);
  await moved.getByRole("button", { name: "Send" }).click();
  await expect(owner.getByText("Message sent: the conversation is yours.")).toBeVisible();
  const popup = visitor.getByRole("button", { name: "New message" });
  await expect(popup).toContainText(hello);
  await popup.click();
  await expect(visitor.getByRole("log", { name: "Messages" }).getByText(hello)).toBeVisible();
  await expect(popup).toBeHidden();
  // The visitor's row now links to the conversation.
  await expect(moved.getByRole("link", { name: /^#\d+$/ })).toBeVisible();
  expect(errors).toEqual([]);
});
