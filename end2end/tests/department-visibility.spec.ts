// "Operators see only their departments' conversations": with the option on, a new
// operator in no department keeps seeing an unrouted conversation; once the owner moves
// it to a department, it leaves the operator's open conversation and inbox without a
// reload; when the owner switches the option off, it comes back, still without a reload.
import { expect, type Page } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, invitedMember, live, test } from "./support";

const OPTION = "Operators see only their departments' conversations";

async function setOption(owner: Page, on: boolean) {
  await owner.goto(`${PARLEY}/settings/departments`);
  await live(owner);
  const option = owner.getByRole("checkbox", { name: OPTION });
  await expect(option).toBeEnabled();
  if ((await option.isChecked()) !== on) {
    await option.click();
    await expect(owner.getByText(on ? "Operators now see only their departments' conversations." : "Operators now see every conversation.")).toBeVisible();
  }
  await expect(option).toBeChecked({ checked: on });
}

test("an operator loses sight of a conversation moved to another department, live", async ({ browser }) => {
  const { owner, member } = await invitedMember(browser, `pat-${Date.now()}@acme.test`, "a long enough password");
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, member, visitor);
  const name = `Billing ${Date.now()}`;
  try {
    // A department nobody is in.
    await owner.goto(`${PARLEY}/settings/departments`);
    await live(owner);
    const form = owner.getByRole("form", { name: "New department" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Assign automatically (round robin)").uncheck();
    await form.getByRole("button", { name: "Add department" }).click();
    await expect(owner.getByText(`Department ${name} added.`)).toBeVisible();
    await setOption(owner, true);

    // A visitor writes: unrouted, so the operator sees it and opens it.
    await visitor.goto(`${SITE}/`);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    const question = `Why was I charged twice? ${Date.now()}`;
    await visitor.getByRole("textbox", { name: "Message" }).fill(question);
    await visitor.getByRole("button", { name: "Send" }).click();
    await member.goto(`${PARLEY}/inbox`);
    await live(member);
    const row = member.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question });
    await row.click();
    await expect(member.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();

    // The owner moves it to the department: the operator is told, and it leaves the list.
    await owner.goto(`${PARLEY}/inbox`);
    await live(owner);
    await owner.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();
    await owner.getByRole("combobox", { name: "Department", exact: true }).selectOption({ label: name });
    await expect(member.getByRole("alert").filter({ hasText: "moved to a department you are not in" })).toBeVisible();
    await expect(row).toHaveCount(0);

    // Switched off, it is back on the operator's screen.
    await setOption(owner, false);
    await live(member);
    await expect(row).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    // The shared e2e workspace stays as other tests expect it.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await setOption(owner, false);
        const saved = owner.getByRole("form", { name: `Department ${name}` });
        if (await saved.count()) await saved.getByRole("button", { name: "Delete" }).click();
        await expect(saved).toHaveCount(0);
        break;
      } catch (err) {
        if (attempt === 2) throw err;
      }
    }
  }
});
