// Workspaces: the owner creates a second workspace from the header's menu and lands in
// it, renames it on the General page (the header follows without a reload), switches
// back to the first and sees what waits in each, then deletes the second by typing its
// name (signed out of it; the first is untouched).
import { expect, test } from "@playwright/test";
import { PARLEY } from "../playwright.config";
import { OWNER, collectErrors, signIn } from "./support";

test("create, rename, switch and delete a workspace", async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page, OWNER);
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  const menu = page.locator("details.workspace-menu");
  await expect(menu.locator("summary")).toHaveText("Acme Support");

  const labs = `Labs ${Date.now()}`;
  await menu.locator("summary").click();
  await menu.getByRole("textbox", { name: "New workspace name" }).fill(labs);
  await menu.getByRole("button", { name: "Create" }).click();
  await expect(menu.locator("summary")).toHaveText(labs);
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");

  // Renamed on the General page: the header shows it at once.
  await page.goto(`${PARLEY}/settings/general`);
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  const form = page.getByRole("form", { name: "Workspace", exact: true });
  await form.getByRole("textbox", { name: "Name" }).fill(`${labs} Renamed`);
  await form.getByRole("textbox", { name: "Time zone" }).fill("Mars/Olympus");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "Choose a time zone such as Europe/Berlin." })).toBeVisible();
  await form.getByRole("textbox", { name: "Time zone" }).fill("Europe/Lisbon");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(menu.locator("summary")).toHaveText(`${labs} Renamed`);

  // Both are in the menu; back to the first.
  await menu.locator("summary").click();
  const list = menu.getByRole("list", { name: "Your workspaces" });
  await expect(list.getByRole("button", { name: new RegExp(`^${labs} Renamed \\(0 waiting\\)$`) })).toBeVisible();
  await list.getByRole("button", { name: /^Acme Support \(\d+ waiting\)$/ }).click();
  await expect(menu.locator("summary")).toHaveText("Acme Support");
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");

  // Into the second again, and delete it: typed name first.
  await menu.locator("summary").click();
  await list.getByRole("button", { name: new RegExp(`^${labs} Renamed`) }).click();
  await expect(menu.locator("summary")).toHaveText(`${labs} Renamed`);
  await page.goto(`${PARLEY}/settings/general`);
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  const remove = page.getByRole("form", { name: "Delete the workspace" });
  await remove.getByRole("textbox", { name: "Workspace name to delete" }).fill("wrong");
  await remove.getByRole("button", { name: "Delete this workspace" }).click();
  await expect(remove.getByRole("alert")).toHaveText("Type the workspace's name exactly to delete it.");
  await remove.getByRole("textbox", { name: "Workspace name to delete" }).fill(`${labs} Renamed`);
  await remove.getByRole("button", { name: "Delete this workspace" }).click();
  await expect(page).toHaveURL(/\/login/);

  // Signing in again lands in the first, which is whole; the second is gone from the menu.
  await signIn(page, OWNER);
  await expect(menu.locator("summary")).toHaveText("Acme Support");
  await menu.locator("summary").click();
  await expect(list.getByRole("button")).toHaveCount(1);
  expect(errors.filter((e) => !e.includes("400") && !e.includes("401"))).toEqual([]);
});
