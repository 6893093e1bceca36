// The opener site's service worker. It keeps the site's own files, so
// that the opener works offline once loaded, and answers from them first;
// it sends nothing anywhere and never sees a passphrase. A file shared to
// the installed opener (a phone's share sheet) is posted to ./share: it is
// kept here, on the device, for the page to read once (and delete).
// Its cache is named after the site's exact files: a changed site is a
// changed worker, which replaces the old files.
"use strict";
var CACHE = "sealer-opener SITE_DIGEST";
var SHARED = "sealer-opener shared";
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
      return name.indexOf("sealer-opener ") === 0 && name !== CACHE &&
      name !== SHARED;
    }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () {
    return self.clients.claim();
  }));
});
// Keeps a shared file where the page finds it, then opens the page.
function keepShared(request) {
  var scope = self.registration.scope;
  return request.formData().then(function (data) {
    var file = data.get("envelope");
    if (!file || typeof file === "string") {
      throw new Error("no file");
    }
    return caches.open(SHARED).then(function (cache) {
      return cache.put(new URL("shared", scope).href, new Response(file, {
        headers: { "X-File-Name": encodeURIComponent(file.name || "") }
      }));
    });
  }).then(function () {
    return Response.redirect(new URL("./?shared", scope).href, 303);
  }, function () {
    return Response.redirect(new URL("./", scope).href, 303);
  });
}
self.addEventListener("fetch", function (event) {
  var share = new URL("share", self.registration.scope).href;
  if (event.request.method === "POST" && event.request.url === share) {
    event.respondWith(keepShared(event.request));
    return;
  }
  if (event.request.method !== "GET") {
    return;
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(event.request, { ignoreSearch: true });
  }).then(function (cached) {
    return cached || fetch(event.request);
  }));
});
