// Reloading a server-rendered page must hydrate cleanly every time: a hydration error
// leaves the page without realtime updates. (Resources created inside a `Suspend` once
// made about one reload in eight fail.)
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { live, machineNoise, test } from "./support";

test("the inbox and a conversation hydrate cleanly on every reload", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  operator.on("pageerror", (err) => problems.push(err.message));
  operator.on("console", (msg) => {
    if (msg.type() === "error" && !machineNoise(msg.text())) problems.push(msg.text());
  });
  await operator.goto(`${PARLEY}/login`);
  await operator.getByLabel("Email").fill("owner@acme.test");
  await operator.getByLabel("Password").fill("correct horse battery");
  await operator.getByRole("button", { name: "Sign in" }).click();
  await live(operator);

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const text = `Reload check ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(text);
  await visitor.getByRole("button", { name: "Send" }).click();
  await operator.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: text }).click();
  await expect(operator.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();

  for (let i = 0; i < 15; i++) {
    await operator.reload();
    // "Live" only appears once the page has hydrated and its socket is open; the entry
    // marks the document once hydration is done.
    await live(operator);
    await expect(operator.locator("html")).toHaveAttribute("data-hydrated", "");
    await expect(operator.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  }
  expect(problems).toEqual([]);
});

test("a page without the conversation list hydrates cleanly on every reload", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  operator.on("pageerror", (err) => problems.push(err.message));
  operator.on("console", (msg) => {
    if (msg.type() === "error" && !machineNoise(msg.text())) problems.push(msg.text());
  });
  await operator.goto(`${PARLEY}/login`);
  await operator.getByLabel("Email").fill("owner@acme.test");
  await operator.getByLabel("Password").fill("correct horse battery");
  await operator.getByRole("button", { name: "Sign in" }).click();
  await live(operator);
  await operator.goto(`${PARLEY}/settings/widget`);

  for (let i = 0; i < 15; i++) {
    await operator.reload();
    await live(operator);
    await expect(operator.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toHaveAttribute(
      "aria-current",
      "page",
    );
  }
  expect(problems).toEqual([]);
});
