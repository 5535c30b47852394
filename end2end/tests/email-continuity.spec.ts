// Email continuity: a visitor who left an email goes away; the operator's reply, unseen,
// arrives by email at a real SMTP server (aiosmtpd, started here) with a link that opens
// the conversation again in the landing chat, reply included. The e2e server emails
// unseen replies after 2 s (PARLEY_UNSEEN_REPLY_EMAIL_SECS in scripts/e2e-server.sh). The
// mail settings are removed at the end.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, live, OWNER, signIn, test } from "./support";

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

// The text of each message aiosmtpd stored, quoted-printable soft breaks undone.
const mails = (dir: string) =>
  ["new", "cur"].flatMap((folder) => {
    try {
      return readdirSync(join(dir, folder)).map((f) =>
        readFileSync(join(dir, folder, f), "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "=")
      );
    } catch {
      return [];
    }
  });

async function mailSettings(owner: Page, host: string, port: string) {
  await owner.goto(`${PARLEY}/settings/email`);
  await live(owner);
  const form = owner.getByRole("form", { name: "Mail server" });
  await form.getByLabel("Host").fill(host);
  if (host) {
    await form.getByLabel("Port").fill(port);
    await form.getByLabel("Security").selectOption("none");
    await form.getByLabel("Sender").fill("Acme Support <support@acme.test>");
  }
  await form.getByRole("button", { name: "Save" }).click();
}

test("an unseen reply arrives by email with a link back to the conversation", async ({ browser }) => {
  const dir = mkdtempSync(join(tmpdir(), "parley-mail-"));
  const port = await freePort();
  const smtp: ChildProcess = spawn(
    "python3",
    ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${port}`, "-c", "aiosmtpd.handlers.Mailbox", join(dir, "mail")],
    { stdio: "ignore" }
  );
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner);
  let readerErrors: string[] = [];
  try {
    await signIn(owner, OWNER);
    await mailSettings(owner, "127.0.0.1", String(port));
    await expect(owner.getByText("Mail settings saved.")).toBeVisible();

    // The visitor leaves an email (through the site's JS API), asks, and goes away.
    const email = `nora-${Date.now()}@example.com`;
    const question = `Do you ship to Oslo? ${Date.now()}`;
    await visitor.goto(`${SITE}/`);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    await visitor.evaluate((email) => (window as any).Parley.setAttributes({ email }), email);
    await visitor.getByRole("textbox", { name: "Message" }).fill(question);
    await visitor.getByRole("button", { name: "Send" }).click();
    await expect(visitor.locator(".msg.visitor:not(.pending)", { hasText: question })).toBeVisible();
    await visitor.context().close();

    const answer = "Yes: Oslo in 4 days, tracked.";
    await owner.goto(`${PARLEY}/inbox`);
    await live(owner);
    const inbox = owner.getByRole("navigation", { name: "Conversations" });
    await inbox.getByRole("link").filter({ hasText: question }).click();
    await expect(owner.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();
    await owner.getByLabel("Reply").fill(answer);
    await owner.getByRole("button", { name: "Send" }).click();
    await expect(owner.getByRole("log", { name: "Messages" }).getByText(answer)).toBeVisible();

    // The mail arrives, with the reply and a landing chat link.
    await expect.poll(() => mails(join(dir, "mail")).filter((m) => m.includes(`To: ${email}`)).length, { timeout: 20_000 }).toBe(1);
    const mail = mails(join(dir, "mail")).find((m) => m.includes(`To: ${email}`))!;
    expect(mail).toContain("Subject: New reply from Acme Support");
    expect(mail).toContain(answer);
    const link = mail.match(/(http:\/\/\S+\/chat\/\S+\?resume=\S+)/)![1];
    expect(link.startsWith(PARLEY)).toBe(true);

    // A new browser follows it: the landing chat shows the conversation, reply included.
    const reader = await (await browser.newContext()).newPage();
    readerErrors = collectErrors(reader);
    await reader.goto(link);
    const chat = reader.getByRole("dialog", { name: "Acme Support" });
    await expect(chat.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();
    await expect(chat.getByRole("log", { name: "Messages" }).getByText(answer)).toBeVisible();
    expect(reader.url()).not.toContain("resume=");
    await chat.getByRole("textbox", { name: "Message" }).fill("Great, thanks!");
    await chat.getByRole("button", { name: "Send" }).click();
    await expect(owner.getByRole("log", { name: "Messages" }).getByText("Great, thanks!")).toBeVisible();
  } finally {
    await mailSettings(owner, "", "");
    await expect(owner.getByText("Mail settings removed: invitations give a link to copy.")).toBeVisible();
    smtp.kill();
  }
  expect(errors).toEqual([]);
  expect(readerErrors).toEqual([]);
});
