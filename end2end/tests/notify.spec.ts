// Desktop notifications and a sound: the permission is asked when the member turns them
// on (never on load), a new Live conversation and a message in Mine notify, the
// conversation already in view does not, and a mention does. The browser's Notification
// and AudioContext are replaced by recorders, so the test sees what would have shown.
import { expect, type Page } from "@playwright/test";
import { SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, live, OWNER, signIn, test } from "./support";

/** Records notifications, permission requests and sounds instead of making them. */
async function recordNotices(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__notices = [] as string[];
    w.__asked = 0;
    w.__beeps = 0;
    class FakeNotification {
      // Like the browser's, a granted permission outlives a reload.
      static permission = sessionStorage.getItem("fake-permission") ?? "default";
      static requestPermission() {
        w.__asked = (w.__asked as number) + 1;
        FakeNotification.permission = "granted";
        sessionStorage.setItem("fake-permission", "granted");
        return Promise.resolve("granted");
      }
      onclick: unknown = null;
      constructor(title: string, options?: { body?: string }) {
        (w.__notices as string[]).push(`${title} | ${options?.body ?? ""}`);
      }
    }
    w.Notification = FakeNotification;
    const RealAudio = window.AudioContext;
    w.AudioContext = class extends RealAudio {
      constructor() {
        super();
        w.__beeps = (w.__beeps as number) + 1;
      }
    };
  });
}

const notices = (page: Page) => page.evaluate(() => (window as unknown as { __notices: string[] }).__notices);

test("notifications are asked for on a click and follow the member's settings", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, colleague);
  await recordNotices(owner);
  await signIn(owner, OWNER);
  await signIn(colleague, COLLEAGUE);
  expect(await owner.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);

  // Turning desktop notifications on asks the browser, once, on that click.
  await owner.getByText("Notifications", { exact: true }).click();
  const menu = owner.getByRole("group", { name: "Notifications" });
  const saved = owner.waitForResponse((r) => r.url().endsWith("/api/set_notification_settings") && r.ok());
  await menu.getByLabel("Desktop notifications").check();
  await expect.poll(() => owner.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);
  await expect(menu.getByLabel("Desktop notifications")).toBeChecked();
  // Kept for the member: still on after a reload (once stored: a reload cancels a
  // request still in flight).
  await saved;
  await owner.reload();
  await live(owner);
  await owner.getByText("Notifications", { exact: true }).click();
  await expect(owner.getByRole("group", { name: "Notifications" }).getByLabel("Desktop notifications")).toBeChecked();

  // A new Live conversation notifies.
  const visitor = await (await browser.newContext()).newPage();
  errors.push(...collectErrors(visitor));
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const first = `Notify me ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(first);
  await visitor.getByRole("button", { name: "Send" }).click();
  await expect.poll(() => notices(owner)).toContainEqual(expect.stringContaining(first));
  expect(await owner.evaluate(() => (window as unknown as { __beeps: number }).__beeps)).toBeGreaterThan(0);

  // The owner takes it and keeps it open: the next message is in view, so no notice.
  await owner.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: first }).click();
  await owner.getByRole("button", { name: "Take" }).click();
  await expect(owner.getByRole("log", { name: "Messages" }).getByText("took the conversation")).toBeVisible();
  const inView = `Still here ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(inView);
  await visitor.getByRole("button", { name: "Send" }).click();
  await expect(owner.getByRole("log", { name: "Messages" }).getByText(inView)).toBeVisible();

  // Elsewhere in the app, a message in Mine notifies.
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ }).click();
  const mine = `Are you there? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(mine);
  await visitor.getByRole("button", { name: "Send" }).click();
  await expect.poll(() => notices(owner)).toContainEqual(expect.stringContaining(mine));
  expect((await notices(owner)).some((n) => n.includes(inView))).toBe(false);

  // A mention notifies (the colleague finds the conversation under Assigned).
  await colleague.getByRole("tablist", { name: "Views" }).getByRole("tab", { name: /^Assigned/ }).click();
  await colleague.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: mine }).click();
  await colleague.getByRole("button", { name: "Note", exact: true }).click();
  const note = colleague.getByRole("textbox", { name: "Note", exact: true });
  await note.click();
  await note.pressSequentially("@Oli");
  await note.press("Enter");
  await note.pressSequentially("over to you");
  await note.press("Enter");
  await expect.poll(() => notices(owner)).toContainEqual(expect.stringContaining("You were mentioned"));
  expect(errors).toEqual([]);
});
