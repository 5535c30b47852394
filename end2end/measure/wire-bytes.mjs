// Bytes a browser transfers for Parley, measured in Chromium over the DevTools protocol:
// for each request, `Network.loadingFinished.encodedDataLength` (what crossed the wire,
// response headers included) and the decoded body size (sum of `Network.dataReceived`).
// WebSocket frames are not counted. Every scenario starts in a fresh browser context, so
// with an empty cache, except "inbox, warm", which reloads a page the context has seen.
//
// Scenarios:
//   widget: page load     a host page embedding the snippet; Parley's share (the loader)
//   widget: first open    clicking the launcher until the panel's textbox shows (glue,
//                         wasm, the visitor request)
//   app: sign-in page     /login until hydrated (HTML, js, wasm, css, icon)
//   app: inbox, cold      /inbox signed in, empty cache, until the socket is "Live"
//   app: inbox, warm      /inbox again in the same context
//   widget config         the config request alone (`/widget/v1/{key}/config`, part of
//                         "page load"): the look the launcher is drawn with
//
// And one timing: an admin saves a new widget colour on the settings page while a
// visitor's widget is open on the host page; the time from the click on "Save
// appearance" to the open widget's header showing the colour (`CONFIG_SAVES`, default 10,
// saves per run; both pages in one browser, one clock).
//
// Run by scripts/measure-wire.sh, which starts Parley and the host page. Environment:
// PARLEY (Parley's base URL), SITE (the host page), EMAIL, PASSWORD, RUNS (default 3),
// CHROMIUM_PATH (default /usr/bin/chromium). Stdout: a table of medians, then one line
// `wire-bytes: {json}` with every run.
import { chromium } from "playwright-core";

const PARLEY = process.env.PARLEY;
const SITE = process.env.SITE;
const EMAIL = process.env.EMAIL;
const PASSWORD = process.env.PASSWORD;
const RUNS = Number(process.env.RUNS || 3);
const QUIET_MS = 500;

if (!PARLEY || !SITE || !EMAIL || !PASSWORD) {
  console.error("wire-bytes.mjs needs PARLEY, SITE, EMAIL and PASSWORD");
  process.exit(2);
}

