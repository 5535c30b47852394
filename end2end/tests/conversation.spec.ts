// The first real conversation, end to end: an operator signs in, a visitor writes
// through the widget on another origin, both see each other's messages without a
// reload, and the history survives reloads of both pages.
import { expect, test, type Page } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";

const EMAIL = "owner@acme.test";
const PASSWORD = "correct horse battery";

async function signIn(page: Page) {
  await page.goto(`${PARLEY}/login`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  // Hydrated and subscribed: realtime events will reach this page from now on.
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
}

test("a visitor and an operator talk in realtime, and the history survives reloads", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  for (const page of [operator, visitor]) {
    page.on("pageerror", (err) => errors.push(err.message));
  }

  await signIn(operator);

  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Do you ship to Lisbon? <b>${Date.now()}</b>`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  const visitorLog = visitor.getByRole("log", { name: "Messages" });
  await expect(visitorLog.getByText(question)).toBeVisible();

  // The operator's inbox shows it without a reload.
  const inbox = operator.getByRole("navigation", { name: "Conversations" });
  await expect(inbox.getByText(question)).toBeVisible();
  await inbox.getByRole("link").filter({ hasText: question }).click();
  const operatorLog = operator.getByRole("log", { name: "Messages" });
  await expect(operatorLog.getByText(question)).toBeVisible();

  const answer = "Yes, we ship to Lisbon in 2 days.";
  await operator.getByLabel("Reply").fill(answer);
  await operator.getByRole("button", { name: "Send" }).click();
  await expect(operatorLog.getByText(answer)).toBeVisible();

  // The visitor sees the answer without a reload.
  await expect(visitorLog.getByText(answer)).toBeVisible();

  // A follow-up reaches the open conversation live.
  const followUp = "Great, thanks!";
  await visitor.getByRole("textbox", { name: "Message" }).fill(followUp);
  await visitor.getByRole("button", { name: "Send" }).click();
  await expect(operatorLog.getByText(followUp)).toBeVisible();

  // After reloading either page the history is still there.
  await visitor.reload();
  await visitor.getByRole("button", { name: "Open chat" }).click();
  for (const text of [question, answer, followUp]) {
    await expect(visitor.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  }
  await operator.reload();
  for (const text of [question, answer, followUp]) {
    await expect(operator.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  }

  expect(errors).toEqual([]);
});
