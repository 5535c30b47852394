// The widget's JS API on a customer's page: setUser with a hash made under the
// workspace's identity secret makes a customer the operator sees with their attributes;
// bad arguments fire `error` and send nothing; `reset()` leaves nothing of the last
// person in the panel; and an operator's reply reaches the page's `message` listener.
import { createHmac } from "node:crypto";
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, OWNER, signIn, test } from "./support";

test("a host page identifies its user through window.Parley", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);
  await owner.goto(`${PARLEY}/settings/identity`);
  const secretField = owner.getByLabel("Identity secret");
  await expect(secretField).toHaveValue(/^[0-9a-f]{64}$/);
  const secret = await secretField.inputValue();
  const id = `cust-${Date.now()}`;
  const hash = createHmac("sha256", secret).update(id).digest("hex");

  await visitor.goto(`${SITE}/`);
  const events = () => visitor.evaluate(() => (window as any).seen as [string, any][]);
  await visitor.evaluate(() => {
    const w = window as any;
    w.seen = [];
    for (const name of ["ready", "error", "sent", "message", "open", "unread"]) {
      w.Parley.on(name, (detail: unknown) => w.seen.push([name, detail]));
    }
  });
  // Bad arguments: an `error` event, and nothing reaches the server.
  await visitor.evaluate(() => (window as any).Parley.setUser("", {}, "nope"));
  await expect.poll(async () => (await events()).filter(([n]) => n === "error").length).toBe(1);
  expect((await events())[0][1].message).toContain("setUser");

  await visitor.evaluate(
    ([id, hash]) => (window as any).Parley.setUser(id, { name: "Grace Hopper", email: "grace@example.com" }, hash),
    [id, hash],
  );
  // The call made the widget load; it runs once the visitor's session is ready.
  await expect.poll(async () => (await events()).some(([n]) => n === "ready")).toBe(true);
  await visitor.evaluate(() => (window as any).Parley.open());
  const question = `Where is my order? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  await expect.poll(async () => (await events()).some(([n, d]) => n === "sent" && d.text === question)).toBe(true);

  // The operator sees a customer with the attributes the page gave.
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
  const row = owner.getByRole("table").getByRole("row").filter({ hasText: "Grace Hopper" });
  await expect(row).toContainText("Customer");
  await expect(row).toContainText("grace@example.com");
  await row.getByRole("link", { name: "Grace Hopper" }).click();
  await expect(owner.getByText(`User id on your site: ${id} (verified)`)).toBeVisible();

  // An operator's answer reaches the page's `message` listener.
  const conversation = owner.getByRole("region", { name: "Conversations" }).getByRole("link").first();
  await conversation.click();
  const reply = `On its way! ${Date.now()}`;
  await owner.getByLabel("Reply").fill(reply);
  await owner.getByRole("button", { name: "Send" }).click();
  await expect.poll(async () => (await events()).some(([n, d]) => n === "message" && d.text === reply)).toBe(true);

  // reset(): the next person on this computer sees nothing of the last.
  const log = visitor.getByRole("log", { name: "Messages" });
  await expect(log.getByText(question)).toBeVisible();
  await visitor.evaluate(() => (window as any).Parley.reset());
  await expect.poll(async () => (await events()).filter(([n]) => n === "ready").length).toBe(2);
  await expect(log.getByText(question)).toHaveCount(0);
  await expect(log.getByText(reply)).toHaveCount(0);
  expect(errors).toEqual([]);
});
