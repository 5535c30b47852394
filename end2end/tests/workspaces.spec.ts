// Workspaces: the owner creates a second workspace from the header's menu and lands at its
// address (/w/{slug}); renames it and gives it a new address on the General page (the
// header and the address follow without a reload of their own); keeps the first open in a
// second tab beside it, each tab in its own workspace; then deletes the second by typing
// its name and carries on in the first, which is untouched.
import { expect } from "@playwright/test";
import { PARLEY } from "../playwright.config";
import { collectErrors, live, OWNER, signIn, test } from "./support";

test("create, rename, open side by side, and delete a workspace", async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page, OWNER);
  await expect(page).toHaveURL(/\/w\/acme-support\/inbox$/);
  const menu = page.locator("details.workspace-menu");
  await expect(menu.locator("summary")).toHaveText("Acme Support");

  const stamp = Date.now();
  const labs = `Labs ${stamp}`;
  await menu.locator("summary").click();
  await menu.getByRole("textbox", { name: "New workspace name" }).fill(labs);
  await menu.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/labs-${stamp}/inbox$`));
  await expect(menu.locator("summary")).toHaveText(labs);
  await live(page);

  // An old address leads to the workspace last opened.
  await page.goto(`${PARLEY}/settings/general`);
  await expect(page).toHaveURL(new RegExp(`/w/labs-${stamp}/settings/general$`));
  await live(page);

  // The first workspace in a second tab, beside the new one.
  const first = await page.context().newPage();
  await first.goto(`${PARLEY}/w/acme-support/inbox`);
  await live(first);
  const firstMenu = first.locator("details.workspace-menu");
  await expect(firstMenu.locator("summary")).toHaveText("Acme Support");

  // Renamed and readdressed on the General page: the header shows the name at once and the
  // tab moves to the new address; the other tab keeps its own workspace.
  const form = page.getByRole("form", { name: "Workspace", exact: true });
  await form.getByRole("textbox", { name: "Name" }).fill(`${labs} Renamed`);
  await form.getByRole("textbox", { name: "Time zone" }).fill("Mars/Olympus");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "Choose a time zone such as Europe/Berlin." })).toBeVisible();
  await form.getByRole("textbox", { name: "Time zone" }).fill("Europe/Lisbon");
  await form.getByRole("textbox", { name: "Address", exact: true }).fill(`lab-${stamp}`);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/lab-${stamp}/settings/general$`));
  await expect(menu.locator("summary")).toHaveText(`${labs} Renamed`);
  await live(page);
  await expect(firstMenu.locator("summary")).toHaveText("Acme Support");
  await first.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(first).toHaveURL(/\/w\/acme-support\/settings\/widget$/);

  // Both are in the menu, each a link to its address.
  await menu.locator("summary").click();
  const list = menu.getByRole("list", { name: "Your workspaces" });
  await expect(list.getByRole("link", { name: new RegExp(`^${labs} Renamed \\(0 waiting\\)$`) })).toHaveAttribute(
    "href",
    `/w/lab-${stamp}/inbox`,
  );
  await expect(list.getByRole("link", { name: /^Acme Support \(\d+ waiting\)$/ })).toHaveAttribute(
    "href",
    "/w/acme-support/inbox",
  );

  // Delete the second: typed name first. The session carries on in the first.
  const remove = page.getByRole("form", { name: "Delete the workspace" });
  await remove.getByRole("textbox", { name: "Workspace name to delete" }).fill("wrong");
  await remove.getByRole("button", { name: "Delete this workspace" }).click();
  await expect(remove.getByRole("alert")).toHaveText("Type the workspace's name exactly to delete it.");
  await remove.getByRole("textbox", { name: "Workspace name to delete" }).fill(`${labs} Renamed`);
  await remove.getByRole("button", { name: "Delete this workspace" }).click();
  await expect(page).toHaveURL(/\/w\/acme-support\/inbox$/);
  await expect(menu.locator("summary")).toHaveText("Acme Support");
  await live(page);
  await menu.locator("summary").click();
  await expect(list.getByRole("link")).toHaveCount(1);

  // Its address is no longer the owner's.
  await first.goto(`${PARLEY}/w/lab-${stamp}/inbox`);
  await expect(first.getByRole("alert").filter({ hasText: "This workspace is not one of yours" })).toBeVisible();
  expect(errors.filter((e) => !e.includes("400") && !e.includes("401"))).toEqual([]);
});
