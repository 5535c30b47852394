// Files both ways: a visitor's image reaches the inbox and shows there (and in the widget,
// fetched with the visitor's token); an operator keeps a file on a quick reply, and the
// "/" quick reply carries it to the widget.
import { expect } from "@playwright/test";
import { SITE } from "../playwright.config";
import { COLLEAGUE, collectErrors, signIn, test } from "./support";

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
const PDF = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "latin1");

test("a visitor's image upload appears in the inbox", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(operator, visitor);
  await signIn(operator);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Is this the right part? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  await operator.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();

  // The widget's "+" opens a file picker; the chosen image uploads and is sent.
  const chooser = visitor.waitForEvent("filechooser");
  await visitor.getByRole("button", { name: "Attach a file" }).click();
  await (await chooser).setFiles({ name: "part.png", mimeType: "image/png", buffer: PNG });
  const log = visitor.getByRole("log", { name: "Messages" });
  const sent = log.getByRole("img", { name: "part.png" });
  await expect(sent).toBeVisible();
  await expect.poll(() => sent.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

  // The operator sees it inline, loaded with their session.
  const shown = operator.getByRole("log", { name: "Messages" }).getByRole("img", { name: "part.png" });
  await expect(shown).toBeVisible();
  await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

  // A file whose name lies about its content is refused with the server's sentence.
  const lie = visitor.waitForEvent("filechooser");
  await visitor.getByRole("button", { name: "Attach a file" }).click();
  await (await lie).setFiles({ name: "photo.png", mimeType: "image/png", buffer: PDF });
  await expect(visitor.getByRole("alert")).toContainText("named .png but its content is a document");
  // The refused upload's 400 is the only error Chromium reports.
  expect(errors).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
});

test("a / quick reply with an attachment reaches the widget", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors = collectErrors(operator, visitor);
  await signIn(operator, COLLEAGUE);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Where is the manual? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  await operator.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();

  // Attach a file in the composer, write the text, and save both as a quick reply.
  await operator.getByLabel("Attach files").setInputFiles({ name: "manual.pdf", mimeType: "application/pdf", buffer: PDF });
  const tray = operator.getByRole("list", { name: "Files to send" });
  await expect(tray.getByRole("button", { name: "Remove manual.pdf" })).toBeVisible();
  const reply = operator.getByLabel("Reply");
  await reply.fill("Here is our manual.");
  const shortcut = `manual${Date.now() % 100000}`;
  await operator.getByRole("button", { name: "Save as quick reply" }).click();
  const save = operator.getByRole("group", { name: "Save as quick reply" });
  await save.getByLabel("Title").fill("Manual");
  await save.getByLabel("Shortcut").fill(shortcut);
  await save.getByRole("button", { name: "Save" }).click();
  await expect(operator.getByText(`Saved as /${shortcut}.`)).toBeVisible();

  // Start over: the quick reply brings its text and its file back.
  await tray.getByRole("button", { name: "Remove manual.pdf" }).click();
  await expect(tray).toBeHidden();
  await reply.fill("");
  await reply.pressSequentially(`/${shortcut}`);
  await expect(operator.getByRole("listbox", { name: "Quick replies" })).toBeVisible();
  await reply.press("Enter");
  await expect(reply).toHaveValue("Here is our manual.");
  await expect(tray.getByRole("button", { name: "Remove manual.pdf" })).toBeVisible();
  await operator.getByRole("button", { name: "Send" }).click();

  const log = visitor.getByRole("log", { name: "Messages" });
  await expect(log.getByText("Here is our manual.")).toBeVisible();
  const file = log.getByRole("button", { name: /^manual\.pdf \(\d+ B\)$/ });
  await expect(file).toBeVisible();
  // Clicking downloads it (fetched with the visitor's token).
  const download = visitor.waitForEvent("download");
  await file.click();
  expect((await download).suggestedFilename()).toBe("manual.pdf");
  await expect(operator.getByRole("log", { name: "Messages" }).getByRole("link", { name: /^manual\.pdf/ })).toBeVisible();
  expect(errors).toEqual([]);
});
