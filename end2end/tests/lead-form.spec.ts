// Lead forms: an admin turns on the pre-chat form (a required email and a consent with a
// link); a new visitor sees it instead of the message box, gets each problem beside its
// field (required ones checked in the page, a wrong email by the server), then chats and
// shows up as a lead. With the form off, the widget asks for an email in the chat when no
// one has answered within the wait.
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, OWNER, signIn, test } from "./support";

test("pre-chat form errors, then a lead; the in-chat email capture", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor, second);
  await signIn(owner, OWNER);
  try {
    await owner.goto(`${PARLEY}/settings/lead-forms`);
    const save = owner.getByRole("button", { name: "Save lead forms" });
    await expect(save).toBeVisible();
    await owner.getByLabel("Ask new visitors before their first message").check();
    await owner.getByLabel("Consent sentence").fill("I agree to the privacy policy");
    await owner.getByLabel("Consent link").fill("https://example.com/privacy");
    await owner.getByLabel("Seconds before asking for an email").fill("2");
    await save.click();
    // The server checks the settings too: the wait is too short.
    const settings = owner.getByRole("region", { name: "Lead forms settings" });
    await expect(settings.getByRole("alert").filter({ hasText: "Wait between 5 and 86400 seconds." })).toBeVisible();
    await owner.getByLabel("Seconds before asking for an email").fill("5");
    await save.click();
    await expect(owner.getByText("Lead forms saved.")).toBeVisible();

    await visitor.goto(`${SITE}/`);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    const form = visitor.getByRole("form", { name: "Before we start" });
    await expect(form).toBeVisible();
    await expect(form).toContainText("Tell us who you are");
    await expect(visitor.getByRole("textbox", { name: "Message" })).toBeHidden();
    await expect(form.getByRole("link", { name: "I agree to the privacy policy" })).toHaveAttribute(
      "href",
      "https://example.com/privacy",
    );

    // Nothing filled in: the required email and the consent, each beside its field.
    await form.getByRole("button", { name: "Start the chat" }).click();
    const problems = form.getByRole("alert");
    await expect(problems.filter({ hasText: "Please fill this in." })).toHaveCount(1);
    await expect(problems.filter({ hasText: "Please accept this to start the chat." })).toBeVisible();
    await expect(form.getByRole("textbox", { name: "Email *" })).toHaveAttribute("aria-invalid", "true");

    // A wrong address passes the page's check and is refused by the server.
    await form.getByRole("textbox", { name: "Email *" }).fill("lena.at.example");
    await form.getByRole("checkbox", { name: "I agree to the privacy policy" }).check();
    await form.getByRole("button", { name: "Start the chat" }).click();
    await expect(problems.filter({ hasText: "An email address is written name@example.com." })).toBeVisible();
    await expect(problems.filter({ hasText: "Please accept" })).toBeHidden();

    const email = `lena-${Date.now()}@example.com`;
    await form.getByRole("textbox", { name: "Name" }).fill("Lena Lead");
    await form.getByRole("textbox", { name: "Email *" }).fill(email);
    await form.getByRole("button", { name: "Start the chat" }).click();
    await expect(form).toBeHidden();
    const box = visitor.getByRole("textbox", { name: "Message" });
    await expect(box).toBeVisible();
    await box.fill("Hello after the form");
    await visitor.getByRole("button", { name: "Send" }).click();
    await expect(visitor.getByRole("log", { name: "Messages" }).getByText("Hello after the form")).toBeVisible();

    // The team sees a lead with the email, and the consent on the timeline.
    await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
    const row = owner.getByRole("table").getByRole("row").filter({ hasText: "Lena Lead" });
    await expect(row).toContainText("Lead");
    await expect(row).toContainText(email);
    await row.getByRole("link", { name: "Lena Lead" }).click();
    const activity = owner.getByRole("region", { name: "Activity" });
    await expect(activity).toContainText("Filled in the pre-chat form");
    await expect(activity).toContainText("I agree to the privacy policy");

    // Form off: a new visitor writes at once; no answer within 5 s brings the email question.
    await owner.goto(`${PARLEY}/settings/lead-forms`);
    await owner.getByLabel("Ask new visitors before their first message").uncheck();
    await owner.getByRole("button", { name: "Save lead forms" }).click();
    await expect(owner.getByText("Lead forms saved.")).toBeVisible();
    await second.goto(`${SITE}/`);
    await second.getByRole("button", { name: "Open chat" }).click();
    await expect(second.getByRole("form", { name: "Before we start" })).toBeHidden();
    await second.getByRole("textbox", { name: "Message" }).fill("Anyone there?");
    await second.getByRole("button", { name: "Send" }).click();
    const ask = second.getByRole("form", { name: "Your email" });
    await expect(ask).toBeVisible();
    await ask.getByRole("textbox", { name: "Your email" }).fill("nobody");
    await ask.getByRole("button", { name: "Send" }).click();
    await expect(ask.getByRole("alert")).toHaveText("An email address is written name@example.com.");
    await ask.getByRole("textbox", { name: "Your email" }).fill("waiting@example.com");
    await ask.getByRole("button", { name: "Send" }).click();
    await expect(ask).toContainText("Thanks! The team will reach you at waiting@example.com.");
    // The refusals above are answered 400, which Chromium also logs; nothing else may be.
    expect(errors.filter((e) => !e.includes("the server responded with a status of 400"))).toEqual([]);
  } finally {
    // Back to the defaults for the tests after this one (form off, capture after 120 s).
    await owner.request.post(`${PARLEY}/api/save_lead_form_settings`, {
      headers: { Origin: PARLEY },
      form: { "settings[prechat]": "false" },
    });
  }
});
