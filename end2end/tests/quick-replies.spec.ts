// Quick replies: an operator saves the reply box's text as one, then inserts it with
// "/shortcut" and the keyboard, its variables filled in, and sends it.
import { expect } from "@playwright/test";
import { SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, signIn, test } from "./support";

test("a quick reply is saved inline and inserted with /shortcut", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(operator, visitor);
  await signIn(operator, COLLEAGUE);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Anyone there? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  await operator.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();

  const shortcut = `wait${Date.now() % 100000}`;
  const reply = operator.getByLabel("Reply");
  await reply.fill("Thanks for waiting, {{contact.name}}! I'm {{operator.name}}.");
  await operator.getByRole("button", { name: "Save as quick reply" }).click();
  const save = operator.getByRole("group", { name: "Save as quick reply" });
  await save.getByLabel("Title").fill("Thanks for waiting");
  await save.getByLabel("Shortcut").fill(shortcut);
  await save.getByRole("button", { name: "Save" }).click();
  await expect(operator.getByText(`Saved as /${shortcut}.`)).toBeVisible();

  // "/" and the start of the shortcut open the filtered list; Enter inserts the reply.
  await reply.fill("");
  await reply.pressSequentially(`/${shortcut.slice(0, 5)}`);
  const list = operator.getByRole("listbox", { name: "Quick replies" });
  await expect(list.getByRole("option", { name: new RegExp(`^/${shortcut} `) })).toBeVisible();
  await reply.press("Enter");
  await expect(reply).toHaveValue(/^Thanks for waiting, .+! I'm Ada Colleague\.$/);
  await expect(reply).not.toHaveValue(/\{\{/);
  await operator.getByRole("button", { name: "Send" }).click();
  await expect(visitor.getByRole("log", { name: "Messages" }).getByText("I'm Ada Colleague.")).toBeVisible();
  expect(errors).toEqual([]);
});
