/* Parley's service worker: installs the operator app as a PWA (the app shell cached, an
 * offline page when the server cannot be reached) and shows Web Push notifications with
 * the app closed. Served from the site root so its scope is the whole app. */
'use strict';

const SHELL = 'parley-shell-v2';
const OFFLINE = '/offline.html';
const PRECACHE = [OFFLINE, '/manifest.webmanifest', '/favicon.svg', '/icon-192.png', '/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== SHELL).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Pages come from the network (they are live); without one, the offline page.
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  // The offline page's own files (icons, manifest), kept at install.
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
    return;
  }
  // Everything else (the app's js, wasm and css among it) goes to the network untouched:
  // their content-hashed names are `immutable` in the browser's own cache, and a worker
  // answering them only added a step between a reload and hydration (CI saw reloads that
  // never hydrated while it did). Offline, the page itself is the offline page above.
});

// A notification from the server (RFC 8291, decrypted by the browser): shown unless
// Parley is open and in front, where the page tells the member itself.
self.addEventListener('push', (event) => {
  let note = {};
  try {
    note = event.data ? event.data.json() : {};
  } catch (err) {
    note = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      if (windows.some((w) => w.visibilityState === 'visible' && w.focused)) return undefined;
      return self.registration.showNotification(note.title || 'Parley', {
        body: note.body || '',
        tag: note.tag,
        icon: '/icon-192.png',
        badge: '/icon-192.png',
        data: { url: note.url || '/inbox' },
      });
    })
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/inbox';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const w of windows) {
        if ('focus' in w) return w.navigate(url).then((page) => (page || w).focus());
      }
      return self.clients.openWindow(url);
    })
  );
});
