// Business hours: the owner closes every day on the business hours page; a new visitor
// then gets the offline form (name, email, message) instead of the message box, and
// sending it opens a conversation the team sees. The hours are switched off again at the
// end (other tests chat as usual).
import { expect, type Page } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, live, OWNER, signIn, test } from "./support";

test("out of hours, the offline form opens a conversation", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);
  const page = owner.getByRole("form", { name: "Business hours" });
  try {
    await owner.goto(`${PARLEY}/settings/hours`);
    await live(owner);
    await page.getByLabel("Use business hours").check();
    await page.getByLabel("Time zone").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Choose a time zone such as Europe/Berlin.")).toBeVisible();
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    // Close every weekday (Saturday and Sunday start closed).
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) {
      await page.getByRole("group", { name: day }).getByRole("button", { name: `Remove ${day} interval` }).click();
    }
    await page.getByLabel("Expected reply time").fill("by tomorrow morning");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(owner.getByText("Business hours saved.")).toBeVisible();

    await visitor.goto(`${SITE}/`);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    const form = visitor.getByRole("form", { name: "Leave a message" });
    await expect(form).toContainText("We are away right now.");
    await expect(form).toContainText("by tomorrow morning");
    await expect(visitor.getByRole("textbox", { name: "Message", exact: true })).toBeHidden();
    await form.getByRole("button", { name: "Send" }).click();
    await expect(form.getByRole("alert").filter({ hasText: "Please fill this in." })).toHaveCount(2);
    const email = `owl-${Date.now()}@example.com`;
    await form.getByRole("textbox", { name: "Name" }).fill("Night Owl");
    await form.getByRole("textbox", { name: "Email *" }).fill(email);
    await form.getByRole("textbox", { name: "Message *" }).fill("Are you open on Sunday?");
    await form.getByRole("button", { name: "Send" }).click();
    await expect(form).toBeHidden();
    await expect(visitor.getByRole("log", { name: "Messages" }).getByText("Are you open on Sunday?")).toBeVisible();

    // The team has the conversation, from a lead with the email.
    await owner.goto(`${PARLEY}/inbox`);
    await expect(owner.getByRole("link", { name: /Night Owl/ }).first()).toBeVisible();
  } finally {
    await hoursOff(owner);
  }
  expect(errors.filter((e) => !e.includes("400"))).toEqual([]);
});

/**
 * Switches business hours off again. Every later test chats with the widget as usual, so
 * a failure above must not leave the workspace closed: a page that does not come up is
 * loaded again (twice at most).
 */
async function hoursOff(owner: Page) {
  for (let attempt = 1; ; attempt++) {
    try {
      await owner.goto(`${PARLEY}/settings/hours`);
      await live(owner);
      const page = owner.getByRole("form", { name: "Business hours" });
      await page.getByLabel("Use business hours").uncheck();
      await page.getByRole("button", { name: "Save" }).click();
      await expect(owner.getByText("Always open: business hours are off.")).toBeVisible();
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}
