// lab.js — the lab endpoints in the browser, answered exactly as site/lab answers them (see its
// package doc and docs/architecture.md, "Lab endpoints"; e2e/lab_test.go holds the two together):
//
//   delay/<dur>/<rest>        after <dur>: 200 "ok <rest>\n"
//   fail/<dur>/<rest>         after <dur>: 500 "fail <rest>\n"
//   limit/<n>/<dur>/<rest>    503 at once while n of them are in flight, else as delay
//
// The build puts this file in front of worker.js: the worker that runs a program answers its
// lab requests itself, so Go's net/http (which calls fetch) gets real responses after real
// delays on any host, offline, and with no browser limit on connections per host.
self.UnblockedLab = (() => {
  "use strict";
  const MAX_DELAY = 30000;
  const MAX_LIMIT = 1000;
  const UNITS = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

  // parseDuration reads a Go duration ("300ms", "1.5s", "0") as milliseconds; NaN if invalid.
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

  const inFlight = new Map(); // n of limit/<n>/… → requests being answered

  // answer responds to one request for <lab root><path> (path without the root). signal (an
  // AbortSignal, optional) abandons it: the promise then rejects as fetch does, and a limit/
  // place is freed at once.
  function answer(path, method, signal) {
    const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Unblocked-Lab": "browser" };
    const reply = (status, text, extra) => Promise.resolve(new Response(text, { status, headers: Object.assign({}, headers, extra) }));
    if (method !== "GET" && method !== "HEAD") return reply(405, "method not allowed\n", { Allow: "GET, HEAD" });
    const parts = path.split("/");
    const kind = parts.shift();
    let n = 0;
    if (kind === "limit") {
      const nText = decodeURIComponent(parts.shift() || "");
      n = /^\d+$/.test(nText) ? Number(nText) : NaN;
      if (!(n >= 1 && n <= MAX_LIMIT)) return reply(400, "bad limit " + JSON.stringify(nText) + ": want a whole number from 1 to " + MAX_LIMIT + "\n");
    } else if (kind !== "delay" && kind !== "fail") {
      return reply(404, "404 page not found\n");
    }
    const durText = decodeURIComponent(parts.shift() || "");
    const tail = decodeURIComponent(parts.join("/"));
    const ms = parseDuration(durText);
    if (!isFinite(ms) || ms < 0 || ms > MAX_DELAY) {
      return reply(400, "bad delay " + JSON.stringify(durText) + ": want a Go duration between 0s and 30s\n");
    }
    if (kind === "limit") {
      const busy = inFlight.get(n) || 0;
      if (busy >= n) return reply(503, "busy: this server takes at most " + n + " requests at once\n", { "Retry-After": "1" });
      inFlight.set(n, busy + 1);
    }
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = () => {
        if (done) return false;
        done = true;
        clearTimeout(timer);
        if (kind === "limit") { const b = inFlight.get(n) - 1; if (b > 0) inFlight.set(n, b); else inFlight.delete(n); }
        return true;
      };
      const timer = setTimeout(() => {
        if (finish()) resolve(kind === "fail" ? reply(500, "fail " + tail + "\n") : reply(200, "ok " + tail + "\n"));
      }, ms);
      if (signal) {
        const abort = () => { if (finish()) reject(signal.reason || new DOMException("The operation was aborted.", "AbortError")); };
        if (signal.aborted) abort(); else signal.addEventListener("abort", abort, { once: true });
      }
    });
  }

  // wrapFetch makes fetch answer requests under root (an absolute URL ending in "lab/") here;
  // every other request goes to the network as before.
  function wrapFetch(root) {
    const real = self.fetch.bind(self);
    self.fetch = (input, init) => {
      const req = input instanceof Request ? input : null;
      const url = String(req ? req.url : input);
      if (!root || !url.startsWith(root)) return real(input, init);
      const method = ((init && init.method) || (req && req.method) || "GET").toUpperCase();
      const u = new URL(url);
      return answer(u.pathname.slice(new URL(root).pathname.length), method, (init && init.signal) || (req && req.signal));
    };
  }

  return { answer, wrapFetch, parseDuration };
})();
