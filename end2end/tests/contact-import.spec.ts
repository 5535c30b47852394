// Importing contacts: the owner picks a CSV on the Contacts page, the dry run explains
// each bad row, and the import then runs with its progress shown live.
import { expect } from "@playwright/test";
import { collectErrors, OWNER, signIn, test } from "./support";

test("an import dry run lists bad rows, then the import runs", async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page, OWNER);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
  await page.getByText("Import CSV").click();
  const stamp = Date.now();
  const csv = [
    "Name,Email,Phone",
    `Imported One ${stamp},one-${stamp}@example.com,+49 30 1234567`,
    `Imported Two ${stamp},two-${stamp}@example.com,`,
    `Bad Row ${stamp},not an email,`,
  ].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const status = page.getByRole("status", { name: "Import" });
  await expect(status).toHaveText("Would import 3 of 3 rows: 2 new, 0 updated, 1 not taken.");
  const problems = page.getByRole("table", { name: "Rows not taken" });
  await expect(problems.getByRole("row").filter({ hasText: "Email" })).toContainText("4");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(status).toHaveText("Imported 3 of 3 rows: 2 new, 0 updated, 1 not taken.");
  await page.getByRole("searchbox", { name: "Search contacts" }).fill(`Imported One ${stamp}`);
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: `one-${stamp}@example.com` })).toContainText("Lead");
  expect(errors).toEqual([]);
});