/** Records every request of a page through CDP; `take()` returns and clears them. */
async function recorder(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
  const open = new Map();
  let done = [];
  let lastActivity = Date.now();
  cdp.on("Network.requestWillBeSent", (e) => {
    lastActivity = Date.now();
    // A new document (a full load, e.g. entering a workspace's address after signing in):
    // what the old one still had open will never finish.
    if (e.type === "Document") {
      for (const [id, r] of open) if (r.loader !== e.loaderId) open.delete(id);
    }
    open.set(e.requestId, {
      url: e.request.url,
      loader: e.loaderId,
      wire: 0,
      body: 0,
      encoding: "",
      cached: false,
      status: 0,
    });
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = open.get(e.requestId);
    if (!r) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    r.encoding = headers["content-encoding"] || "";
    r.status = e.response.status;
    r.cached = Boolean(e.response.fromDiskCache || e.response.fromMemoryCache);
  });
  cdp.on("Network.requestServedFromCache", (e) => {
    const r = open.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on("Network.dataReceived", (e) => {
    const r = open.get(e.requestId);
    if (r) r.body += e.dataLength;
  });
  const finish = (e, failed) => {
    lastActivity = Date.now();
    const r = open.get(e.requestId);
    if (!r) return;
    open.delete(e.requestId);
    r.wire = failed ? 0 : e.encodedDataLength;
    r.failed = failed;
    done.push(r);
  };
  cdp.on("Network.loadingFinished", (e) => finish(e, false));
  cdp.on("Network.loadingFailed", (e) => finish(e, true));
  return {
    cdp,
    /** Resolves once no request has been open or finished for QUIET_MS. */
    async quiet() {
      const deadline = Date.now() + 30_000;
      while (open.size > 0 || Date.now() - lastActivity < QUIET_MS) {
        if (Date.now() > deadline) throw new Error(`requests still open: ${[...open.values()].map((r) => r.url)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    take() {
      const out = done;
      done = [];
      return out;
    },
  };
}

const short = (url) => {
  const u = new URL(url);
  return u.pathname.replace(/^\/(widget\/pkg|pkg)\//, "$1/");
};

function summary(requests) {
  const parley = requests.filter((r) => r.url.startsWith(PARLEY) && !r.failed);
  return {
    wire: parley.reduce((n, r) => n + r.wire, 0),
    body: parley.reduce((n, r) => n + r.body, 0),
    requests: parley.length,
    files: parley.map((r) => ({ path: short(r.url), wire: r.wire, body: r.body, encoding: r.encoding, cached: r.cached })),
  };
}

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

async function widgetRun(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const rec = await recorder(context, page);
  await page.goto(SITE);
  await page.getByRole("button", { name: "Open chat" }).waitFor();
  await rec.quiet();
  const load = summary(rec.take());
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.getByRole("textbox", { name: "Message" }).waitFor();
  await rec.quiet();
  const open = summary(rec.take());
  await context.close();
  return { load, open };
}

// The open widget's header colour, polled every frame inside the page, with the time
// (Date.now(), the same clock as this process) it first showed `want`.
const shownAt = (page, want) =>
  page.evaluate(
    (want) =>
      new Promise((resolve) => {
        const tick = () => {
          const header = document.querySelector("parley-chat")?.shadowRoot?.querySelector("header");
          if (header && getComputedStyle(header).backgroundColor === want) resolve(Date.now());
          else requestAnimationFrame(tick);
        };
        tick();
      }),
    want
  );

async function configRun(browser) {
  const saves = Number(process.env.CONFIG_SAVES || 10);
  const admin = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  await admin.goto(`${PARLEY}/login`);
  await admin.getByLabel("Email").fill(EMAIL);
  await admin.getByLabel("Password").fill(PASSWORD);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await admin.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor();
  await admin.goto(`${PARLEY}/settings/widget`);
  await admin.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor();
  await visitor.goto(SITE);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  await visitor.getByRole("textbox", { name: "Message" }).waitFor();
  const colour = admin.getByRole("form", { name: "Widget appearance" }).getByRole("textbox", { name: "Colour", exact: true });
  const ms = [];
  for (let i = 0; i < saves; i++) {
    const [r, g, b] = [20 + i, 90, 60 + (i % 2) * 40];
    await colour.fill("#" + [r, g, b].map((c) => c.toString(16).padStart(2, "0")).join(""));
    const shown = shownAt(visitor, `rgb(${r}, ${g}, ${b})`);
    const clicked = Date.now();
    await admin.getByRole("button", { name: "Save appearance" }).click();
    ms.push((await shown) - clicked);
    await admin.getByRole("button", { name: "Save appearance" }).and(admin.locator(":enabled")).waitFor();
  }
  await colour.fill("#4f46e5");
  await admin.getByRole("button", { name: "Save appearance" }).click();
  await admin.context().close();
  await visitor.context().close();
  return ms;
}

async function appRun(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const rec = await recorder(context, page);
  await page.goto(`${PARLEY}/login`);
  await page.waitForFunction(() => document.readyState === "complete");
  await rec.quiet();
  const login = summary(rec.take());
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Signing in lands at the workspace's own address (`/w/{slug}/inbox`).
  await page.waitForURL(/\/w\/[^/]+\/inbox$/);
  await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor();
  await rec.quiet();
  rec.take();
  const inbox = page.url();

  await rec.cdp.send("Network.clearBrowserCache");
  await page.goto(inbox);
  await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor();
  await rec.quiet();
  const inboxCold = summary(rec.take());

  await page.goto(inbox);
  await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor();
  await rec.quiet();
  const inboxWarm = summary(rec.take());
  await context.close();
  return { login, inboxCold, inboxWarm };
}

const scenarios = [
  ["widget: page load", (r) => r.widget.load],
  ["widget: first open", (r) => r.widget.open],
  ["app: sign-in page", (r) => r.app.login],
  ["app: inbox, cold cache", (r) => r.app.inboxCold],
  ["app: inbox, warm cache", (r) => r.app.inboxWarm],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();
const runs = [];
try {
  for (let i = 0; i < RUNS; i++) {
    runs.push({ widget: await widgetRun(browser), app: await appRun(browser), config: await configRun(browser) });
    console.error(`wire-bytes: run ${i + 1}/${RUNS} done`);
  }
} finally {
  await browser.close();
}

const pad = (s, n) => String(s).padStart(n);
console.log(`${"scenario".padEnd(26)} ${pad("requests", 8)} ${pad("wire B", 9)} ${pad("decoded B", 10)}  (median of ${RUNS})`);
const result = {};
for (const [name, pick] of scenarios) {
  const all = runs.map(pick);
  const row = { wire: median(all.map((s) => s.wire)), body: median(all.map((s) => s.body)), requests: median(all.map((s) => s.requests)) };
  result[name] = { ...row, runs: all.map((s) => s.wire) };
  console.log(`${name.padEnd(26)} ${pad(row.requests, 8)} ${pad(row.wire, 9)} ${pad(row.body, 10)}`);
  for (const f of all[0].files) {
    const how = f.cached ? "cache" : f.encoding || "identity";
    console.log(`  ${f.path.padEnd(40).slice(0, 40)} ${pad(f.wire, 9)} ${pad(f.body, 10)}  ${how}`);
  }
}
const configOf = (r) => r.widget.load.files.find((f) => f.path.endsWith("/config")) || { wire: 0, body: 0 };
const configWire = runs.map((r) => configOf(r).wire);
result["widget config"] = { wire: median(configWire), body: median(runs.map((r) => configOf(r).body)), runs: configWire };
console.log(`${"widget config".padEnd(26)} ${pad(1, 8)} ${pad(median(configWire), 9)} ${pad(result["widget config"].body, 10)}`);
const saves = runs.flatMap((r) => r.config).sort((a, b) => a - b);
const pct = (p) => saves[Math.min(saves.length - 1, Math.floor((saves.length * p) / 100))];
result["save → open widget ms"] = { p50: pct(50), p95: pct(95), max: saves[saves.length - 1], runs: runs.map((r) => r.config) };
console.log(`save → open widget: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${saves[saves.length - 1]} ms (${saves.length} saves)`);
const widgetTotal = runs.map((r) => r.widget.load.wire + r.widget.open.wire);
result["widget: load + open"] = { wire: median(widgetTotal), runs: widgetTotal };
console.log(`${"widget: load + open".padEnd(26)} ${pad("", 8)} ${pad(median(widgetTotal), 9)}`);
console.log(`wire-bytes: ${JSON.stringify(result)}`);
