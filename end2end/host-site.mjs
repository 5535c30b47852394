// A stand-in for a customer's website, on its own origin: one plain HTML page that
// embeds Parley's widget with the snippet Parley printed for the test workspace.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";

const port = Number(process.env.SITE_PORT || 3457);
const workspaceFile = process.env.PARLEY_E2E_WORKSPACE || "/tmp/parley-e2e/workspace.json";

createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200).end("ok");
    return;
  }
  let snippet;
  try {
    snippet = JSON.parse(readFileSync(workspaceFile, "utf8")).snippet;
  } catch (err) {
    res.writeHead(503).end("Parley's test workspace is not ready yet");
    return;
  }
  if (req.url === "/form-chat") {
    // A page with a form chat: the widget fills the marked element instead of floating.
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Contact</title></head>
<body>
<h1>Contact us</h1>
<div id="chat-box" data-parley-chat style="height:480px;width:420px;border:1px solid #ccc"></div>
${snippet}
</body>
</html>`);
    return;
  }
  if (req.url === "/strict-csp") {
    // A site with a strict Content-Security-Policy that allows exactly what docs/WIDGET.md
    // tells hosts to allow for Parley: its scripts (and wasm compilation) and connections.
    const parley = new URL(JSON.parse(readFileSync(workspaceFile, "utf8")).snippet.match(/src="([^"]+)"/)[1]).origin;
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        `default-src 'none'; script-src ${parley} 'wasm-unsafe-eval'; ` +
        `connect-src ${parley} ${parley.replace(/^http/, "ws")}; style-src 'self'; img-src 'self' blob:; media-src blob:`,
    });
    res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Strict Shop</title></head>
<body>
<h1>Strict Shop</h1>
${snippet}
</body>
</html>`);
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Shop</title>
<style>/* Aggressive host styles the widget must survive. */ * { font-family: serif !important; } button { background: hotpink; }</style>
</head>
<body>
<h1>Acme Shop</h1>
<p>Welcome to our shop.</p>
${snippet}
</body>
</html>`);
}).listen(port, "127.0.0.1");
