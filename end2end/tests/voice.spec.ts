// Voice messages with Chromium's fake microphone: the visitor records one in the widget
// and the operator plays it in the inbox; the operator records one back and the widget
// plays it. The recorder's code loads only when the visitor first records.
import { expect } from "@playwright/test";
import { SITE } from "../playwright.config";
import { collectErrors, signIn, test } from "./support";

test("voice messages travel both ways and play inline", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(operator, visitor);
  const recorderLoads: string[] = [];
  visitor.on("request", (r) => {
    if (/\/widget\/pkg\/recorder/.test(r.url())) recorderLoads.push(r.url());
  });
  await signIn(operator);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Can you hear me? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  await operator.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();
  expect(recorderLoads).toEqual([]);

  // The visitor records until the clock shows a second, then sends.
  await visitor.getByRole("button", { name: "Record a voice message" }).click();
  await expect(visitor.getByRole("status").filter({ hasText: "Recording 0:01" })).toBeVisible();
  expect(recorderLoads).toHaveLength(1);
  await visitor.getByRole("button", { name: "Stop and send the voice message" }).click();
  const log = operator.getByRole("log", { name: "Messages" });
  const heard = log.getByLabel("Voice message");
  await expect(heard).toBeVisible();
  // The inbox can play it: the browser read the recording's header from Parley.
  await expect.poll(() => heard.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1);

  // The operator records back; the widget plays it from the visitor's token.
  await operator.getByRole("button", { name: "Record", exact: true }).click();
  // Once the clock shows a second of sound, stop: the file lands in the tray.
  const stop = operator.getByRole("button", { name: "Stop and attach 0:01" });
  await expect(stop).toBeVisible();
  await stop.click();
  const tray = operator.getByRole("list", { name: "Files to send" });
  await expect(tray.getByRole("button", { name: /^Remove voice-message\./ })).toBeVisible();
  await operator.getByRole("button", { name: "Send" }).click();
  const played = visitor.getByRole("log", { name: "Messages" }).locator("audio").last();
  await expect(played).toHaveAttribute("src", /^blob:/);
  await expect.poll(() => played.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1);
  expect(errors).toEqual([]);
});
