// sw.js — service worker (docs/architecture.md, "Service worker"; docs/arch/classroom.md). The
// build prepends
//   self.UNBLOCKED = {"version": "<site hash>", "base": "/", "precache": [URLs], "sizes": [bytes]};
// A first visit stays light: nothing is precached at install; what a page uses is cached as it
// is used (fetch below, and the page's {type:"used", urls} for what it loaded before this
// worker controlled it). The whole site is cached only when the learner asks ("Save for
// offline": {type:"save"}), with progress messages to the asking page.
// - install:  skipWaiting (no precache)
// - activate: deletes caches of other versions, claims open pages; a site saved for offline in
//             an older version is saved again in this one
// - fetch:    content-hashed files (name.<hash>.ext under assets/ and wasm/): cache first;
//             everything else of ours (pages, sitemap, …): network first, cache fallback (offline).
// - message:  {type:"used", urls}: cache these (already loaded: the HTTP cache answers);
//             {type:"save"}: cache every URL of the precache list, answering
//             {type:"save-progress", done, total, bytes, totalBytes} and then
//             {type:"save-done", bytes, failed}; {type:"saved?"}: {type:"saved", bytes} or {type:"saved", bytes: 0}
//   - Run Python's runtime (assets/pyodide.<hash>/…, never precached): cache first once used, in a
//   cache of its own that outlives site versions (one Pyodide at a time), so offline after one use
// (Lab URLs never come here: the worker running a program answers them itself, see lab.js.)
(() => {
  "use strict";
  const cfg = self.UNBLOCKED || {};
  const version = cfg.version || "dev";
  const base = cfg.base || "/";
  const precache = cfg.precache || [];
  const sizes = cfg.sizes || [];
  const CACHE = "unblocked-" + version;
  const PREFIX = "unblocked-";
  const scopeURL = new URL(base, self.location.href);
  const HASHED = /\.[0-9a-f]{8,}\.(js|css|wasm|svg|png|woff2?)$/;
  // the marker a finished save leaves in its cache: {version, bytes}
  const SAVED = scopeURL.pathname + "__workbook/saved-for-offline";

  const ours = (u) => u.origin === self.location.origin && u.pathname.startsWith(scopeURL.pathname) &&
    !u.pathname.startsWith(scopeURL.pathname + "__workbook/") && !u.pathname.startsWith(scopeURL.pathname + "lab/");

  async function put(cache, url) {
    if (await cache.match(url, { ignoreVary: true })) return 0;
    // content-hashed files never change: the HTTP cache may answer (a page's used files are there)
    const resp = await fetch(url, HASHED.test(url) ? {} : { cache: "no-cache" });
    if (!resp.ok) throw new Error(url + ": " + resp.status);
    const size = Number(resp.headers.get("content-length")) || 0;
    await cache.put(url, resp);
    return size;
  }

  let saving = null;
  // saveAll caches the whole site, reporting to report(msg) as it goes.
  function saveAll(report) {
    if (saving) { saving.listeners.push(report); return saving.done; }
    const listeners = [report];
    const tell = (m) => { for (const l of listeners) try { l(m); } catch (e) { /* page gone */ } };
    const totalBytes = sizes.reduce((a, b) => a + b, 0);
    const done = (async () => {
      const cache = await caches.open(CACHE);
      let n = 0, bytes = 0, failed = 0, next = 0;
      const worker = async () => {
        while (next < precache.length) {
          const i = next++;
          try { await put(cache, precache[i]); } catch (e) { failed++; }
          n++;
          bytes += sizes[i] || 0;
          tell({ type: "save-progress", done: n, total: precache.length, bytes, totalBytes });
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      if (!failed) {
        await cache.put(SAVED, new Response(JSON.stringify({ version, bytes: totalBytes }), { headers: { "Content-Type": "application/json" } }));
      }
      tell({ type: "save-done", bytes: totalBytes, failed });
    })().finally(() => { saving = null; });
    saving = { listeners, done };
    return done;
  }

  async function savedBytes(cacheName) {
    const hit = await (await caches.open(cacheName)).match(SAVED);
    if (!hit) return 0;
    try { return (await hit.json()).bytes || 1; } catch (e) { return 1; }
  }

  self.addEventListener("install", () => { self.skipWaiting(); });

  self.addEventListener("activate", (ev) => {
    ev.waitUntil((async () => {
      let wasSaved = false;
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) {
          if (await savedBytes(name)) wasSaved = true;
          await caches.delete(name);
        }
      }
      await self.clients.claim();
      if (wasSaved) saveAll(() => {}); // the learner asked for offline once: keep it true
    })());
  });

  self.addEventListener("message", (ev) => {
    const d = ev.data || {};
    const reply = (m) => ev.source && ev.source.postMessage(m);
    if (d.type === "used") {
      const urls = (Array.isArray(d.urls) ? d.urls : []).filter((u) => {
        try { return typeof u === "string" && ours(new URL(u, scopeURL)); } catch (e) { return false; }
      }).slice(0, 200);
      ev.waitUntil(caches.open(CACHE).then((c) => Promise.all(urls.map((u) => put(c, u).catch(() => 0)))));
    } else if (d.type === "save") {
      ev.waitUntil(saveAll(reply));
    } else if (d.type === "saved?") {
      ev.waitUntil(savedBytes(CACHE).then((bytes) => reply({ type: "saved", bytes })));
    }
  });

  async function cacheFirst(req) {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(req, { ignoreVary: true });
    if (hit) return hit;
    const resp = await fetch(req);
    if (resp.ok && resp.type === "basic") cache.put(req, resp.clone()).catch(() => {});
    return resp;
  }

  // Pyodide: fetched on the first Run Python only; kept under its folder's hash
  const PYODIDE = /\/assets\/pyodide\.([0-9a-f]{10})\//;
  async function runtimeFirst(req, hash) {
    const name = "unblocked.pyodide." + hash;
    const cache = await caches.open(name);
    const hit = await cache.match(req, { ignoreVary: true });
    if (hit) return hit;
    // a site saved for offline holds Pyodide in its version cache: Run Python works offline
    // even if it was never pressed online
    const saved = await (await caches.open(CACHE)).match(req, { ignoreVary: true });
    if (saved) return saved;
    const resp = await fetch(req);
    if (resp.ok && resp.type === "basic") {
      cache.put(req, resp.clone()).then(async () => {
        for (const n of await caches.keys()) if (n.startsWith("unblocked.pyodide.") && n !== name) await caches.delete(n);
      }).catch(() => {});
    }
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
    const py = PYODIDE.exec(url.pathname);
    if (py) { ev.respondWith(runtimeFirst(req, py[1])); return; }
    ev.respondWith(networkFirst(req));
  });
})();
