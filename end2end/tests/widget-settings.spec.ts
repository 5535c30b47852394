// Widget settings: the owner changes the widget's colour and team name and an open widget
// on the customer's site shows them without reloading; the snippet copies to the
// clipboard; a form chat fills a host page's element; the landing chat is a page of its
// own. The look is put back at the end (other tests expect the defaults).
import { expect, type Page } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, live, OWNER, signIn, test } from "./support";

// The computed background of the widget's header (inside its shadow root).
const headerColour = (page: Page) =>
  page.evaluate(() => {
    const header = document.querySelector("parley-chat")?.shadowRoot?.querySelector("header");
    return header ? getComputedStyle(header).backgroundColor : "";
  });

async function openSettings(owner: Page) {
  await owner.goto(`${PARLEY}/settings/widget`);
  await live(owner);
  return owner.getByRole("form", { name: "Widget appearance" });
}

test("a saved colour reaches an open widget; snippets copy", async ({ browser }) => {
  const owner = await (await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] })).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  await expect(visitor.getByRole("dialog", { name: "Acme Support" })).toBeVisible();
  expect(await headerColour(visitor)).toBe("rgb(79, 70, 229)");

  const form = await openSettings(owner);
  try {
    await owner.getByRole("button", { name: "Copy snippet" }).click();
    await expect(owner.getByText("Copied to the clipboard.")).toBeVisible();
    const copied = await owner.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await owner.getByLabel("Embed snippet").textContent());
    expect(copied).toContain("data-parley-key=");

    // A pale colour under white text: warned as the admin types, not refused.
    await form.getByRole("textbox", { name: "Colour", exact: true }).fill("#ffeb3b");
    await expect(form.getByRole("status")).toContainText("below the 4.5:1 that WCAG AA asks for");
    await form.getByRole("textbox", { name: "Colour", exact: true }).fill("#237032");
    await expect(form.getByRole("status")).toHaveCount(0);
    await form.getByRole("textbox", { name: "Team name" }).fill("Acme Helpdesk");
    await form.getByRole("textbox", { name: "Greeting" }).fill("Hi there! We answer in minutes.");
    // The preview follows the form.
    await expect(owner.getByRole("img", { name: "Preview" })).toContainText("Acme Helpdesk");
    await expect(owner.getByRole("img", { name: "Preview" })).toContainText("Hi there! We answer in minutes.");
    await form.getByRole("button", { name: "Save appearance" }).click();
    await expect(owner.getByText(/Widget settings saved \(version \d+\)/)).toBeVisible();

    // The open widget changed without a reload.
    await expect(visitor.getByRole("dialog", { name: "Acme Helpdesk" })).toBeVisible();
    await expect(visitor.getByText("Hi there! We answer in minutes.")).toBeVisible();
    await expect.poll(() => headerColour(visitor)).toBe("rgb(35, 112, 50)");

    // A colour that is not #rrggbb is refused beside its field.
    await form.getByRole("textbox", { name: "Colour", exact: true }).fill("green");
    await form.getByRole("button", { name: "Save appearance" }).click();
    await expect(form.getByRole("alert").filter({ hasText: '"green" is not a colour like #4f46e5.' })).toBeVisible();
  } finally {
    await owner.reload();
    await live(owner);
    await form.getByRole("textbox", { name: "Colour", exact: true }).fill("#4f46e5");
    await form.getByRole("textbox", { name: "Team name" }).fill("");
    await form.getByRole("textbox", { name: "Greeting" }).fill("Hi! How can we help?");
    await form.getByRole("button", { name: "Save appearance" }).click();
    await expect(owner.getByText(/Widget settings saved/).last()).toBeVisible();
  }
  await expect(visitor.getByRole("dialog", { name: "Acme Support" })).toBeVisible();
  expect(errors.filter((e) => !e.includes("400"))).toEqual([]);
});

test("a form chat fills the host page's element", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`${SITE}/form-chat`);
  const box = page.locator("#chat-box");
  const chat = box.getByRole("dialog", { name: "Acme Support" });
  await expect(chat).toBeVisible();
  // No floating launcher and no close button: the chat is part of the page.
  await expect(page.getByRole("button", { name: "Open chat" })).toBeHidden();
  await expect(chat.getByRole("button", { name: "Close chat" })).toBeHidden();
  const [outer, inner] = [await box.boundingBox(), await chat.boundingBox()];
  // The element's content box (inside its 1px border).
  expect(inner!.width).toBeCloseTo(outer!.width - 2, 0);
  expect(inner!.height).toBeCloseTo(outer!.height - 2, 0);
  await expect(page.getByRole("status").filter({ hasText: "Connecting" })).toBeHidden();
  const text = `From the contact page ${Date.now()}`;
  await chat.getByRole("textbox", { name: "Message" }).fill(text);
  await chat.getByRole("textbox", { name: "Message" }).press("Enter");
  await expect(chat.getByRole("log", { name: "Messages" }).locator(".msg.visitor:not(.pending)", { hasText: text })).toBeVisible();
  expect(errors).toEqual([]);
});

test("the landing chat is a page of its own", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);
  await owner.goto(`${PARLEY}/settings/widget`);
  const link = await owner.getByRole("link", { name: /\/chat\// }).getAttribute("href");
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/chat\/.+/);

  await visitor.goto(link!);
  await expect(visitor.getByRole("heading", { name: "Acme Support", level: 1 })).toBeVisible();
  const chat = visitor.getByRole("dialog", { name: "Acme Support" });
  await expect(chat.getByRole("textbox", { name: "Message" })).toBeVisible();
  await expect(visitor.getByRole("status").filter({ hasText: "Connecting" })).toBeHidden();
  const text = `Hello from the landing page ${Date.now()}`;
  await chat.getByRole("textbox", { name: "Message" }).fill(text);
  await chat.getByRole("button", { name: "Send" }).click();
  await expect(chat.locator(".msg.visitor:not(.pending)", { hasText: text })).toBeVisible();

  // The team has it.
  await owner.goto(`${PARLEY}/inbox`);
  await expect(owner.getByText(text).first()).toBeVisible();
  expect(errors).toEqual([]);
});
