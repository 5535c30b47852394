// A mention shows in the other operator's Inbox: @ in a note lists the members, the note
// names the one picked, their Inbox badge counts it at once, and the item opens the
// conversation at the note.
import { expect, type Page } from "@playwright/test";
import { SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, OWNER, signIn, test } from "./support";

/** The number on the Inbox entry's badge (0 when it has none). */
async function inboxBadge(page: Page): Promise<number> {
  const entry = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ });
  const badge = entry.getByRole("img", { name: /unread$/ });
  return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
}

test("a mention shows in the other operator's Inbox", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, colleague, visitor);
  await signIn(owner, OWNER);
  await signIn(colleague, COLLEAGUE);
  const before = await inboxBadge(colleague);

  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Is my refund on its way? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  await owner.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();

  // @ in a note lists the members; Enter picks one.
  await owner.getByRole("button", { name: "Note", exact: true }).click();
  const note = owner.getByRole("textbox", { name: "Note", exact: true });
  await note.click();
  await note.pressSequentially("@Ad");
  const picker = owner.getByRole("listbox", { name: "Mention" });
  await expect(picker.getByRole("option", { name: "@Ada Colleague" })).toBeVisible();
  await note.press("Enter");
  await expect(note).toHaveValue("@Ada Colleague ");
  const text = `can you check the refund ${Date.now()}?`;
  await note.pressSequentially(text);
  await note.press("Enter");
  await expect(owner.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();

  // Ada's badge counts it at once; her Inbox shows who and what; it opens at the note.
  const badge = colleague
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Inbox/ })
    .getByRole("img", { name: `${before + 1} unread` });
  await expect(badge).toBeVisible();
  await colleague.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ }).click();
  const item = colleague.getByRole("listitem").filter({ hasText: text });
  await expect(item).toContainText("Olivia mentioned you");
  await item.getByRole("link").click();
  const line = colleague.getByRole("log", { name: "Messages" }).getByText(text);
  await expect(line).toBeVisible();
  await expect(colleague.locator("li.message.highlight")).toContainText(text);
  expect(errors).toEqual([]);
});
