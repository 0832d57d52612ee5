// wasmexec.js — the adapter to Go's wasm_exec.js: the one file that touches its internals.
//
// wasm_exec.js ($(go env GOROOT)/lib/wasm, served as site-config.wasmExec) is a classic script
// that defines globalThis.Go (and globalThis.fs when there is none). Beyond its public surface
// (new Go(), go.importObject, go.run, go.argv, go.env, go.exit, fs.writeSync, fs.write) this
// adapter relies on these internals of it, all checked against the Go of go.mod by
// site/assets/wasmexec_test.go (which reads the names below from this file):
//
//   internal: go._resume            called by wasm_exec.js itself as this._resume()
//   internal: go._scheduledTimeouts the Map of Go's pending timers
//   internal: go._pendingEvent      the event Go reads when it resumes
//   internal: go.exited             set when the program has exited
//
// and on Go's clock: runtime.nanotime1 is (timeOrigin + performance.now()) ms, timeOrigin being
// Date.now() - performance.now() taken in the constructor (newProgram's clock reads it; the
// execution trace's timestamps are that nanotime).
//
// Reviewed against wasm_exec.js of: go1.26

let loading = null; // {url, promise}

/**
 * loadRuntime loads wasm_exec.js from url once: a module worker has no importScripts, so it is
 * imported, and as it assigns globalThis.Go it works as a module too.
 */
export function loadRuntime(url) {
  if (!url) return Promise.reject(new Error("worker: no wasmExec URL"));
  if (!loading || loading.url !== url) loading = { url, promise: import(url).then(() => {
    if (typeof globalThis.Go !== "function") throw new Error(url + " did not define Go");
  }) };
  return loading.promise;
}

/**
 * newProgram makes a Go instance (after loadRuntime): its importObject instantiates a module,
 * and run(instance, {argv, env, write, beforeDeadlock?}) runs it once → Promise<{code, error?}>.
 * clock(p) is the program's own clock (its runtime's nanotime, in ms) at performance.now() = p.
 *   argv: [argv0, ...args]; env: {NAME: value};
 *   write(fd, bytes) takes the program's output as it is written (→ bytes taken).
 * A program that deadlocks (every goroutine asleep) exits 2 with Go's own fatal error, as it would
 * natively (see run). beforeDeadlock() → boolean is asked when Go has only timers left: true when
 * they were a tracer's own and it stopped (the worker's: internal/wasmtrace). error is set when wasm_exec.js threw (the program had no say in its code).
 */
export function newProgram() {
  // Go's clock is timeOrigin + performance.now(), timeOrigin = Date.now() - performance.now()
  // taken in the constructor. When Date.now() reads the same before and after it, the
  // constructor read that value too, and its performance.now() lay between ours: Go's origin is
  // known to within that span (microseconds). (A millisecond boundary in between: again.)
  let go = null, origin = 0;
  for (let i = 0; i < 4; i++) {
    const d0 = Date.now(), p0 = performance.now();
    go = new globalThis.Go();
    const p1 = performance.now(), d1 = Date.now();
    origin = d0 - (p0 + p1) / 2;
    if (d0 === d1) break;
  }
  return { importObject: go.importObject, run: (instance, opts) => run(go, instance, opts), clock: (p) => origin + p };
}

async function run(go, instance, { argv, env, write, beforeDeadlock }) {
  go.argv = argv.map(String);
  go.env = Object.assign({}, env || {});
  let exitCode = 0;
  go.exit = (code) => { exitCode = code; };

  // stdout and stderr come through fs.writeSync (site/gowasm overlays syscall so they do:
  // docs/arch/gowasm.md, "Output"); other writes, and builds without that overlay, through
  // fs.write. Go's syscall.Write calls fs.write and waits for its callback. Called synchronously, the
  // callback resumes Go inside the very call that made the write, and Go then runs every
  // goroutine until all wait: if main returns meanwhile, the module exits under wasm_exec.js's
  // feet ("Cannot read properties of undefined (reading 'exports')"). So the text is taken at once
  // (order and timestamps stay exact) and the callback comes a microtask later, as with Node's
  // asynchronous fs.write; after an exit it is dropped.
  const fs = globalThis.fs;
  let pendingWrites = 0;
  const later = (callback, err, n) => {
    pendingWrites++;
    queueMicrotask(() => { pendingWrites--; if (!go.exited) callback(err, n); });
  };
  fs.writeSync = (fd, buf) => write(fd, buf);
  fs.write = (fd, buf, offset, length, position, callback) => {
    if (offset !== 0 || length !== buf.length || position !== null) {
      const err = new Error("not implemented");
      err.code = "ENOSYS";
      later(callback, err);
      return;
    }
    later(callback, null, write(fd, buf));
  };

  // Deadlock detection. Node's wasm_exec tells Go "no more events" when its event loop empties; a
  // worker's never does, so a deadlocked program would hang. When Go has had no timer and no
  // pending callback (a promise's then, a write) for 50 ms, send the same "id 0" event: the runtime
  // then reports "fatal error: all goroutines are asleep - deadlock!" and exits 2.
  // A program recording its execution trace always has the tracer's timers pending: when Go has
  // only timers left, beforeDeadlock() (the worker's: internal/wasmtrace's hook) is asked; it
  // returns true when those were the tracer's and it stopped the tracer (the trace is complete),
  // and the check above then finds no timer.
  let pendingThens = 0, resumes = 0, idleTimer = 0, counting = false, ended = false;
  const origThen = Promise.prototype.then;
  Promise.prototype.then = function (onOk, onErr) {
    if (!counting) return origThen.call(this, onOk, onErr);
    pendingThens++;
    let settled = false;
    const settle = () => { if (!settled) { settled = true; pendingThens--; } };
    return origThen.call(this,
      (v) => { settle(); return typeof onOk === "function" ? onOk(v) : v; },
      (e) => { settle(); if (typeof onErr === "function") return onErr(e); throw e; });
  };
  const quiet = () => !go.exited && pendingThens === 0 && pendingWrites === 0;
  const idle = () => quiet() && go._scheduledTimeouts.size === 0;
  const ask = () => !ended && typeof beforeDeadlock === "function";
  const checkIdle = () => {
    clearTimeout(idleTimer);
    if (!idle() && !(quiet() && ask())) return;
    const seen = resumes;
    idleTimer = setTimeout(() => {
      if (seen !== resumes) return;
      if (idle()) {
        go._pendingEvent = { id: 0 };
        go._resume();
      } else if (quiet() && ask() && beforeDeadlock()) {
        ended = true; // the tracer's timers go (the last one fires, and Go resumes: checkIdle)
      }
    }, 50);
  };
  const origResume = go._resume;
  go._resume = function () {
    resumes++;
    origResume.call(this);
    checkIdle();
  };

  try {
    counting = true;
    const done = go.run(instance); // runs synchronously until Go first yields
    checkIdle();
    await done;
    return { code: exitCode };
  } catch (e) {
    return { code: exitCode || 2, error: String((e && e.message) || e) };
  } finally {
    counting = false;
    clearTimeout(idleTimer);
  }
}
