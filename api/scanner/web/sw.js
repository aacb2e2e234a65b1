// sw.js — the service worker: keeps the scanner's own files so that the page loads again when
// the server or the network is down (the scans wait in IndexedDB meanwhile). Network first,
// the cached copy when there is no answer; the API (/v1/…) is never cached.
const CACHE = 'wms-scanner-v3';
const FILES = ['./', 'app.css', 'app.js', 'api.js', 'camera.js', 'codes.js', 'feedback.js', 'home.js',
  'packing.js', 'picking.js', 'putaway.js', 'queue.js', 'receiving.js', 'settings.js', 'ship.js',
  'signin.js', 'store.js', 'ui.js', 'waiting.js', 'wedge.js', 'manifest.webmanifest', 'icon.svg', 'hubreceipt.js',
  'bagging.js', 'linehaul.js', 'returns.js', 'inspection.js'];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/scanner/')) return;
  e.respondWith(fetch(e.request).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(e.request, copy));
    }
    return res;
  }).catch(() => caches.match(e.request, {ignoreSearch: true})));
});
