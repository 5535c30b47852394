// Triage by keyboard alone: the shortcuts open the list's conversations, write a reply,
// close with an outcome and show their own list; and the inbox has no accessibility
// violations axe can find.
import AxeBuilder from "@axe-core/playwright";
import { expect } from "@playwright/test";
import { SITE } from "../playwright.config";
import { collectErrors, OWNER, signIn, test } from "./support";

test("a conversation is triaged by keyboard alone", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);

  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Keyboard question ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  const inbox = owner.getByRole("navigation", { name: "Conversations" });
  await expect(inbox.getByText(question)).toBeVisible();

  // ? lists the shortcuts; Escape closes the list.
  await owner.keyboard.press("?");
  const help = owner.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Next / previous conversation");
  await owner.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // j goes to the newest row (this conversation), Enter opens it.
  await owner.keyboard.press("j");
  const row = inbox.getByRole("link").filter({ hasText: question });
  await expect(row).toBeFocused();
  await owner.keyboard.press("Enter");
  const log = owner.getByRole("log", { name: "Messages" });
  await expect(log.getByText(question)).toBeVisible();

  // r writes a reply; Enter sends it; Escape leaves the box.
  await owner.keyboard.press("r");
  await expect(owner.getByRole("textbox", { name: "Reply" })).toBeFocused();
  await owner.keyboard.type("Answered from the keyboard");
  await owner.keyboard.press("Enter");
  await expect(visitor.getByRole("log", { name: "Messages" }).getByText("Answered from the keyboard")).toBeVisible();
  await owner.keyboard.press("Escape");

  // a goes to the assignee (once no change is in flight: the header's controls are
  // disabled meanwhile); e opens the close menu with the focus in it.
  const assignee = owner.getByRole("combobox", { name: "Assignee", exact: true });
  await expect(assignee).toBeEnabled();
  await owner.keyboard.press("a");
  await expect(assignee).toBeFocused();
  await owner.keyboard.press("Escape");
  await owner.keyboard.press("e");
  await expect(owner.getByRole("radio", { name: "Resolved" })).toBeFocused();
  await owner.keyboard.press("Space");
  await owner.keyboard.press("Tab");
  await owner.keyboard.type("Sorted by keyboard");
  await owner.keyboard.press("Tab");
  await expect(owner.getByRole("button", { name: "Close conversation" })).toBeFocused();
  await owner.keyboard.press("Enter");
  await expect(owner.getByLabel("Status", { exact: true })).toHaveText("closed (resolved)");
  expect(errors).toEqual([]);
});

test("the inbox and a conversation have no accessibility violations", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  await signIn(owner, OWNER);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Accessible question ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  const row = owner.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question });
  await expect(row).toBeVisible();
  const inbox = await new AxeBuilder({ page: owner }).analyze();
  expect(inbox.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
  await row.click();
  await expect(owner.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();
  const conversation = await new AxeBuilder({ page: owner }).analyze();
  expect(conversation.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
});
