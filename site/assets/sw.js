// sw.js — service worker (docs/architecture.md, "Service worker"). The build prepends
//   self.UNBLOCKED = {"version": "<site hash>", "base": "/", "precache": [URLs]};
// - install: precaches the listed pages, CSS and JS (best effort per URL), then skipWaiting
// - activate: deletes caches of other versions, claims open pages, then precaches the wasm files
//   (also on a {type:"precache"} message from a page, which keeps the worker alive meanwhile)
// - fetch:  content-hashed files (name.<hash>.ext under assets/ and wasm/): cache first;
//           everything else of ours (pages, sitemap, …): network first, cache fallback (offline).
// (Lab URLs never come here: the worker running a program answers them itself, see lab.js.)
(() => {
  "use strict";
  const cfg = self.UNBLOCKED || {};
  const version = cfg.version || "dev";
  const base = cfg.base || "/";
  const precache = cfg.precache || [];
  const CACHE = "unblocked-" + version;
  const PREFIX = "unblocked-";
  const scopeURL = new URL(base, self.location.href);
  const HASHED = /\.[0-9a-f]{8,}\.(js|css|wasm|svg|png|woff2?)$/;

  // Pages, CSS and JS are cached before the worker activates; the (large) wasm files after it has
  // claimed the pages, so a first visit gets a controller quickly.
  const isWasm = (u) => /\.wasm$/.test(u);
  function cacheAll(urls) {
    return caches.open(CACHE).then((cache) => Promise.all(urls.map(async (url) => {
      try {
        if (await cache.match(url)) return;
        const resp = await fetch(url, { cache: "no-cache" });
        if (resp.ok) await cache.put(url, resp);
      } catch (e) { /* best effort: cached on first use instead */ }
    })));
  }
  let rest = null;
  const precacheRest = () => (rest = rest || cacheAll(precache.filter(isWasm)));

  self.addEventListener("install", (ev) => {
    ev.waitUntil(cacheAll(precache.filter((u) => !isWasm(u))).then(() => self.skipWaiting()));
  });

  self.addEventListener("activate", (ev) => {
    ev.waitUntil((async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
      setTimeout(precacheRest, 1000); // after the pages' own {type:"precache"} requests
    })());
  });

  // pages ask for the rest of the precache (and keep the worker alive while it loads)
  // ({type:"precache", urls}: the wasm of the asking page first)
  self.addEventListener("message", (ev) => {
    if (!ev.data || ev.data.type !== "precache") return;
    const first = (ev.data.urls || []).filter((u) => typeof u === "string" && precache.includes(u));
    ev.waitUntil(cacheAll(first).then(precacheRest));
  });

  async function cacheFirst(req) {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(req, { ignoreVary: true });
    if (hit) return hit;
    const resp = await fetch(req);
    if (resp.ok && resp.type === "basic") cache.put(req, resp.clone()).catch(() => {});
    return resp;
  }

  async function networkFirst(req) {
    const cache = await caches.open(CACHE);
    try {
      const resp = await fetch(req);
      // pages are stored without their query (?tasks=…), one entry per page
      const key = req.mode === "navigate" ? new URL(req.url).pathname : req;
      if (resp.ok && resp.type === "basic") cache.put(key, resp.clone()).catch(() => {});
      return resp;
    } catch (e) {
      const hit = (await cache.match(req, { ignoreSearch: true, ignoreVary: true })) ||
        (req.mode === "navigate" ? await cache.match(scopeURL.pathname + "404.html") : undefined);
      if (hit) return hit;
      throw e;
    }
  }

  self.addEventListener("fetch", (ev) => {
    const req = ev.request;
    const url = new URL(req.url);
    if (url.origin !== self.location.origin || !url.pathname.startsWith(scopeURL.pathname)) return;
    if (req.method !== "GET") return;
    if (url.pathname.startsWith(scopeURL.pathname + "__workbook/")) return; // dev server: reload, compile
    if (req.headers.get("range")) return;
    if (HASHED.test(url.pathname)) { ev.respondWith(cacheFirst(req)); return; }
    ev.respondWith(networkFirst(req));
  });
})();
