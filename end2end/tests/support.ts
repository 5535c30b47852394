// What every browser test does the same way: signing in as a member of the e2e
// workspace (scripts/e2e-server.sh creates the owner and Ada), and collecting page errors.
import { test as base, type Browser, expect, type Page } from "@playwright/test";
import { PARLEY } from "../playwright.config";

/**
 * Playwright's `test`, closing every browser context a test opened when it ends. Tests open
 * their own contexts (an operator, a visitor, a colleague) from the worker's browser, and
 * Playwright keeps those open until the worker stops: their live pages went on answering
 * every later test's realtime events (hundreds of requests a minute by the end of a run).
 */
/** What each page printed, failed to load and where it went, for `live`'s failure report. */
const pageLogs = new WeakMap<Page, string[]>();

export const test = base.extend<{ closeContexts: void }>({
  closeContexts: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const context = await newContext(...args);
        context.on("page", (page) => {
          const log: string[] = [];
          pageLogs.set(page, log);
          page.on("console", (msg) => log.push(`console.${msg.type()}: ${msg.text()}`));
          page.on("pageerror", (err) => log.push(`pageerror: ${err.message}`));
          page.on("requestfailed", (req) => log.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`));
          page.on("response", (response) => {
            if (response.request().resourceType() !== "document") return;
            void response.headersArray().then((headers) => {
              const policies = headers.filter((h) => h.name.toLowerCase() === "content-security-policy");
              const csp = policies.map((h) => h.value.slice(0, 70)).join(" | ") || "none";
              log.push(`document ${response.status()} ${response.url()} from ${response.fromServiceWorker() ? "worker" : "network"}; ${policies.length} csp: ${csp}`);
            });
          });
          page.on("framenavigated", (frame) => {
            if (frame === page.mainFrame()) log.push(`navigated: ${frame.url()}`);
          });
        });
        return context;
      };
      await use();
      browser.newContext = newContext;
      await Promise.all(browser.contexts().map((context) => context.close()));
    },
    { auto: true },
  ],
});

export const OWNER = "owner@acme.test";
/** An operator beside the owner. */
export const COLLEAGUE = "ada@acme.test";
export const PASSWORD = "correct horse battery";

/** Signs in and waits until the page is hydrated and its socket live. */
export async function signIn(page: Page, email = OWNER, password = PASSWORD) {
  await page.goto(`${PARLEY}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await live(page);
}

/**
 * Waits until the page's frame says "Live": the app has hydrated and its socket is open.
 * When it does not, the error says how far the page got (hydrated or not, what it loaded),
 * so a failure on a loaded CI machine can be told apart from a server that never answered.
 */
export async function live(page: Page) {
  try {
    await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Live");
  } catch (err) {
    const facts = await Promise.race([
      page
        .evaluate(() => ({
          url: location.href,
          hydrated: document.documentElement.hasAttribute("data-hydrated"),
          // "loading": the page's HTML has not finished arriving (its module scripts wait).
          readyState: document.readyState,
          html: (() => {
            const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
            return nav ? `${nav.type} ${Math.round(nav.responseStart)}..${Math.round(nav.responseEnd)}ms ${nav.transferSize}B` : null;
          })(),
          controlled: !!navigator.serviceWorker?.controller,
          status: document.querySelector('[aria-label="Connection"]')?.textContent ?? null,
          loaded: performance
            .getEntriesByType("resource")
            .map((e) => {
              const r = e as PerformanceResourceTiming;
              return `${r.name} ${Math.round(r.startTime)}+${Math.round(r.duration)}ms ${r.transferSize}B`;
            }),
        }))
        .catch((e) => `the page did not answer: ${e}`),
      new Promise((resolve) => setTimeout(() => resolve("the page did not answer within 5 s"), 5_000)),
    ]);
    const log = (pageLogs.get(page) ?? []).slice(-30).join("\n  ");
    throw new Error(
      `${(err as Error).message}\nHow far the page got: ${JSON.stringify(facts, null, 1)}\nIts log:\n  ${log}`,
    );
  }
}

/**
 * Whether a console error comes from this machine rather than the app: the test machine
 * has no sound card, so Chromium reports the notification sound's audio device failing;
 * and Playwright's contexts are incognito, where Chromium has no Push API (Web Push is
 * tested against a loopback push service in server/tests/push.rs instead).
 */
export function machineNoise(text: string): boolean {
  return (
    text.startsWith("The AudioContext encountered an error from the audio device") ||
    text.startsWith("Chrome currently does not support the Push API in incognito mode")
  );
}

/** Collects uncaught errors and console errors of `pages` into the returned list. */
export function collectErrors(...pages: Page[]): string[] {
  const errors: string[] = [];
  for (const page of pages) {
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("console", (msg) => {
      if (msg.type() === "error" && !machineNoise(msg.text())) errors.push(msg.text());
    });
  }
  return errors;
}

/** A new operator of the e2e workspace, invited by the owner: both pages, signed in. */
export async function invitedMember(browser: Browser, email: string, password: string) {
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, OWNER);
  await owner.goto(`${PARLEY}/settings/team`);
  await live(owner);
  const form = owner.getByRole("form", { name: "Invite a member" });
  await form.getByLabel("Email to invite").fill(email);
  await form.getByRole("button", { name: "Invite" }).click();
  const link = await owner.getByRole("textbox", { name: "Invitation link" }).inputValue();
  const member = await (await browser.newContext()).newPage();
  await member.goto(link);
  await member.getByLabel("Your name").fill("Pat Newcomer");
  await member.getByLabel("Choose a password").fill(password);
  await member.getByRole("button", { name: "Accept invitation" }).click();
  await expect(member).toHaveURL(/\/inbox/);
  return { owner, member };
}
