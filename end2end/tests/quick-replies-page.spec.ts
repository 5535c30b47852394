// The quick replies page: an operator keeps personal replies (no form on the shared tab:
// only owners and admins make those); the owner adds a shared one, which the operator's
// open page shows without a reload; search narrows the list.
import { expect } from "@playwright/test";
import { PARLEY } from "../playwright.config";
import { COLLEAGUE, collectErrors, live, OWNER, signIn, test } from "./support";

test("personal and shared quick replies on their page, live", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, colleague);
  await signIn(owner, OWNER);
  await signIn(colleague, COLLEAGUE);
  const stamp = Date.now().toString(36);

  await colleague.goto(`${PARLEY}/quick-replies`);
  await live(colleague);
  await expect(colleague.getByRole("form", { name: "New quick reply" })).toHaveCount(0);
  await colleague.getByRole("tab", { name: "Personal" }).click();
  const form = colleague.getByRole("form", { name: "New quick reply" });
  await form.getByLabel("Title").fill("My goodbye");
  await form.getByLabel("Shortcut").fill(`bye-${stamp}`);
  await form.getByLabel("Text").fill("Bye {{contact.name}}, talk soon!");
  await form.getByRole("button", { name: "Save for me" }).click();
  await expect(colleague.getByText(`Saved /bye-${stamp}.`)).toBeVisible();
  const mine = colleague.getByRole("table", { name: "Quick replies list" });
  await expect(mine).toContainText(`/bye-${stamp}`);

  await owner.goto(`${PARLEY}/quick-replies`);
  await live(owner);
  const shared = owner.getByRole("form", { name: "New quick reply" });
  await shared.getByLabel("Title").fill("Opening hours");
  await shared.getByLabel("Shortcut").fill(`hours-${stamp}`);
  await shared.getByLabel("Text").fill("We answer Monday to Friday, 9 to 5.");
  await shared.getByRole("button", { name: "Save for everyone" }).click();
  await expect(owner.getByText(`Saved /hours-${stamp}.`)).toBeVisible();

  // The operator's page, on the shared tab, shows it without a reload.
  await colleague.getByRole("tab", { name: "Shared" }).click();
  await expect(mine).toContainText(`/hours-${stamp}`);
  await colleague.getByRole("searchbox", { name: "Search quick replies" }).fill("monday to friday");
  await expect(mine.getByRole("row")).toHaveCount(2);
  await colleague.getByRole("searchbox", { name: "Search quick replies" }).fill("no such words");
  await expect(colleague.getByText("No quick replies here yet.")).toBeVisible();
  expect(errors).toEqual([]);
});
