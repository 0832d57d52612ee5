// timers.js — timeouts without the browser's clamp, in a program worker (worker.js, pyworker.js).
//
// Go's runtime sleeps until its next timer with setTimeout (wasm_exec.js's scheduleTimeoutEvent),
// set from inside the timeout that woke it; Pyodide's asyncio loop does the same for call_later.
// After five such nested timeouts a browser waits at least 4 ms whatever the delay (HTML's timer
// nesting level): 200 sleeps of 1 ms took 820 ms, a 1 ms ticker ticked every 4 ms, and the last
// of 1,000 goroutines asleep for 1 s woke up to 4 ms late. A timeout set from a message task is
// not nested, so once unclamp() has run, the worker's setTimeout posts a message to itself and
// sets the real timeout from there (TestShortSleepsNotClamped).

/** unclamp replaces the worker's setTimeout and clearTimeout (once; clearTimeout takes both kinds of handle). */
export function unclamp() {
  if (globalThis.__unblockedUnclamped || typeof MessageChannel !== "function") return;
  globalThis.__unblockedUnclamped = true;
  const realSet = globalThis.setTimeout, realClear = globalThis.clearTimeout;
  const { port1, port2 } = new MessageChannel();
  const waiting = new Map(); // our handle → {fn, delay, args, id}: id once the real one is set
  let next = 1;
  port1.onmessage = (ev) => {
    const h = waiting.get(ev.data);
    if (!h || h.id) return;
    h.id = realSet(() => { waiting.delete(ev.data); h.fn(...h.args); }, h.delay);
  };
  if (port1.unref) port1.unref(); // Node (internal/wasmtrace's tests): the port keeps no process alive
  globalThis.setTimeout = (fn, delay = 0, ...args) => {
    if (typeof fn !== "function") return realSet(fn, delay, ...args);
    const handle = -(next++); // negative: never one of the browser's own
    waiting.set(handle, { fn, delay, args, id: 0 });
    port2.postMessage(handle);
    return handle;
  };
  globalThis.clearTimeout = (handle) => {
    const h = waiting.get(handle);
    if (!h) { realClear(handle); return; }
    waiting.delete(handle);
    if (h.id) realClear(h.id);
  };
}
