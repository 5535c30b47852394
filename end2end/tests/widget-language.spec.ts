// Languages: a visitor whose browser prefers Spanish gets the widget in Spanish (the
// workspace leaves the choice to the browser): its buttons, labels, the typing line, and
// the unread count with its plural; the catalog is fetched once, and only Spanish's. And
// when the workspace fixes the language, an open English widget switches without a reload.
import { expect } from "@playwright/test";
import { PARLEY, SITE } from "../playwright.config";
import { collectErrors, live, OWNER, signIn, test } from "./support";

test("a Spanish browser gets the widget in Spanish", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext({ locale: "es-ES" })).newPage();
  const errors = collectErrors(operator, visitor);
  const catalogs: string[] = [];
  visitor.on("request", (request) => {
    if (request.url().includes("/widget/v1/locales/")) catalogs.push(request.url());
  });
  await signIn(operator);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Abrir el chat" }).click();
  const panel = visitor.getByRole("dialog");
  await expect(panel).toHaveAttribute("lang", "es");
  await expect(visitor.getByRole("textbox", { name: "Mensaje" })).toHaveAttribute("placeholder", "Escribe un mensaje…");
  await expect(visitor.getByRole("button", { name: "Adjuntar un archivo" })).toBeVisible();
  const question = `¿Hacéis envíos a Sevilla? ${Date.now()}`;
  await visitor.getByRole("textbox", { name: "Mensaje" }).fill(question);
  await visitor.getByRole("button", { name: "Enviar" }).click();
  await expect(visitor.getByRole("log", { name: "Mensajes" }).getByText(question)).toBeVisible();

  await operator.getByRole("navigation", { name: "Conversations" }).getByRole("link").filter({ hasText: question }).click();
  await operator.getByLabel("Reply").fill("Sí");
  await expect(visitor.getByText("escribiendo…")).toBeVisible();
  await operator.getByRole("button", { name: "Send" }).click();
  await expect(visitor.getByRole("log", { name: "Mensajes" }).getByText("Sí", { exact: true })).toBeVisible();

  // Closed, two replies: the launcher's count says so, in Spanish, with the plural.
  await visitor.getByRole("button", { name: "Cerrar el chat" }).click();
  await operator.getByLabel("Reply").fill("Enviamos en 2 días.");
  await operator.getByRole("button", { name: "Send" }).click();
  await expect(visitor.getByLabel("1 mensaje sin leer")).toBeVisible();
  await operator.getByLabel("Reply").fill("¿Algo más?");
  await operator.getByRole("button", { name: "Send" }).click();
  await expect(visitor.getByLabel("2 mensajes sin leer")).toBeVisible();
  expect(catalogs.map((url) => new URL(url).pathname)).toEqual(["/widget/v1/locales/es"]);
  expect(errors).toEqual([]);
});

test("a language the workspace fixes reaches an open widget", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext({ locale: "en-US" })).newPage();
  const errors = collectErrors(owner, visitor);
  await signIn(owner, OWNER);
  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  await expect(visitor.getByRole("button", { name: "Send" })).toBeVisible();

  await owner.goto(`${PARLEY}/settings/widget`);
  await live(owner);
  const form = owner.getByRole("form", { name: "Widget appearance" });
  const save = async (language: string) => {
    await form.getByRole("combobox", { name: "Language" }).selectOption(language);
    await form.getByRole("button", { name: "Save appearance" }).click();
    await expect(owner.getByText(/Widget settings saved/).last()).toBeVisible();
  };
  try {
    await save("es");
    await expect(visitor.getByRole("button", { name: "Enviar" })).toBeVisible();
    await expect(visitor.getByRole("dialog")).toHaveAttribute("lang", "es");
    await expect(visitor.getByRole("textbox", { name: "Mensaje" })).toHaveAttribute("placeholder", "Escribe un mensaje…");
  } finally {
    await save("");
  }
  // Back to the visitor's browser: English again.
  await expect(visitor.getByRole("button", { name: "Send" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("the launcher is named in the visitor's language before the widget has loaded", async ({ browser }) => {
  const visitor = await (await browser.newContext({ locale: "es-ES" })).newPage();
  // The widget itself never arrives: whatever names the launcher is the loader alone.
  await visitor.route("**/widget/pkg/**", (route) => route.abort());
  await visitor.goto(`${SITE}/`);
  await expect(visitor.getByRole("button", { name: "Abrir el chat" })).toBeVisible();
  const english = await (await browser.newContext({ locale: "en-GB" })).newPage();
  await english.route("**/widget/pkg/**", (route) => route.abort());
  await english.goto(`${SITE}/`);
  await expect(english.getByRole("button", { name: "Open chat" })).toBeVisible();
});
