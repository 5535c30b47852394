// The browser side of installing Parley and of Web Push, for the frame (wasm-bindgen
// imports it as a snippet). Every function resolves, never rejects: the answer says what
// happened, and the Rust side decides what to tell the member.

/** Registers the service worker (the app shell, the offline page, push notifications). */
export async function registerWorker() {
  if (!('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    return true;
  } catch (err) {
    console.warn('Parley: the service worker did not register', err);
    return false;
  }
}

/**
 * Subscribes this device with the browser's push service under `key` (the server's VAPID
 * public key); resolves to `{endpoint, p256dh, auth}` as JSON, or "" where push is not
 * available (no service worker, no PushManager, permission refused).
 */
export async function pushSubscribe(key) {
  try {
    if (!('serviceWorker' in navigator) || !('PushManager' in window)) return '';
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && subscription.options && subscription.options.applicationServerKey) {
      // A subscription made under another key (the server's keys changed) is replaced.
      const current = btoa(String.fromCharCode(...new Uint8Array(subscription.options.applicationServerKey)))
        .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      if (current !== key) {
        await subscription.unsubscribe();
        subscription = null;
      }
    }
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }
    const json = subscription.toJSON();
    return JSON.stringify({ endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth });
  } catch (err) {
    console.warn('Parley: push notifications are not available here', err);
    return '';
  }
}

/** Ends this device's subscription; resolves to its endpoint, or "" when there was none. */
export async function pushUnsubscribe() {
  try {
    if (!('serviceWorker' in navigator)) return '';
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (!subscription) return '';
    const endpoint = subscription.endpoint;
    await subscription.unsubscribe();
    return endpoint;
  } catch (err) {
    return '';
  }
}
