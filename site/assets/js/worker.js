// worker.js — runs one Go js/wasm program per worker (see docs/architecture.md, "Worker protocol").
//
// page → worker:
//   {type:"prepare", wasmExec, wasm?, key?}         optional, ahead of a run: load wasm_exec.js and,
//                                                   given a WebAssembly.Module and its key (the
//                                                   module URL), make the Go instance of it, so a
//                                                   run with the same key only starts the program
//   {type:"run", wasm, key?, wasmExec, lab?, program, argv, env, maxLines, source}
//       lab: the lab root URL ("http://host/base/lab/"): fetches under it are answered in this
//            worker (lab.js, which the build puts in front of this file), never by the network.
//       wasm: URL string (fetched with instantiateStreaming), or a WebAssembly.Module
//             compiled by the page, or an ArrayBuffer / Uint8Array of wasm bytes.
//       program: argv[0], default "js"; in a bundle of examples it picks the program ("sleep/sync").
//       argv: the program's arguments (without the program name).
//       source: optional, exposed as globalThis.__unblockedSource (interpreter).
// worker → page:
//   {type:"started", t:0, origin}  origin = performance.timeOrigin + start (epoch ms)
//   {type:"lines", lines:[{fd, text, t}]}  output lines in order, t = ms since start (stamped when
//                                  written; a line after 16 ms of quiet at once, else batched until Go yields, 16 ms pass or 256 lines); after maxLines
//                                  lines one {fd:2, text, t, notice:"cap", maxLines}, then only task lines
//                                  ("task <id> start|done") with hidden:true; at exit
//                                  {fd:2, text, t, notice:"dropped", count} and the last 20 non-task
//                                  lines that were held back (e.g. the program's summary)
//   {type:"exit", code, t}
//   {type:"error", message}
// One run per worker; the page stops a run with worker.terminate().
(() => {
  "use strict";

  const TASK_LINE = /^task \S+ (start|done)\b/;
  let loadedExec = "";
  let running = false;

  function loadExec(url) {
    if (!url) throw new Error("worker: no wasmExec URL");
    if (loadedExec === url) return;
    importScripts(url);
    loadedExec = url;
  }

  async function instantiate(wasm, imports) {
    if (typeof WebAssembly.Module === "function" && wasm instanceof WebAssembly.Module) {
      return WebAssembly.instantiate(wasm, imports); // → Instance
    }
    if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) {
      return (await WebAssembly.instantiate(wasm, imports)).instance;
    }
    if (typeof wasm !== "string" || wasm === "") throw new Error("worker: no wasm given");
    const resp = fetch(wasm);
    try {
      return (await WebAssembly.instantiateStreaming(resp, imports)).instance;
    } catch (e) {
      // Wrong MIME type from a bare static server: fall back to bytes.
      const r = await resp;
      if (!r.ok) throw new Error("fetch " + wasm + ": HTTP " + r.status);
      return (await WebAssembly.instantiate(await r.arrayBuffer(), imports)).instance;
    }
  }

  // A Go instance made by "prepare", used by a run with the same key.
  let prepared = null; // {key, go, instance: Promise<WebAssembly.Instance>}
  function prepare(msg) {
    loadExec(msg.wasmExec);
    if (prepared || running || !msg.key || !msg.wasm) return;
    const go = new globalThis.Go();
    const p = { key: msg.key, go, instance: instantiate(msg.wasm, go.importObject) };
    p.instance.catch(() => { if (prepared === p) prepared = null; });
    prepared = p;
  }

  async function run(msg) {
    if (running) throw new Error("worker: one run per worker");
    running = true;
    loadExec(msg.wasmExec);
    const ready = prepared && msg.key && prepared.key === msg.key ? prepared : null;
    prepared = null;
    const maxLines = msg.maxLines > 0 ? msg.maxLines : 10000;
    let start = performance.now();
    const now = () => performance.now() - start;
    let lines = 0;
    let capped = false;

    // Lines are timestamped when written and posted in batches ({type:"lines"}), at the latest
    // when Go yields to the event loop or after 256 lines: one message per line would flood the page.
    let batch = [];
    let batchTimer = 0;
    // A line after a quiet spell (16 ms) goes at once, so a program that prints and then keeps the
    // thread busy still shows its output.
    let lastPost = -1e9;
    function post() {
      clearTimeout(batchTimer);
      batchTimer = 0;
      if (!batch.length) return;
      self.postMessage({ type: "lines", lines: batch });
      batch = [];
      lastPost = performance.now();
    }
    function queue(line) {
      batch.push(line);
      if (batch.length >= 256 || performance.now() - lastPost >= 16) post();
      else if (!batchTimer) batchTimer = setTimeout(post, 0);
    }
    // After maxLines: one notice (kind "cap"), task lines hidden, and the last TAIL other lines
    // kept; at exit a notice (kind "dropped", count = lines not shown) and then those lines, so a
    // program's closing summary is never lost. Notice texts are English; the page translates them
    // from kind/count/maxLines (base.js).
    const TAIL = 20;
    let dropped = 0;
    const tail = [];
    function emit(fd, text) {
      const t = now();
      if (lines < maxLines) {
        lines++;
        queue({ fd, text, t });
        return;
      }
      if (!capped) {
        capped = true;
        queue({ fd: 2, text: "[output limit of " + maxLines + " lines reached: the rest is not shown; the last lines follow when the program ends]",
          t, notice: "cap", maxLines });
      }
      dropped++;
      if (TASK_LINE.test(text)) { queue({ fd, text, t, hidden: true }); return; }
      tail.push({ fd, text, t });
      if (tail.length > TAIL) tail.shift();
    }
    function emitTail() {
      if (!capped) return;
      const shown = tail.length;
      queue({ fd: 2, text: "[… " + (dropped - shown) + " lines not shown …]", t: now(), notice: "dropped", count: dropped - shown });
      for (const l of tail.splice(0)) queue(l);
    }

    const streams = {
      1: { dec: new TextDecoder("utf-8"), buf: "" },
      2: { dec: new TextDecoder("utf-8"), buf: "" },
    };
    function write(fd, buf) {
      const s = streams[fd] || streams[2];
      s.buf += s.dec.decode(buf, { stream: true });
      let nl;
      while ((nl = s.buf.indexOf("\n")) !== -1) {
        emit(fd === 1 ? 1 : 2, s.buf.slice(0, nl));
        s.buf = s.buf.slice(nl + 1);
      }
      return buf.length;
    }
    function flush() {
      for (const fd of [1, 2]) {
        const s = streams[fd];
        s.buf += s.dec.decode();
        if (s.buf !== "") emit(fd, s.buf);
        s.buf = "";
      }
    }
    // Go's syscall.Write calls fs.write and waits for its callback. Called synchronously, the
    // callback resumes Go inside the very call that made the write, and Go then runs every
    // goroutine until all wait: if main returns meanwhile, the module exits under wasm_exec.js's
    // feet ("Cannot read properties of undefined (reading 'exports')"). So the text is taken at
    // once (order and timestamps stay exact) and the callback comes a microtask later, as with
    // Node's asynchronous fs.write; after an exit it is dropped.
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

    if (msg.source !== undefined) globalThis.__unblockedSource = msg.source;
    if (msg.lab && self.UnblockedLab) self.UnblockedLab.wrapFetch(msg.lab);

    const go = ready ? ready.go : new globalThis.Go();
    go.argv = [String(msg.program || "js")].concat((msg.argv || []).map(String));
    go.env = Object.assign({}, msg.env || {});
    let exitCode = 0;
    go.exit = (code) => { exitCode = code; };

    // Deadlock detection. Node's wasm_exec tells Go "no more events" when its event loop empties;
    // a worker's never does, so a deadlocked program would hang. When Go has yielded with no timer
    // scheduled and no promise callback pending (Promise.prototype.then is counted), and that is
    // still so a moment later, send the same "id 0" event: the runtime then reports
    // "fatal error: all goroutines are asleep - deadlock!" and exits 2.
    let pendingThens = 0, resumes = 0, idleTimer = 0, counting = false;
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
    const idle = () => !go.exited && go._scheduledTimeouts.size === 0 && pendingThens === 0 && pendingWrites === 0;
    const checkIdle = () => {
      clearTimeout(idleTimer);
      if (!idle()) return;
      const seen = resumes;
      idleTimer = setTimeout(() => {
        if (seen === resumes && idle()) {
          go._pendingEvent = { id: 0 };
          go._resume();
        }
      }, 50);
    };
    const origResume = go._resume;
    go._resume = function () {
      resumes++;
      origResume.call(this);
      checkIdle();
    };

    let instance = null;
    if (ready) { try { instance = await ready.instance; } catch (e) { instance = null; } }
    if (!instance) instance = await instantiate(msg.wasm, go.importObject);
    start = performance.now();
    self.postMessage({ type: "started", t: 0, origin: performance.timeOrigin + start });
    try {
      counting = true;
      const done = go.run(instance); // runs synchronously until Go first yields
      checkIdle();
      await done;
    } catch (e) {
      flush();
      emitTail();
      queue({ fd: 2, text: String(e && e.message || e), t: now() });
      post();
      self.postMessage({ type: "exit", code: exitCode || 2, t: now() });
      return;
    }
    flush();
    emitTail();
    post();
    self.postMessage({ type: "exit", code: exitCode, t: now() });
  }

  self.onmessage = (ev) => {
    const msg = ev.data || {};
    if (msg.type === "prepare") {
      try { prepare(msg); } catch (e) { /* reported by the run */ }
      return;
    }
    if (msg.type !== "run") return;
    (async () => {
      try {
        await run(msg);
      } catch (e) {
        self.postMessage({ type: "error", message: String(e && e.message || e) });
      }
    })();
  };
})();
