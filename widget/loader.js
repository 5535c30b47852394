/* Parley chat widget loader, served as /embed.js with the widget's file names filled in
 * (see `glue` and `wasm` below). See docs/WIDGET.md.
 *
 *   <script async src="https://parley.example/embed.js" data-parley-key="PUBLIC_KEY"></script>
 *
 * Draws the launcher inside an open shadow root, so the page's CSS and the widget's cannot
 * touch each other. The wasm widget (glue + wasm) loads when the visitor
 * first opens the chat, or as soon as the page is idle when this browser already holds a
 * visitor token for this key (so the unread badge works while the panel is closed).
 * Defines no globals. */
(() => {
  'use strict';
  const script = document.currentScript;
  const key = script && script.getAttribute('data-parley-key');
  if (!key) {
    console.warn('Parley: the embed script needs a data-parley-key attribute');
    return;
  }
  // Parley's origin (plus any path prefix), derived from this script's own URL.
  const base = new URL('.', script.src).href.replace(/\/$/, '');
  const pkg = base + '/widget/pkg/';
  // The server replaces these quoted names with the build's content-hashed ones
  // (widget/pkg/manifest.json), which browsers may cache for good.
  const glue = 'widget.js';
  const wasm = 'widget_bg.wasm';
  const recorder = 'recorder.js';

  let returning = false;
  try {
    returning = !!localStorage.getItem('parley:' + key + ':token');
  } catch (e) {
    // Storage is blocked: treat the visitor as new.
  }

  const css =
    ':host{all:initial}' +
    '[hidden]{display:none!important}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483647;display:flex;' +
    'align-items:center;justify-content:center;width:56px;height:56px;margin:0;padding:0;' +
    'border:0;border-radius:50%;background:#4f46e5;color:#fff;cursor:pointer;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '.launcher:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}' +
    '.launcher[aria-busy=true]{opacity:.7;cursor:progress}' +
    '.launcher svg{width:28px;height:28px;fill:currentColor}' +
    '.badge{position:absolute;top:-4px;right:-4px;box-sizing:border-box;min-width:20px;' +
    'height:20px;padding:0 5px;border-radius:10px;background:#e11d48;color:#fff;' +
    'font:600 12px/20px system-ui,sans-serif;text-align:center}';
  const icon =
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11' +
    'a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

  let root = null;
  let button = null;
  let loading = null;
  let wantOpen = false;

  // Imports the glue, instantiates the wasm, and hands it the shadow root. Once mounted,
  // the widget replaces the launcher's onclick with its own open/close toggle.
  const load = () =>
    loading ||
    (loading = import(pkg + glue)
      .then((m) => m.default({ module_or_path: pkg + wasm }).then(() => m))
      .then(
        (m) => {
          button.removeAttribute('aria-busy');
          // The voice recorder loads only when the visitor first records.
          m.mount(root, base, key, wantOpen, () => import(pkg + recorder));
        },
        (err) => {
          button.removeAttribute('aria-busy');
          loading = null; // the next click tries again
          console.warn('Parley: could not load the chat widget', err);
        }
      ));

  const start = () => {
    for (const el of document.getElementsByTagName('parley-chat')) {
      if (el.getAttribute('data-key') === key) return; // embedded twice
    }
    const host = document.createElement('parley-chat');
    host.setAttribute('data-key', key);
    root = host.attachShadow({ mode: 'open' });
    // The styles as a constructed stylesheet, which the host page's Content-Security-Policy
    // does not govern (an inline <style> would need 'unsafe-inline'); a <style> element
    // where the browser has none.
    let adopted = false;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
      adopted = true;
    } catch (e) {
      // No constructed stylesheets in this browser.
    }
    // Static markup only; nothing here comes from the page or the server.
    root.innerHTML =
      (adopted ? '' : '<style>' + css + '</style>') +
      '<button class="launcher" type="button" aria-label="Open chat" aria-expanded="false">' +
      icon + '<span class="badge" hidden></span></button>';
    button = root.querySelector('.launcher');
    button.onclick = () => {
      wantOpen = true;
      button.setAttribute('aria-busy', 'true');
      load();
    };
    document.body.appendChild(host);
    if (returning) {
      const idle = window.requestIdleCallback || ((f) => setTimeout(f, 1000));
      idle(() => load(), { timeout: 3000 });
    }
  };

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
