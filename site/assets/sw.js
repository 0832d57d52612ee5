// sw.js — service worker (docs/architecture.md, "Service worker"). The build prepends
//   self.UNBLOCKED = {"version": "<site hash>", "base": "/", "precache": [URLs]};
// - install: precaches the listed pages, CSS and JS (best effort per URL), then skipWaiting
// - activate: deletes caches of other versions, claims open pages, then precaches the wasm files
//   (also on a {type:"precache"} message from a page, which keeps the worker alive meanwhile)
// - fetch:  <base>lab/… answered here as site/lab answers it (no network): delay/<dur>/<rest> →
//           "ok <rest>\n" after <dur>; fail/<dur>/<rest> → 500 "fail <rest>\n"; limit/<n>/<dur>/<rest>
//           → 503 at once while n are in flight, else as delay;
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
  const labPrefix = scopeURL.pathname + "lab/";
  const HASHED = /\.[0-9a-f]{8,}\.(js|css|wasm|svg|png|woff2?)$/;
  const MAX_DELAY = 30000;
  const MAX_LIMIT = 1000;

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

  const inFlight = new Map(); // n of limit/<n>/… → requests being answered
  function lab(req) {
    const url = new URL(req.url);
    const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Unblocked-Lab": "service-worker" };
    const answer = (status, text, extra) => new Response(text, { status, headers: Object.assign({}, headers, extra) });
    if (req.method !== "GET" && req.method !== "HEAD") return Promise.resolve(answer(405, "method not allowed\n", { Allow: "GET, HEAD" }));
    let parts = url.pathname.slice(labPrefix.length).split("/");
    const kind = parts.shift();
    let n = 0;
    if (kind === "limit") {
      const nText = decodeURIComponent(parts.shift() || "");
      n = /^\d+$/.test(nText) ? Number(nText) : NaN;
      if (!(n >= 1 && n <= MAX_LIMIT)) return Promise.resolve(answer(400, "bad limit " + JSON.stringify(nText) + ": want a whole number from 1 to " + MAX_LIMIT + "\n"));
    } else if (kind !== "delay" && kind !== "fail") {
      return Promise.resolve(answer(404, "404 page not found\n"));
    }
    const durText = decodeURIComponent(parts.shift() || "");
    const tail = decodeURIComponent(parts.join("/"));
    const ms = parseDuration(durText);
    if (!isFinite(ms) || ms < 0 || ms > MAX_DELAY) {
      return Promise.resolve(answer(400, "bad delay " + JSON.stringify(durText) + ": want a Go duration between 0s and 30s\n"));
    }
    if (kind === "limit") {
      const busy = inFlight.get(n) || 0;
      if (busy >= n) return Promise.resolve(answer(503, "busy: this server takes at most " + n + " requests at once\n", { "Retry-After": "1" }));
      inFlight.set(n, busy + 1);
    }
    return new Promise((resolve) => {
      let done = false;
      const finish = (resp) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (kind === "limit") { const b = inFlight.get(n) - 1; if (b > 0) inFlight.set(n, b); else inFlight.delete(n); }
        resolve(resp);
      };
      const timer = setTimeout(() => finish(kind === "fail" ? answer(500, "fail " + tail + "\n") : answer(200, "ok " + tail + "\n")), ms);
      // a client that gives up (a timeout example, Stop) frees its place at once, as in site/lab
      if (req.signal) req.signal.addEventListener("abort", () => finish(answer(499, "")), { once: true });
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
    if (url.pathname.startsWith(labPrefix)) { ev.respondWith(lab(req)); return; }
    if (req.method !== "GET") return;
    if (url.pathname.startsWith(scopeURL.pathname + "__workbook/")) return; // dev server: reload, compile
    if (req.headers.get("range")) return;
    if (HASHED.test(url.pathname)) { ev.respondWith(cacheFirst(req)); return; }
    ev.respondWith(networkFirst(req));
  });
})();
