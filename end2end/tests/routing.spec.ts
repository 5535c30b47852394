// Department picker and routing: the owner offers a department in the chat and adds a
// routing rule; a new visitor picks it in the widget's pre-chat form, and the
// conversation lands in that department. The department (and with it the rule and the
// picker) goes again at the end: other tests' visitors chat without a form.
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, live, OWNER, signIn, test } from "./support";

test("a visitor picks a department and the conversation goes there", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);
  const name = `Billing ${Date.now()}`;
  await owner.goto(`${PARLEY}/settings/departments`);
  await live(owner);
  const form = owner.getByRole("form", { name: "New department" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await form.getByRole("textbox", { name: "Description" }).fill("Invoices and refunds");
  await form.getByLabel("Visitors can pick it in the chat").check();
  await form.getByRole("button", { name: "Add department" }).click();
  await expect(owner.getByText(`Department ${name} added.`)).toBeVisible();
  try {
    // A rule: German speakers go there too (saved, listed, refused when empty first).
    const rules = owner.getByRole("form", { name: "Routing rules" });
    await rules.getByRole("button", { name: "Add a rule" }).click();
    const rule = rules.getByRole("group", { name: "Rule 1" });
    await rule.getByRole("combobox", { name: "Condition" }).selectOption("language");
    await rule.getByRole("combobox", { name: "Department" }).selectOption({ label: name });
    await rules.getByRole("button", { name: "Save rules" }).click();
    await expect(rule.getByRole("alert")).toHaveText("Say what the rule looks for.");
    await rule.getByRole("textbox", { name: "Value" }).fill("de");
    await rules.getByRole("button", { name: "Save rules" }).click();
    await expect(owner.getByText("1 routing rule saved.")).toBeVisible();

    await visitor.goto(`${SITE}/`);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    const prechat = visitor.getByRole("form", { name: "Before we start" });
    const pick = prechat.getByRole("combobox", { name: /What do you need help with/ });
    await expect(pick).toBeVisible();
    await pick.selectOption({ label: `${name}: Invoices and refunds` });
    await prechat.getByRole("button", { name: "Start the chat" }).click();
    await expect(prechat).toBeHidden();
    const question = `Where is my invoice? ${Date.now()}`;
    await visitor.getByRole("textbox", { name: "Message" }).fill(question);
    await visitor.getByRole("button", { name: "Send" }).click();
    await expect(visitor.locator(".msg.visitor:not(.pending)", { hasText: question })).toBeVisible();

    await owner.goto(`${PARLEY}/inbox`);
    await live(owner);
    await owner.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();
    await expect(owner.getByRole("combobox", { name: "Department", exact: true }).locator("option:checked")).toHaveText(name);
  } finally {
    await owner.goto(`${PARLEY}/settings/departments`);
    await live(owner);
    await owner.getByRole("form", { name: `Department ${name}` }).getByRole("button", { name: "Delete" }).click();
    await expect(owner.getByText(/^Department deleted/)).toBeVisible();
    await expect(owner.getByRole("form", { name: "Routing rules" }).getByRole("group")).toHaveCount(0);
  }
  expect(errors.filter((e) => !e.includes("400"))).toEqual([]);
});
