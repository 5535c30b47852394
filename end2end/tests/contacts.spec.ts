// Contacts: an operator saves the contact of a conversation from its header (wrong
// fields are explained beside them); a colleague's Contacts list follows live, and the
// contact page edits the profile and keeps notes.
import { expect } from "@playwright/test";
import { SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, OWNER, signIn, test } from "./support";

test("save contact from a conversation, then the list and the contact page", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, colleague, visitor);
  await signIn(owner, OWNER);
  await signIn(colleague, COLLEAGUE);

  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Can you call me back? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();

  // The colleague watches the contact list: the visitor is a guest there.
  await colleague.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
  const contacts = colleague.getByRole("table");
  const guestRow = contacts.getByRole("row").filter({ hasText: "Guest" }).first();
  await expect(guestRow).toBeVisible();

  // The owner saves the contact from the conversation's header.
  const inbox = owner.getByRole("navigation", { name: "Conversations" });
  await inbox.getByRole("link").filter({ hasText: question }).click();
  await owner.getByRole("button", { name: "Save contact" }).click();
  const form = owner.getByRole("form", { name: "Save contact" });
  const name = `Jane Roe ${Date.now()}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Phone").fill("030 123456");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toContainText("international form");
  await form.getByLabel("Phone").fill("+49 30 123456");
  await form.getByLabel("Email").fill("jane@example.com");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(owner.getByText(`Contact saved: ${name} (lead).`)).toBeVisible();
  await expect(owner.getByRole("heading", { name })).toBeVisible();
  await expect(owner.getByRole("log", { name: "Messages" }).getByText(`saved the contact as ${name}`)).toBeVisible();

  // The colleague's list shows the lead without a reload; its page has the profile.
  const row = contacts.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Lead");
  await expect(row).toContainText("+4930123456");
  await row.getByRole("link", { name }).click();
  const profile = colleague.getByRole("form", { name: "Profile" });
  await expect(profile.getByLabel("Email")).toHaveValue("jane@example.com");
  await profile.getByLabel("Time zone").fill("Mars/Base");
  await profile.getByRole("button", { name: "Save" }).click();
  await expect(profile.getByRole("alert")).toContainText("not a time zone");
  await profile.getByLabel("Time zone").fill("Europe/Berlin");
  await profile.getByRole("button", { name: "Save" }).click();
  await expect(colleague.getByText(`${name} saved.`)).toBeVisible();

  // A note with markup stays text.
  const notes = colleague.getByRole("region", { name: "Notes" });
  await notes.getByLabel("New note").fill("Prefers <b>phone</b> calls");
  await notes.getByRole("button", { name: "Add note" }).click();
  await expect(notes.getByText("Prefers <b>phone</b> calls")).toBeVisible();
  await expect(colleague.getByRole("region", { name: "Conversations" }).getByRole("link")).toHaveCount(1);
  // The two refusals above, as Chromium logs them; nothing else.
  const refusal = "Failed to load resource: the server responded with a status of 400 (Bad Request)";
  expect(errors).toEqual([refusal, refusal]);
});
