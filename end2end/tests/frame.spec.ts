// The signed-in frame: the navigation each module adds its entry to, the live unread
// badge, and toasts for confirmations and refusals, on a page that is not the inbox.
import { expect, type Page } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { live, machineNoise, signIn, test } from "./support";

/** The number on the Conversations entry's badge (0 when there is none). */
async function unreadBadge(page: Page): Promise<number> {
  const badge = page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Conversations/ })
    .getByRole("img", { name: /unread$/ });
  if ((await badge.count()) === 0) return 0;
  return Number(await badge.textContent());
}

test("the frame shows the modules' navigation, a live unread badge and toasts", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  operator.on("pageerror", (err) => problems.push(err.message));
  operator.on("console", (msg) => {
    // The refused origins below are a deliberate 400, which Chromium logs.
    if (msg.type() === "error" && !machineNoise(msg.text()) && !msg.text().includes("status of 400")) problems.push(msg.text());
  });
  await signIn(operator);

  // The member's availability: set in the header, kept across a reload.
  const availability = operator.getByRole("combobox", { name: "Availability" });
  await expect(availability).toHaveValue("online");
  // Reload only once the change is stored (a reload cancels a request still in flight).
  const saved = operator.waitForResponse((r) => r.url().endsWith("/api/set_availability") && r.ok());
  await availability.selectOption("away");
  await saved;
  await operator.reload();
  await expect(availability).toHaveValue("away");
  await availability.selectOption("online");

  // The navigation lists the modules that exist, the current one marked.
  const nav = operator.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveCount(5);
  await expect(nav.getByRole("link", { name: /^Inbox/ })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Contacts" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Visitors" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Conversations" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(operator).toHaveURL(/\/w\/acme-support\/settings\/widget$/);
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");
  await expect(operator.getByRole("heading", { name: "Widget" })).toBeVisible();

  // The settings page is the frame without the conversation list, also when loaded directly.
  await expect(operator.getByRole("navigation", { name: "Conversations" })).toHaveCount(0);
  await operator.reload();
  await live(operator);
  await expect(operator.getByRole("navigation", { name: "Conversations" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");

  // Saving the origins is confirmed by a toast that can be dismissed.
  const origins = operator.getByLabel("Allowed origins");
  await origins.fill(`${SITE}\nhttps://shop.example`);
  await operator.getByRole("button", { name: "Save origins" }).click();
  const notifications = operator.getByRole("status", { name: "Notifications" });
  await expect(notifications.getByText("Saved 2 allowed origins.")).toBeVisible();
  await notifications.getByRole("button", { name: "Dismiss" }).click();
  await expect(notifications.getByText("Saved 2 allowed origins.")).toHaveCount(0);

  // A refused origin is an error toast (and stays beside the field); the toast expires by itself.
  await origins.fill(`${SITE}\nnot an origin`);
  await operator.getByRole("button", { name: "Save origins" }).click();
  const errors = operator.getByRole("alert", { name: "Errors" });
  await expect(errors).toContainText('"not an origin" is not an origin');
  await expect(origins).toHaveAttribute("aria-invalid", "true");
  await expect(errors).not.toContainText("not an origin", { timeout: 20_000 });

  // A visitor writes while the operator stays on the settings page: the badge counts it live.
  const before = await unreadBadge(operator);
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const text = `Frame badge check ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(text);
  await visitor.getByRole("button", { name: "Send" }).click();
  await expect(visitor.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  const badge = nav.getByRole("link", { name: "Conversations" }).getByRole("img", { name: `${before + 1} unread` });
  await expect(badge).toBeVisible();
  await expect(operator).toHaveURL(/\/w\/acme-support\/settings\/widget$/);

  // Reading the conversation takes it off the badge.
  await nav.getByRole("link", { name: "Conversations" }).click();
  await operator.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: text }).click();
  await expect(operator.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  const conversations = nav.getByRole("link", { name: /^Conversations/ });
  if (before === 0) {
    await expect(conversations.getByRole("img", { name: /unread$/ })).toHaveCount(0);
  } else {
    await expect(conversations.getByRole("img", { name: `${before} unread` })).toBeVisible();
  }

  // The one refused request this test makes on purpose (the invalid origin, 400) is
  // logged by the browser; anything else is a problem.
  const unexpected = problems.filter((p) => !p.includes("status of 400 (Bad Request)"));
  expect(unexpected).toEqual([]);
  expect(problems.length - unexpected.length).toBeLessThanOrEqual(1);
});
