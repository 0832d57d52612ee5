// lab.js — the lab endpoints in the browser, answered exactly as site/lab answers them (see its
// package doc and docs/architecture.md, "Lab endpoints"; site/lab/testdata/lab.txt is run against
// both, e2e/lab_test.go):
//
//   delay/<dur>/<rest>        after <dur>: 200 "ok <rest>\n"
//   fail/<dur>/<rest>         after <dur>: 500 "fail <rest>\n"
//   limit/<n>/<dur>/<rest>    503 at once while n of them are in flight, else as delay
//
// The worker that runs a program imports it and wraps its fetch, so Go's net/http (which calls
// fetch) gets real responses after real delays on any host, offline, and with no browser limit
// on connections per host.
import { parseDuration } from "./protocol.js";

const MAX_DELAY = 30000;
const MAX_LIMIT = 1000;

const inFlight = new Map(); // n of limit/<n>/… → requests being answered

/**
 * answer responds to one request for <lab root><path> (path without the root). signal (an
 * AbortSignal, optional) abandons it: the promise then rejects as fetch does, and a limit/ place
 * is freed at once.
 */
export function answer(path, method, signal) {
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Unblocked-Lab": "browser" };
  // a HEAD answer has no body, as from a server (Go's net/http would hand one on to the program)
  const reply = (status, text, extra) => Promise.resolve(new Response(method === "HEAD" ? null : text, { status, headers: Object.assign({}, headers, extra) }));
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
  // a Go duration without a sign, as site/lab's parseDelay takes it
  const ms = /^[+-]/.test(durText) ? NaN : parseDuration(durText);
  if (!isFinite(ms) || ms > MAX_DELAY) {
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

/**
 * wrapFetch makes scope.fetch answer requests under root (an absolute URL ending in "lab/")
 * here; every other request goes to the network as before.
 */
export function wrapFetch(root, scope = globalThis) {
  const real = scope.fetch.bind(scope);
  scope.fetch = (input, init) => {
    const req = input instanceof Request ? input : null;
    const url = String(req ? req.url : input);
    if (!root || !url.startsWith(root)) return real(input, init);
    const method = ((init && init.method) || (req && req.method) || "GET").toUpperCase();
    const u = new URL(url);
    return answer(u.pathname.slice(new URL(root).pathname.length), method, (init && init.signal) || (req && req.signal));
  };
}
