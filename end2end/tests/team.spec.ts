// The team and the audit log: the owner grants a colleague "export contacts" on the
// team page, the colleague gets the export on their next page load, and the owner's
// audit log, open in another tab, shows the change as it happens. The grant is taken
// back at the end (other tests sign in as the same colleague).
import { expect } from "@playwright/test";
import { PARLEY } from "../playwright.config";
import { COLLEAGUE, collectErrors, live, OWNER, signIn, test } from "./support";

test("a grant applies on the next request and lands in the audit log live", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const team = await ownerContext.newPage();
  const log = await ownerContext.newPage();
  const colleague = await (await browser.newContext()).newPage();
  const errors = collectErrors(team, log, colleague);
  await signIn(team, OWNER);
  await signIn(colleague, COLLEAGUE);

  await colleague.goto(`${PARLEY}/contacts`);
  await live(colleague);
  await expect(colleague.getByRole("link", { name: "Export CSV" })).toHaveCount(0);

  await log.goto(`${PARLEY}/settings/audit`);
  await live(log);
  await log.getByLabel("Action").selectOption("member_role_changed");
  const entries = log.getByRole("table", { name: "Audit entries" });

  await team.goto(`${PARLEY}/settings/team`);
  await live(team);
  const row = team.getByRole("table", { name: "Members" }).getByRole("row").filter({ hasText: "Ada Colleague" });
  await expect(row.getByLabel("Role of Ada Colleague")).toHaveValue("operator");
  // The roles table is the server's: admins manage members, operators do not.
  const roles = team.getByRole("table", { name: "Roles" });
  await expect(roles.getByRole("row").filter({ hasText: "manage members" })).toContainText("✓✓—");
  await expect(roles.getByRole("row").filter({ hasText: "export contacts" })).toContainText("grantable");
  await row.getByRole("checkbox", { name: "export contacts" }).check();
  await expect(team.getByText("Saved: Ada Colleague is an operator.")).toBeVisible();

  // The audit page shows it without a reload: who, what, and the grant in the details.
  const entry = entries.getByRole("row").filter({ hasText: "Ada Colleague" }).first();
  await expect(entry).toContainText("Role changed");
  await expect(entry).toContainText("export_contacts");
  await expect(entry).toContainText("Olivia");

  // The colleague's next page load has the export.
  await colleague.reload();
  await expect(colleague.getByRole("link", { name: "Export CSV" })).toBeVisible();
  const download = await colleague.request.get(`${PARLEY}/exports/contacts.csv`);
  expect(download.status()).toBe(200);

  // Taken back: the export goes again.
  await row.getByRole("checkbox", { name: "export contacts" }).uncheck();
  await expect(entries.getByRole("row").filter({ hasText: "Ada Colleague" })).toHaveCount(2);
  expect((await colleague.request.get(`${PARLEY}/exports/contacts.csv`)).status()).toBe(403);

  // The last owner cannot step down: the page says why and keeps the role.
  const me = team.getByRole("table", { name: "Members" }).getByRole("row").filter({ hasText: "Olivia" });
  await me.getByLabel("Role of Olivia").selectOption("admin");
  await expect(team.getByText(/last owner cannot be demoted/)).toBeVisible();
  await expect(me.getByLabel("Role of Olivia")).toHaveValue("owner");
  expect(errors.filter((e) => !e.includes("409"))).toEqual([]);
});

test("an invitation is made, accepted in another browser and shown to the team", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  const errors = collectErrors(admin);
  await signIn(admin, OWNER);
  await admin.goto(`${PARLEY}/settings/team`);
  await live(admin);
  const email = `invitee-${Date.now()}@example.com`;
  const form = admin.getByRole("form", { name: "Invite a member" });
  await form.getByLabel("Email to invite").fill(email);
  await form.getByLabel("Invited role").selectOption("operator");
  await form.getByRole("button", { name: "Invite" }).click();
  // No mail server in this run: the link is shown to copy.
  await expect(admin.getByText(/No mail server is set up/)).toBeVisible();
  const link = await admin.getByRole("textbox", { name: "Invitation link" }).inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const pending = admin.getByRole("table", { name: "Pending invitations" }).getByRole("row").filter({ hasText: email });
  await expect(pending).toContainText("Link only");

  // The invitee opens the link in their own browser and makes their account.
  const invitee = await (await browser.newContext()).newPage();
  const inviteeErrors = collectErrors(invitee);
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: "Join Acme Support" })).toBeVisible();
  await invitee.getByLabel("Your name").fill("Grace Invitee");
  await invitee.getByLabel("Choose a password").fill("a long enough password");
  await invitee.getByRole("button", { name: "Accept invitation" }).click();
  await expect(invitee).toHaveURL(/\/inbox/);

  // The team page shows the new member without a reload; the invitation is gone.
  const members = admin.getByRole("table", { name: "Members" });
  await expect(members.getByRole("row").filter({ hasText: "Grace Invitee" })).toContainText(email);
  await expect(pending).toHaveCount(0);

  // The link works once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole("alert")).toContainText("used already");
  expect(errors).toEqual([]);
  expect(inviteeErrors).toEqual([]);
});
