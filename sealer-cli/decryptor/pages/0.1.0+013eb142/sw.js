// The opener site's service worker. It keeps the site's own files, so
// that the opener works offline once loaded, and answers from them first;
// it sends nothing anywhere and never sees an envelope or a passphrase.
// Its cache is named after the site's exact files: a changed site is a
// changed worker, which replaces the old files.
"use strict";
var CACHE = "sealer-opener SITE_DIGEST";
var FILES = [
  "./", "index.html", "manifest.webmanifest", "icon-192.png",
  "icon-512.png"
];
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(FILES);
  }).then(function () {
    return self.skipWaiting();
  }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("sealer-opener ") === 0 && name !== CACHE;
    }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () {
    return self.clients.claim();
  }));
});
self.addEventListener("fetch", function (event) {
  if (event.request.method !== "GET") {
    return;
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(event.request, { ignoreSearch: true });
  }).then(function (cached) {
    return cached || fetch(event.request);
  }));
});
