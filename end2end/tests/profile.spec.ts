// A member's own account: a newly invited member renames themselves (the team page,
// open in the owner's browser, shows the new name live), changes their password (their
// other browser is signed out), and asks for a reset link from the sign-in page.
import { expect } from "@playwright/test";
import { PARLEY } from "../playwright.config";
import { collectErrors, invitedMember, live, signIn, test } from "./support";

test("a member edits their profile, changes their password and is signed out elsewhere", async ({ browser }) => {
  const email = `pat-${Date.now()}@example.com`;
  const { owner, member } = await invitedMember(browser, email, "first password of pat");
  const elsewhere = await (await browser.newContext()).newPage();
  const errors = collectErrors(owner, elsewhere);
  await signIn(elsewhere, email, "first password of pat");

  await member.goto(`${PARLEY}/profile`);
  await live(member);
  const profile = member.getByRole("form", { name: "Profile" });
  await expect(profile.getByLabel("Name")).toHaveValue("Pat Newcomer");
  await profile.getByLabel("Name").fill("Pat Renamed");
  await profile.getByLabel("Picture address").fill("http://not-secure.example/pat.png");
  await profile.getByRole("button", { name: "Save profile" }).click();
  await expect(profile.getByText("A picture is an https:// address")).toBeVisible();
  await profile.getByLabel("Picture address").fill("");
  await profile.getByRole("button", { name: "Save profile" }).click();
  await expect(member.getByText("Profile saved.")).toBeVisible();
  await expect(owner.getByRole("table", { name: "Members" })).toContainText("Pat Renamed");

  const password = member.getByRole("form", { name: "Change password" });
  await password.getByLabel("Current password").fill("not the password");
  await password.getByLabel("New password").fill("second password of pat");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByText("That is not your current password.")).toBeVisible();
  await password.getByLabel("Current password").fill("first password of pat");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(member.getByText(/Password changed; 1 other session was signed out/)).toBeVisible();
  // The other browser is signed out: its next page is the sign-in page.
  await elsewhere.goto(`${PARLEY}/inbox`);
  await expect(elsewhere).toHaveURL(/\/login/);

  // The sign-in page offers a reset link; the answer does not tell whether mail went.
  await elsewhere.getByRole("link", { name: "Forgot your password?" }).click();
  await elsewhere.getByLabel("Email").fill(email);
  await elsewhere.getByRole("button", { name: "Send the link" }).click();
  await expect(elsewhere.getByRole("status").filter({ hasText: "If that address has an account" })).toBeVisible();
  expect(errors.filter((e) => !/40[01]/.test(e))).toEqual([]);
});
