// worker.js — the program worker (a module worker, site-config.worker): runs one Go js/wasm
// program, speaking protocol.js with the page. It timestamps and batches the output, caps it,
// answers the program's lab requests (lab.js) and leaves wasm_exec.js to its adapter (wasmexec.js).
import { MSG, MAX_LINES } from "./protocol.js";
import { output } from "./outbuf.js";
import { wrapFetch } from "./lab.js";
import { loadRuntime, newProgram } from "./wasmexec.js";
import { unclamp } from "./timers.js";

// Short sleeps take what they ask for, not the browser's 4 ms (timers.js).
unclamp();

let running = false;

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

// The most a spare's memory is grown to ahead of a run (bytes): a re-run of a program that used
// more gets the rest on its own clock, as every first run does. An idle spare holds it all, so
// it is kept well below what a phone's tab may use.
const MAX_TOUCHED = 128 << 20;

// touchMemory grows a fresh instance's linear memory to `bytes` and writes a zero into each
// 4 KiB page of the new part, so the operating system has backed those pages before the program
// runs. Go takes all of a linear memory as its own from the start (runtime.osinit records its
// size) and asks fresh memory to be zero, which it still is. Why: a new page costs its first
// touch, and on the machine the benchmarks run on that is 1-9 µs a page; a 10,000-goroutine
// run touches about 50 MB, some 60-90 ms of its wall time (docs/arch/gowasm.md, "Memory").
function touchMemory(instance, bytes) {
  const mem = instance.exports.mem;
  const have = mem.buffer.byteLength;
  const want = Math.min(bytes, MAX_TOUCHED);
  if (!(want > have)) return;
  try {
    mem.grow(Math.ceil((want - have) / 65536));
  } catch (e) {
    return; // no room: the program grows it itself, as without this
  }
  const page = new Uint8Array(mem.buffer);
  for (let i = have; i < page.length; i += 4096) page[i] = 0;
}

// A Go instance made by "prepare", used by a run with the same key. A run that comes while it is
// still being made waits for it: a fresh instance would cost as much, and lose touchMemory's work.
let prepared = null; // {key, ready: Promise<{program, instance: WebAssembly.Instance}>}
function prepare(msg) {
  const runtime = loadRuntime(msg.wasmExec);
  if (prepared || running || !msg.key || !msg.wasm) return runtime;
  const p = { key: msg.key };
  p.ready = runtime.then(async () => {
    const program = newProgram();
    const instance = await instantiate(msg.wasm, program.importObject);
    if (msg.memory > 0) touchMemory(instance, msg.memory);
    return { program, instance };
  });
  p.ready.catch(() => { if (prepared === p) prepared = null; });
  prepared = p;
  return p.ready;
}

async function run(msg) {
  if (running) throw new Error("worker: one run per worker");
  running = true;
  await loadRuntime(msg.wasmExec);
  const ready = prepared && msg.key && prepared.key === msg.key ? prepared : null;
  prepared = null;
  let start = performance.now();
  const now = () => performance.now() - start;
  const out = output(msg.maxLines > 0 ? msg.maxLines : MAX_LINES, now);

  if (msg.source !== undefined) globalThis.__unblockedSource = msg.source;
  if (msg.lab) wrapFetch(msg.lab);

  let program = null, instance = null;
  if (ready) { try { ({ program, instance } = await ready.ready); } catch (e) { instance = null; } }
  if (!instance) {
    program = newProgram();
    instance = await instantiate(msg.wasm, program.importObject);
  }
  // The scheduler view: the bundle's wrapper hands the runtime tracer's output here as it is
  // written (a Uint8Array of its own each time), and it goes to the page at once, so a run the
  // page stops has left what was recorded until then.
  // (msg.trace === false: no sink, so the wrapper records nothing: cmd/bench's tracing overhead.)
  if (msg.trace !== false) globalThis.__unblockedTrace = (bytes) => self.postMessage({ type: MSG.TRACE, bytes }, [bytes.buffer]);
  start = performance.now();
  // clock: the program's own clock (Go's nanotime, ms) at t = 0, where its execution trace's
  // timestamps come from: the page places the trace's task bars on the run's time axis with it
  const mem = instance.exports.mem;
  self.postMessage({ type: MSG.STARTED, t: 0, origin: performance.timeOrigin + start, clock: program.clock(start), memory: mem.buffer.byteLength });
  const argv = [String(msg.program || "js")].concat(msg.argv || []);
  // A traced program that is asleep with only timers left: internal/wasmtrace's hook says whether
  // they are the tracer's own, and then stops it (the trace is complete) so the runtime can
  // report the deadlock (docs/arch/scheduler.md, "Deadlock").
  const beforeDeadlock = () => {
    const end = globalThis.__unblockedTraceEnd;
    return typeof end === "function" && end() === true;
  };
  const { code, error } = await program.run(instance, { argv, env: msg.env, write: out.write, beforeDeadlock });
  out.close(error);
  self.postMessage({ type: MSG.EXIT, code, t: now(), memory: mem.buffer.byteLength });
}

self.onmessage = (ev) => {
  const msg = ev.data || {};
  if (msg.type === MSG.PREPARE) {
    prepare(msg).catch(() => { /* reported by the run */ });
    return;
  }
  if (msg.type !== MSG.RUN) return;
  run(msg).catch((e) => self.postMessage({ type: MSG.ERROR, message: String((e && e.message) || e) }));
};
