// sw.js — service worker (docs/architecture.md, "Service worker"). The build prepends
//   self.UNBLOCKED = {"version": "<site hash>", "base": "/", "precache": [URLs]};
// - install: precaches the listed pages, CSS and JS (best effort per URL), then skipWaiting
// - activate: deletes caches of other versions, claims open pages, then precaches the wasm files
//   (also on a {type:"precache"} message from a page, which keeps the worker alive meanwhile)
// - fetch:  <base>lab/delay/<dur>/<rest> answered here after <dur> with "ok <rest>\n" (no network);
//           content-hashed files (name.<hash>.ext under assets/ and wasm/): cache first;
//           everything else of ours (pages, sitemap, …): network first, cache fallback (offline).
(() => {
  "use strict";
  const cfg = self.UNBLOCKED || {};
  const version = cfg.version || "dev";
  const base = cfg.base || "/";
  const precache = cfg.precache || [];
  const CACHE = "unblocked-" + version;
  const PREFIX = "unblocked-";
  const scopeURL = new URL(base, self.location.href);
  const labPrefix = scopeURL.pathname + "lab/delay/";
  const HASHED = /\.[0-9a-f]{8,}\.(js|css|wasm|svg|png|woff2?)$/;
  const MAX_DELAY = 30000;

  const UNITS = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  function parseDuration(s) {
    if (s === "0") return 0;
    const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
    let total = 0, pos = 0;
    if (!s) return NaN;
    while (pos < s.length) {
      re.lastIndex = pos;
      const m = re.exec(s);
      if (!m) return NaN;
      total += Number(m[1]) * UNITS[m[2]];
      pos = re.lastIndex;
    }
    return total;
  }

  // Pages, CSS and JS are cached before the worker activates; the (large) wasm files after it has
  // claimed the pages, so a first visit gets a controller (and the in-browser lab) quickly.
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

  function lab(url) {
    const rest = url.pathname.slice(labPrefix.length);
    const slash = rest.indexOf("/");
    const durText = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
    const tail = slash === -1 ? "" : rest.slice(slash + 1);
    const ms = parseDuration(durText);
    const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Unblocked-Lab": "service-worker" };
    if (!isFinite(ms) || ms < 0 || ms > MAX_DELAY) {
      return Promise.resolve(new Response("bad duration " + JSON.stringify(durText) + " (Go syntax, at most 30s)\n", { status: 400, headers }));
    }
    return new Promise((resolve) => {
      setTimeout(() => resolve(new Response("ok " + decodeURIComponent(tail) + "\n", { status: 200, headers })), ms);
    });
  }

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
    if (url.pathname.startsWith(labPrefix)) { ev.respondWith(lab(url)); return; }
    if (req.method !== "GET") return;
    if (url.pathname.startsWith(scopeURL.pathname + "__workbook/")) return; // dev server: reload, compile
    if (req.headers.get("range")) return;
    if (HASHED.test(url.pathname)) { ev.respondWith(cacheFirst(req)); return; }
    ev.respondWith(networkFirst(req));
  });
})();
