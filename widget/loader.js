/* Parley chat widget loader, served as /embed.js with the widget's file names filled in
 * (see `glue` and `wasm` below). See docs/WIDGET.md.
 *
 *   <script async src="https://parley.example/embed.js" data-parley-key="PUBLIC_KEY"></script>
 *
 * Draws the launcher inside an open shadow root, so the page's CSS and the widget's cannot
 * touch each other; its look (colours, position, texts) comes from the workspace's widget
 * settings (`/widget/v1/{key}/config`, kept in localStorage for the next page). On a page
 * with an element marked `data-parley-chat`, the chat fills that element instead (form
 * chat; Parley's own landing chat page is one). The wasm widget (glue + wasm) loads when the visitor
 * first opens the chat, or as soon as the page is idle: the widget's socket tells the team
 * who is on the site and which page they see, and keeps the unread badge current.
 *
 * Defines one global, `window.Parley` (docs/WIDGET.md, "JS API"). Calls made before the
 * widget arrives are queued and handed over in order once it has; a page may also set
 * `window.Parley = [['setUser', id, attrs, hash], ...]` before this script runs. */
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

  const css =
    ':host{all:initial}' +
    '[hidden]{display:none!important}' +
    '.launcher{position:fixed;right:var(--pr,20px);left:var(--pl,auto);bottom:var(--pb,20px);' +
    'z-index:2147483647;display:flex;align-items:center;justify-content:center;gap:8px;width:56px;' +
    'height:56px;margin:0;padding:0;border:0;border-radius:28px;background:var(--pc,#4f46e5);' +
    'color:var(--pt,#fff);cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '.launcher.text{width:auto;padding:0 20px 0 16px;font:600 15px/1 system-ui,sans-serif}' +
    '.launcher:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}' +
    '.launcher[aria-busy=true]{opacity:.7;cursor:progress}' +
    '.launcher svg{width:28px;height:28px;fill:currentColor}' +
    '.badge{position:absolute;top:-4px;right:-4px;box-sizing:border-box;min-width:20px;' +
    'height:20px;padding:0 5px;border-radius:10px;background:#e11d48;color:#fff;' +
    'font:600 12px/20px system-ui,sans-serif;text-align:center}';
  const icon =
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11' +
    'a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

  // The look (the config endpoint's answer) as CSS: custom properties the launcher and the
  // panel's styles read, and rules for a hidden launcher and phones. Only checked values
  // reach the CSS: colours are #rrggbb, distances whole pixels.
  const hex = (v, d) => (typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v) ? v : d);
  const px = (v) => Math.max(0, Math.min(200, Number(v) | 0));
  const inlineCss =
    ':host{display:block;height:100%}:host>div{height:100%}' +
    '.launcher,.popup,.close{display:none!important}' +
    '.panel{position:relative!important;left:auto!important;right:auto!important;bottom:auto!important;' +
    'width:100%!important;max-width:none!important;height:100%!important;max-height:none!important;' +
    'border-radius:0!important;box-shadow:none!important;z-index:auto!important}' +
    '.log,.greet{background:var(--pf,#fff)}';
  const lookCss = (c) => {
    const left = c.position === 'left';
    const side = px(c.offset_x === undefined ? 20 : c.offset_x) + 'px';
    const bottom = px(c.offset_y === undefined ? 20 : c.offset_y);
    let out =
      ':host{--pc:' + hex(c.color, '#4f46e5') + ';--pt:' + hex(c.text_color, '#ffffff') +
      ';--pf:' + hex(c.form_background, '#ffffff') + ';--pr:' + (left ? 'auto' : side) +
      ';--pl:' + (left ? side : 'auto') + ';--pb:' + bottom + 'px;--pp:' + (bottom + 72) + 'px}';
    if (c.custom_launcher === true) out += '.launcher{display:none!important}';
    if (c.show_on_mobile === false) out += '@media (max-width:480px){.launcher,.popup{display:none!important}}';
    return inline ? out + inlineCss : out;
  };
  const lookKey = 'parley:' + key + ':look';
  let look = null;
  let lookSheet = null;
  let lookStyle = null;
  let label = null;
  let inline = false;
  let refused = false;

  // Draws the current look on the launcher and, once the widget has mounted, the panel.
  // Texts go in through textContent; faces only from https addresses.
  const paint = () => {
    if (!root || !look) return;
    const sheetCss = lookCss(look);
    if (lookSheet) lookSheet.replaceSync(sheetCss);
    else if (lookStyle) lookStyle.textContent = sheetCss;
    const text = typeof look.launcher_text === 'string' ? look.launcher_text : '';
    label.textContent = text;
    button.classList.toggle('text', text !== '');
    // Until the widget has mounted (and names the launcher itself), its name in the
    // language the widget will speak: the workspace's, else the browser's first one the
    // widget knows, else English (as `widget/src/i18n.rs` chooses).
    const words = look.open_chat;
    if (!call && words && typeof words === 'object') {
      const known = (tag) => {
        const primary = String(tag || '').split(/[-_]/)[0].toLowerCase();
        return typeof words[primary] === 'string' ? primary : null;
      };
      const lang = known(look.language) || (navigator.languages || []).map(known).find(Boolean) || 'en';
      if (typeof words[lang] === 'string') button.setAttribute('aria-label', words[lang]);
    }
    const panel = root.querySelector('.panel');
    if (!panel) return;
    // Without a title of the workspace's, the widget's word for "Chat" in its language.
    const heading = root.querySelector('.title');
    const title = typeof look.title === 'string' && look.title ? look.title : heading.getAttribute('data-word') || 'Chat';
    panel.setAttribute('aria-label', title);
    heading.textContent = title;
    for (const [selector, value] of [['.reply', look.reply_sentence], ['.greet', look.greeting]]) {
      const el = root.querySelector(selector);
      el.textContent = typeof value === 'string' ? value : '';
      el.hidden = !el.textContent;
    }
    const faces = root.querySelector('.faces');
    faces.textContent = '';
    for (const face of Array.isArray(look.avatars) ? look.avatars.slice(0, 3) : []) {
      if (!face || typeof face.url !== 'string' || !/^https:\/\//.test(face.url)) continue;
      const img = document.createElement('img');
      img.src = face.url;
      img.alt = typeof face.name === 'string' ? face.name : '';
      faces.appendChild(img);
    }
  };
  // A newer look (the config endpoint's, or a `config_changed` event's): kept and drawn.
  // Without a look: the widget's words changed, so the same look is drawn again.
  const configure = (next) => {
    if (next === undefined) return paint();
    if (!next || typeof next !== 'object') return;
    if (look && typeof look.version === 'number' && typeof next.version === 'number' && next.version < look.version) return;
    // The launcher's words come with the config endpoint's look only.
    if (look && look.open_chat && !next.open_chat) next.open_chat = look.open_chat;
    look = next;
    try {
      localStorage.setItem(lookKey, JSON.stringify(next));
    } catch (e) {
      // Storage blocked: the look is fetched on every page.
    }
    paint();
  };
  // Asks for the current look. Refused (a site the workspace does not allow, an unknown
  // key): nothing is drawn. Unreachable: the chat still starts, with the last look known.
  const fetchLook = () =>
    fetch(base + '/widget/v1/' + encodeURIComponent(key) + '/config', { credentials: 'omit' })
      .then((r) => {
        if (r.status === 403 || r.status === 404) {
          refused = true;
          try {
            localStorage.removeItem(lookKey);
          } catch (e) {
            // Nothing stored.
          }
          return r.json().then((e) => console.warn('Parley: ' + e.message), () => {});
        }
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json().then(configure);
      })
      .catch((err) => console.warn('Parley: could not load the chat settings', err))
      .then(() => {
        if (!refused && !host) {
          look = look || {};
          start();
        }
      });

  let root = null;
  let host = null;
  let button = null;
  let loading = null;
  let wantOpen = false;
  // The widget's `call(name, args)` once mounted; until then calls wait in `queue`.
  let call = null;
  const queue = [];
  const listeners = {};

  const emit = (name, detail) => {
    for (const fn of (listeners[name] || []).slice()) {
      try {
        fn(detail);
      } catch (e) {
        console.error(e);
      }
    }
  };
  // A call with bad arguments: a console message and an `error` event, nothing sent.
  const refuse = (message) => {
    console.warn('Parley: ' + message);
    emit('error', { error: 'invalid', message: message });
  };
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isText = (v, max) => typeof v === 'string' && v.trim() !== '' && v.length <= max;
  const scalars = (o) =>
    Object.keys(o).every((k) => o[k] === null || ['string', 'number', 'boolean'].indexOf(typeof o[k]) >= 0);

  // A link from an email about unseen replies (the landing chat's `?resume=`): exchanged
  // for the contact's visitor token before the widget starts, and taken out of the
  // address bar. A link that no longer works leaves this browser as it was.
  const resumeLink = script.getAttribute('data-parley-resume');
  let resumed = Promise.resolve();
  if (resumeLink) {
    try {
      const here = new URL(location.href);
      here.searchParams.delete('resume');
      history.replaceState(history.state, '', here.href);
    } catch (e) {
      // The address stays as it is.
    }
    resumed = fetch(base + '/widget/v1/' + encodeURIComponent(key) + '/resume', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ link: resumeLink }),
      credentials: 'omit',
    })
      .then((r) =>
        r.json().then((answer) => {
          if (r.ok && typeof answer.token === 'string') localStorage.setItem('parley:' + key + ':token', answer.token);
          else console.warn('Parley: ' + answer.message);
        })
      )
      .catch((err) => console.warn('Parley: could not open the conversation', err));
  }

  // Imports the glue, instantiates the wasm, and hands it the shadow root. Once mounted,
  // the widget replaces the launcher's onclick with its own open/close toggle.
  const load = () =>
    loading ||
    (loading = resumed
      .then(() => import(pkg + glue))
      .then((m) => m.default({ module_or_path: pkg + wasm }).then(() => m))
      .then(
        (m) => {
          button.removeAttribute('aria-busy');
          // The voice recorder loads only when the visitor first records.
          const language = look && typeof look.language === 'string' ? look.language : '';
          const mounted = m.mount(root, base, key, wantOpen, () => import(pkg + recorder), emit, configure, inline, language);
          paint();
          if (typeof mounted === 'function') {
            call = mounted;
            for (const [name, args] of queue.splice(0)) call(name, args);
          }
        },
        (err) => {
          button.removeAttribute('aria-busy');
          loading = null; // the next click tries again
          console.warn('Parley: could not load the chat widget', err);
        }
      ));

  const start = () => {
    if (host) return;
    const target = document.querySelector('[data-parley-chat]');
    if (target) {
      if (target.shadowRoot) return; // embedded twice
      inline = true;
      host = target;
    } else {
      for (const el of document.getElementsByTagName('parley-chat')) {
        if (el.getAttribute('data-key') === key) return; // embedded twice
      }
      host = document.createElement('parley-chat');
      host.setAttribute('data-key', key);
    }
    root = host.attachShadow({ mode: 'open' });
    // The styles as a constructed stylesheet, which the host page's Content-Security-Policy
    // does not govern (an inline <style> would need 'unsafe-inline'); a <style> element
    // where the browser has none.
    let adopted = false;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      lookSheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [sheet, lookSheet];
      adopted = true;
    } catch (e) {
      // No constructed stylesheets in this browser.
      lookSheet = null;
    }
    // Static markup only; nothing here comes from the page or the server.
    root.innerHTML =
      (adopted ? '' : '<style>' + css + '</style><style class="look"></style>') +
      '<button class="launcher" type="button" aria-label="Open chat" data-ta="open-chat" aria-expanded="false">' +
      icon + '<span class="ltext"></span><span class="badge" hidden></span></button>';
    lookStyle = root.querySelector('style.look');
    button = root.querySelector('.launcher');
    label = root.querySelector('.ltext');
    paint();
    button.onclick = () => {
      wantOpen = true;
      button.setAttribute('aria-busy', 'true');
      load();
    };
    if (hidden) host.hidden = true;
    if (!inline) document.body.appendChild(host);
    // The widget loads with every page (once the page is idle): the team sees who is on
    // the site and where, and can write first. A form chat shows at once.
    if (wantOpen || inline) {
      button.setAttribute('aria-busy', 'true');
      load();
    } else {
      loadWhenIdle();
    }
  };

  let idleQueued = false;
  const loadWhenIdle = () => {
    if (idleQueued || loading) return;
    idleQueued = true;
    const idle = window.requestIdleCallback || ((f) => setTimeout(f, 1000));
    idle(() => load(), { timeout: 3000 });
  };

  // Hands a call to the widget, or queues it and has the widget load.
  const send = (name, args) => {
    if (call) return call(name, args);
    queue.push([name, args]);
    if (button) loadWhenIdle();
  };

  let hidden = false;
  const api = {
    open() {
      wantOpen = true;
      if (call) return call('open', []);
      if (button) {
        button.setAttribute('aria-busy', 'true');
        load();
      }
    },
    close() {
      wantOpen = false;
      if (call) call('close', []);
    },
    toggle() {
      if (call) call('toggle', []);
      else if (wantOpen) api.close();
      else api.open();
    },
    show() {
      hidden = false;
      if (host) host.hidden = false;
    },
    hide() {
      hidden = true;
      if (host) host.hidden = true;
    },
    setUser(id, attributes, hash) {
      if (!(isText(id, 255) || (typeof id === 'number' && isFinite(id)))) {
        return refuse('setUser(id, attributes, hash): id is a non-empty text (up to 255 characters) or a number');
      }
      if (attributes !== undefined && attributes !== null && !(isObject(attributes) && scalars(attributes))) {
        return refuse('setUser(id, attributes, hash): attributes is an object of texts, numbers and booleans');
      }
      if (hash !== undefined && hash !== null && !(typeof hash === 'string' && /^[0-9a-fA-F]{64}$/.test(hash))) {
        return refuse('setUser(id, attributes, hash): hash is the hex HMAC-SHA256 of the id (64 characters)');
      }
      send('setUser', [String(id), attributes || {}, hash || null]);
    },
    setAttributes(attributes) {
      if (!isObject(attributes) || !scalars(attributes)) {
        return refuse('setAttributes(attributes): an object of texts, numbers and booleans');
      }
      send('setAttributes', [attributes]);
    },
    setLabels(labels) {
      if (!Array.isArray(labels) || !labels.every((l) => isText(l, 50))) {
        return refuse('setLabels(labels): an array of label names');
      }
      send('setLabels', [labels]);
    },
    setLocale(tag) {
      if (!(typeof tag === 'string' && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(tag))) {
        return refuse('setLocale(tag): a language tag such as "en" or "pt-BR"');
      }
      send('setLocale', [tag]);
    },
    track(name, data) {
      if (!isText(name, 100)) return refuse('track(name, data): name is a non-empty text (up to 100 characters)');
      if (data !== undefined && data !== null && !isObject(data)) return refuse('track(name, data): data is an object');
      send('track', [name, data || null]);
    },
    on(name, fn) {
      if (typeof name !== 'string' || typeof fn !== 'function') return refuse('on(event, fn): an event name and a function');
      (listeners[name] = listeners[name] || []).push(fn);
    },
    off(name, fn) {
      listeners[name] = (listeners[name] || []).filter((f) => f !== fn);
    },
    reset() {
      send('reset', []);
    },
    // `Parley.push(['setUser', id, ...])`, for pages that queue calls as an array.
    push(entry) {
      if (!Array.isArray(entry) || typeof api[entry[0]] !== 'function' || entry[0] === 'push') {
        return refuse('push([name, ...args]): a call such as ["open"]');
      }
      api[entry[0]].apply(api, entry.slice(1));
    },
  };
  // A second embed of the same key keeps the first one's API.
  if (window.Parley && window.Parley.key === key) return;
  const early = Array.isArray(window.Parley) ? window.Parley : [];
  Object.defineProperty(api, 'key', { value: key });
  window.Parley = api;

  // In-page navigations (single-page apps) tell the widget the new page.
  const navigated = () => {
    if (call) call('page', []);
  };
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    history[name] = function () {
      const result = original.apply(this, arguments);
      navigated();
      return result;
    };
  }
  window.addEventListener('popstate', navigated);
  for (const entry of early) api.push(entry);

  // The look this browser saw last draws the launcher at once; the current one follows.
  const begin = () => {
    try {
      const cached = JSON.parse(localStorage.getItem(lookKey) || 'null');
      if (cached && typeof cached === 'object') look = cached;
    } catch (e) {
      // Nothing stored, or storage blocked.
    }
    if (look) start();
    fetchLook();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin);
  else begin();
})();
