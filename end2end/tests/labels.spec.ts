// Labels: an admin manages the workspace's labels in Settings, an operator puts one on a
// conversation, and a colleague's inbox shows it, renamed too, without a reload.
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, OWNER, signIn, test } from "./support";

test("labels are managed in settings and put on conversations live", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, colleague, visitor);
  await signIn(owner, OWNER);
  await signIn(colleague, COLLEAGUE);

  const name = `Billing ${Date.now()}`;
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  // The inbox's expiry period, while here.
  const settingsNav = owner.getByRole("navigation", { name: "Settings" });
  await settingsNav.getByRole("link", { name: "Inbox" }).click();
  const expiry = owner.getByRole("form", { name: "Expiry" });
  await expect(expiry.getByRole("spinbutton")).toHaveValue("24");
  await expiry.getByRole("spinbutton").fill("48");
  await expiry.getByRole("button", { name: "Save" }).click();
  await expect(owner.getByText("Saved: open conversations expire after 48 h without a message.")).toBeVisible();
  await settingsNav.getByRole("link", { name: "Labels" }).click();
  await expect(owner).toHaveURL(/\/w\/acme-support\/settings\/labels$/);
  const form = owner.getByRole("form", { name: "New label" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Add label" }).click();
  await expect(owner.getByRole("list", { name: "Workspace labels" }).getByText(name)).toBeVisible();

  // A visitor writes; the colleague labels the conversation from its header.
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Was I charged twice? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  const inbox = colleague.getByRole("navigation", { name: "Conversations" });
  await inbox.getByRole("link").filter({ hasText: question }).click();
  await colleague.getByRole("combobox", { name: "Add label" }).selectOption({ label: name });
  const labels = colleague.getByRole("group", { name: "Labels" });
  await expect(labels.getByText(name)).toBeVisible();
  await expect(inbox.getByRole("link").filter({ hasText: question })).toContainText(name);
  await expect(colleague.getByRole("log", { name: "Messages" }).getByText(`added the label ${name}`)).toBeVisible();

  // The owner renames it: the colleague's row and header follow.
  const renamed = `${name} (cards)`;
  const edit = owner.getByRole("form", { name: `Edit ${name}` });
  await edit.getByLabel("Name").fill(renamed);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(inbox.getByRole("link").filter({ hasText: question })).toContainText(renamed);
  await expect(labels.getByText(renamed)).toBeVisible();

  // And takes it off again from the header.
  await labels.getByRole("button", { name: `Remove label ${renamed}` }).click();
  await expect(labels.getByRole("button", { name: `Remove label ${renamed}` })).toHaveCount(0);
  await expect(inbox.getByRole("link").filter({ hasText: question })).not.toContainText(renamed);
  expect(errors).toEqual([]);
});
