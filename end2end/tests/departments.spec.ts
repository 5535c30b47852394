// Departments: an admin creates one in Settings with Ada in it, an operator moves a
// conversation to it from the header, and round-robin auto-assignment gives it to Ada,
// who is online; her inbox shows it under Mine without a reload.
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, live, OWNER, signIn, test } from "./support";

test("a conversation moved to a department is auto-assigned to its online member", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, colleague, visitor);
  await signIn(owner, OWNER);
  await signIn(colleague, COLLEAGUE);
  // Ada is online (her header says so).
  const availability = colleague.getByRole("combobox", { name: "Availability" });
  await expect(availability).toHaveValue("online");

  const name = `Tier 2 ${Date.now()}`;
  await owner.goto(`${PARLEY}/settings/departments`);
  await live(owner);
  const form = owner.getByRole("form", { name: "New department" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Open conversations per member").fill("5");
  await form.getByRole("group", { name: "Members" }).getByLabel("Ada Colleague").check();
  await form.getByRole("button", { name: "Add department" }).click();
  await expect(owner.getByText(`Department ${name} added.`)).toBeVisible();
  const saved = owner.getByRole("form", { name: `Department ${name}` });
  await expect(saved.getByLabel("Ada Colleague")).toBeChecked();
  await expect(saved.getByLabel("Assign automatically (round robin)")).toBeChecked();

  // A visitor writes; the owner moves the conversation to the department.
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Can someone senior look at this? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  await owner.goto(`${PARLEY}/inbox`);
  await live(owner);
  await owner.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();
  await owner.getByRole("combobox", { name: "Department", exact: true }).selectOption({ label: name });
  const log = owner.getByRole("log", { name: "Messages" });
  await expect(log.getByText(`moved the conversation to the department ${name}`)).toBeVisible();
  await expect(log.getByText(`Parley assigned the conversation to Ada Colleague (department ${name}, round robin)`)).toBeVisible();
  await expect(owner.getByRole("combobox", { name: "Assignee", exact: true })).toHaveValue(/\d+/);

  // Ada finds it under Mine, live.
  await colleague.getByRole("tablist", { name: "Views" }).getByRole("tab", { name: /^Mine/ }).click();
  await expect(colleague.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question })).toBeVisible();

  // The department goes again (the shared e2e workspace stays as other tests expect it).
  await owner.goto(`${PARLEY}/settings/departments`);
  await live(owner);
  await owner.getByRole("form", { name: `Department ${name}` }).getByRole("button", { name: "Delete" }).click();
  await expect(owner.getByText("Department deleted; 1 conversation left it.")).toBeVisible();
  await expect(owner.getByRole("form", { name: `Department ${name}` })).toHaveCount(0);
  expect(errors).toEqual([]);
});
