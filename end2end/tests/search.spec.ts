// Finding conversations: Ctrl+K goes to the search box, results show where the words
// are (marked), filters narrow them, and a search saved as a view becomes a tab with its
// count that follows new conversations live; the colleague never sees a personal view.
import { expect } from "@playwright/test";
import { SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, OWNER, signIn, test } from "./support";

test("search, filter and save a view", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, colleague, visitor);
  await signIn(owner, OWNER);
  await signIn(colleague, COLLEAGUE);

  const token = `${Date.now()}`.slice(-7);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `My parcel P${token} arrived <b>damaged</b>`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  const inbox = owner.getByRole("navigation", { name: "Conversations" });
  await expect(inbox.getByText(question)).toBeVisible();

  // Ctrl+K from anywhere, then the words: the hit shows the found word marked.
  await owner.keyboard.press("Control+k");
  await expect(owner.getByRole("searchbox", { name: "Search conversations" })).toBeFocused();
  await owner.keyboard.type(`p${token}`);
  await owner.keyboard.press("Enter");
  const results = owner.getByRole("region", { name: "Search results" });
  await expect(results.getByRole("status")).toContainText("1 conversation found");
  const hit = results.getByRole("link").filter({ hasText: "arrived" });
  await expect(hit.locator("mark")).toHaveText(`P${token}`);
  // Markup a visitor wrote is shown as text.
  await expect(hit).toContainText("<b>damaged</b>");

  // A filter narrows the search: nothing critical matches.
  await owner.getByRole("group", { name: "Filters" }).getByLabel("Critical").check();
  await expect(results.getByRole("status")).toContainText("0 conversations found");
  await owner.getByRole("group", { name: "Filters" }).getByLabel("Critical").uncheck();
  await expect(results.getByRole("status")).toContainText("1 conversation found");
  // So do the contact type and the creation dates.
  const filters = owner.getByRole("group", { name: "Filters" });
  await filters.getByLabel("Contact type filter").selectOption("customer");
  await expect(results.getByRole("status")).toContainText("0 conversations found");
  await filters.getByLabel("Contact type filter").selectOption("guest");
  await expect(results.getByRole("status")).toContainText("1 conversation found");
  await filters.getByLabel("Created from").fill("2099-01-01");
  await expect(results.getByRole("status")).toContainText("0 conversations found");
  await filters.getByLabel("Created from").fill("");
  await expect(results.getByRole("status")).toContainText("1 conversation found");
  await filters.getByLabel("Contact type filter").selectOption("");

  // Saved as a personal view: a tab with its count, which a new match raises live.
  const viewName = `Parcels ${token}`;
  await results.getByLabel("View name").fill(viewName);
  await results.getByRole("button", { name: "Save view" }).click();
  const tab = owner.getByRole("tablist", { name: "Saved views" }).getByRole("tab", { name: new RegExp(viewName) });
  await expect(tab).toHaveAttribute("aria-selected", "true");
  await expect(tab.locator(".count")).toHaveText("1");
  const second = await (await browser.newContext()).newPage();
  errors.push(...collectErrors(second));
  await second.goto(`${SITE}/`);
  await second.getByRole("button", { name: "Open chat" }).click();
  await second.getByRole("textbox", { name: "Message" }).fill(`Where is P${token}?`);
  await second.getByRole("button", { name: "Send" }).click();
  await expect(tab.locator(".count")).toHaveText("2");
  await expect(results.getByRole("status")).toContainText("2 conversations found");

  // The colleague does not see the owner's personal view.
  await expect(colleague.getByRole("tab", { name: new RegExp(viewName) })).toHaveCount(0);

  // Both found conversations closed at once: "all matching", then one action.
  await results.getByRole("checkbox", { name: /^Select / }).first().check();
  await owner.getByRole("button", { name: "Select all matching" }).click();
  const bulk = owner.getByRole("toolbar", { name: "Bulk actions" });
  await expect(bulk.getByRole("status")).toHaveText("All matching selected");
  await bulk.getByLabel("Bulk action").selectOption({ label: "Close as resolved" });
  await bulk.getByRole("button", { name: "Apply" }).click();
  await expect(owner.getByText("2 conversations changed.")).toBeVisible();
  await expect(results.getByRole("link").filter({ hasText: "arrived" })).toContainText("closed");
  await expect(bulk).toBeHidden();

  // Opening a hit opens the conversation; the view is deleted again.
  await hit.click();
  await expect(owner.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();
  await results.getByRole("button", { name: "Delete view" }).click();
  await expect(owner.getByRole("tab", { name: new RegExp(viewName) })).toHaveCount(0);
  await expect(owner.getByRole("tablist", { name: "Views" }).getByRole("tab", { name: /^Live/ })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  expect(errors).toEqual([]);
});
