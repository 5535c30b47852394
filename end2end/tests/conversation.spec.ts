// The first real conversation, end to end: an operator signs in, a visitor writes
// through the widget on another origin, both see each other's messages without a
// reload, and the history survives reloads of both pages.
import { expect } from "@playwright/test";
import { SITE } from "../playwright.config";
import { COLLEAGUE, machineNoise, signIn, test } from "./support";


test("a visitor and an operator talk in realtime, and the history survives reloads", async ({ browser }) => {
  const operator = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  for (const [name, page] of [["operator", operator], ["colleague", colleague], ["visitor", visitor]] as const) {
    page.on("pageerror", (err) => errors.push(`${name}: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error" && !machineNoise(msg.text())) errors.push(`${name} console: ${msg.text()}`);
    });
  }

  await signIn(operator);
  // Another member of the workspace (scripts/e2e-server.sh adds her).
  await signIn(colleague, COLLEAGUE);
  // The views' counts before this conversation (other tests' conversations may be there).
  const colleagueViews = colleague.getByRole("tablist", { name: "Views" });
  const tab = (view: string) => colleagueViews.getByRole("tab", { name: new RegExp(`^${view}`) });
  const countOf = async (view: string) => {
    await expect(tab(view)).toHaveText(new RegExp(`^${view}\\d+$`));
    return Number((await tab(view).textContent())!.slice(view.length));
  };
  const base = { live: await countOf("Live"), assigned: await countOf("Assigned"), archived: await countOf("Archived") };

  await visitor.goto(`${SITE}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  const question = `Do you ship to Lisbon? <b>${Date.now()}</b>`;
  await visitor.getByRole("textbox", { name: "Message" }).fill(question);
  await visitor.getByRole("button", { name: "Send" }).click();
  const visitorLog = visitor.getByRole("log", { name: "Messages" });
  await expect(visitorLog.getByText(question)).toBeVisible();

  // Every operator's inbox shows it without a reload, with its unread count.
  const inbox = operator.getByRole("navigation", { name: "Conversations" });
  await expect(inbox.getByText(question)).toBeVisible();
  const colleagueInbox = colleague.getByRole("navigation", { name: "Conversations" });
  await expect(colleagueInbox.getByText(question)).toBeVisible();
  await expect(colleagueInbox.getByRole("link").filter({ hasText: question }).getByLabel("1 unread")).toBeVisible();
  await inbox.getByRole("link").filter({ hasText: question }).click();
  const operatorLog = operator.getByRole("log", { name: "Messages" });
  await expect(operatorLog.getByText(question)).toBeVisible();
  // Opening it reads it, for this operator only: the visitor sees "Seen", the operator's
  // row loses its count, the colleague's keeps it.
  await expect(visitor.getByRole("status").filter({ hasText: /^Seen$/ })).toBeVisible();
  await expect(inbox.getByRole("link").filter({ hasText: question }).getByLabel(/unread$/)).toHaveCount(0);
  await expect(colleagueInbox.getByRole("link").filter({ hasText: question }).getByLabel("1 unread")).toBeVisible();

  const answer = "Yes, we ship to Lisbon in 2 days.";
  await operator.getByLabel("Reply").fill(answer);
  // The visitor sees that the operator is typing.
  await expect(visitor.getByText("typing…")).toBeVisible();
  await operator.getByRole("button", { name: "Send" }).click();
  await expect(operatorLog.getByText(answer)).toBeVisible();

  // The visitor sees the answer without a reload, and the operator sees that they did.
  await expect(visitorLog.getByText(answer)).toBeVisible();
  await expect(operatorLog.getByLabel("Seen by the visitor")).toBeVisible();

  // A note for the team: the colleague sees it at once, the visitor never, and the
  // visitor is not told that anyone is typing it.
  await operator.getByRole("button", { name: "Note", exact: true }).click();
  await operator.getByLabel("Note", { exact: true }).fill("Customer is in Portugal, use the EU rate.");
  await operator.getByRole("button", { name: "Add note" }).click();
  await expect(operatorLog.getByText("Customer is in Portugal, use the EU rate.")).toBeVisible();
  await colleagueInbox.getByRole("link").filter({ hasText: answer }).click();
  await expect(colleague.getByRole("log", { name: "Messages" }).getByText("use the EU rate")).toBeVisible();
  await expect(visitor.getByText("typing…")).toBeHidden();
  await operator.getByRole("button", { name: "Reply", exact: true }).click();

  // Collision: each sees the other in the conversation, and who is typing a reply.
  await expect(operator.getByRole("status", { name: "Also here" })).toHaveText("Also here: Ada Colleague");
  await expect(colleague.getByRole("status", { name: "Also here" })).toHaveText("Also here: Olivia");
  await colleague.getByLabel("Reply").fill("I can take this one");
  await expect(operator.getByRole("status", { name: "Replying" })).toHaveText("Ada Colleague is replying…");
  await colleague.getByLabel("Reply").fill("");
  await expect(operator.getByRole("status", { name: "Replying" })).toBeHidden();

  // The operator takes it: it leaves Live for Mine, in the colleague's counts too.
  await expect(tab("Live")).toHaveText(`Live${base.live + 1}`);
  await operator.getByRole("button", { name: "Take" }).click();
  await expect(operator.getByRole("log", { name: "Messages" }).getByText("took the conversation")).toBeVisible();
  await expect(tab("Assigned")).toHaveText(`Assigned${base.assigned + 1}`);
  await expect(tab("Live")).toHaveText(`Live${base.live}`);

  // The operator closes it as resolved with a note for the team; it moves to Archived
  // in the colleague's inbox without a reload.
  await operator.getByRole("button", { name: "Close", exact: true }).click();
  const closeForm = operator.getByRole("form", { name: "Close the conversation" });
  await closeForm.getByLabel("Resolved").check();
  await closeForm.getByLabel("Comment (kept as an internal note)").fill("Shipping quote given.");
  await closeForm.getByRole("button", { name: "Close conversation" }).click();
  await expect(operator.getByLabel("Status", { exact: true })).toHaveText("closed (resolved)");
  await expect(operatorLog.getByText("Shipping quote given.")).toBeVisible();
  await expect(tab("Archived")).toHaveText(`Archived${base.archived + 1}`);
  await colleagueViews.getByRole("tab", { name: /^Archived/ }).click();
  const colleagueRow = colleagueInbox.getByRole("link").filter({ hasText: answer });
  await expect(colleagueRow).toContainText("closed");

  // The visitor types (the operator sees it) and writes again, which reopens it.
  const followUp = "Great, thanks!";
  await visitor.getByRole("textbox", { name: "Message" }).fill(followUp);
  await expect(operator.getByText("Visitor is typing…")).toBeVisible();
  await visitor.getByRole("button", { name: "Send" }).click();
  await expect(operatorLog.getByText(followUp)).toBeVisible();
  await expect(operator.getByLabel("Status", { exact: true })).toHaveText("open");
  await expect(operator.getByRole("button", { name: "Close", exact: true })).toBeVisible();
  // Reopened by the customer, it goes back to its assignee, not to Live.
  await expect(tab("Assigned")).toHaveText(`Assigned${base.assigned + 1}`);
  // The team's lines and the note never reach the visitor.
  await expect(visitorLog.getByText("Shipping quote given.")).toHaveCount(0);
  await expect(visitorLog.getByText("use the EU rate")).toHaveCount(0);
  await expect(visitorLog.getByText("changed the status")).toHaveCount(0);

  // After reloading either page the history is still there.
  await visitor.reload();
  await visitor.getByRole("button", { name: "Open chat" }).click();
  for (const text of [question, answer, followUp]) {
    await expect(visitor.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  }
  await operator.reload();
  for (const text of [question, answer, followUp]) {
    await expect(operator.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  }

  expect(errors).toEqual([]);
});
