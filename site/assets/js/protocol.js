// protocol.js — what the page and the program's worker agree on (docs/arch/modules.md, "Worker
// protocol"): the message types, the output notices, the task-line pattern and Go durations.
// Imported by both sides; it touches neither the DOM nor the worker's globals.
//
// page → worker
//   {type: "prepare", wasmExec, wasm?: WebAssembly.Module, key?, memory?}
//       ahead of a run: load wasm_exec.js and, given a module and its key (the module's URL),
//       make the Go instance of it, so a run with the same key only starts the program; memory:
//       grow the instance's linear memory to that many bytes and touch its pages first (a re-run)
//   {type: "run", wasm, key?, wasmExec, lab?, program, argv, env, maxLines, source?, trace?}
//       wasm: URL, WebAssembly.Module or bytes; program: argv[0] ("sleep/sync" in a bundle, else
//       "js"); argv: the program's arguments; lab: the lab root answered inside the worker;
//       source: globalThis.__unblockedSource for the interpreter; trace: false, no trace sink
// worker → page
//   {type: "started", t: 0, origin, clock, memory}  origin: performance.timeOrigin + start (epoch
//       ms); clock: the program's own clock (Go's nanotime, ms) at t = 0: the execution trace's
//       clock; memory: the instance's linear memory (bytes)
//   {type: "lines", packed: {text, t: Float64Array, flags: Uint8Array}}
//       output lines in order (packLines; the page reads them with unpackLines), t in ms since
//       start; after maxLines lines one notice "cap", then only task lines (hidden); at exit a
//       notice "dropped" and the last lines held back
//   {type: "lines", lines: [{fd, text, t, notice?, hidden?, maxLines?, count?}]}
//       the same as objects: the notices and the lines after them
//   {type: "trace", bytes: Uint8Array}
//       the next piece of the run's execution trace (the bundle's wrapper records one: see
//       docs/arch/scheduler.md); the pieces in order are the trace, as far as it was written
//   {type: "exit", code, t, memory}  memory: the linear memory at exit (bytes; Go programs)
//   {type: "error", message}
// One run per worker; the page stops a run with worker.terminate().

/** Message types. */
export const MSG = Object.freeze({
  PREPARE: "prepare",
  RUN: "run",
  STARTED: "started",
  LINES: "lines",
  EXIT: "exit",
  ERROR: "error",
  TRACE: "trace", // scheduler view
  PREPARED: "prepared", // pyworker.js: Pyodide is loaded, a run only starts the program
});

/** Kinds of the worker's notice lines (the page words them in its language). */
export const NOTICE = Object.freeze({ CAP: "cap", DROPPED: "dropped" });

/** Output lines a run shows before it caps its output. */
export const MAX_LINES = 10000;

/**
 * packLines(text, t, flags) is a batch of output lines as the worker posts it: text holds the
 * lines, each ended by "\n"; t[i] is line i's time (ms since the run's start) and flags[i] its
 * fd (1 or 2) plus 4 when it is hidden (a task line past the cap). One string and two typed arrays
 * cost the worker's thread (the program's) far less to send than an object per line.
 */
export function packLines(text, t, flags) {
  return { text, t, flags };
}

/** unpackLines(packed) → [{fd, text, t, hidden?}]: the lines of a packLines batch. */
export function unpackLines({ text, t, flags }) {
  const out = new Array(t.length);
  let from = 0;
  for (let i = 0; i < t.length; i++) {
    const nl = text.indexOf("\n", from);
    const line = { fd: flags[i] & 3, text: text.slice(from, nl), t: t[i] };
    if (flags[i] & 4) line.hidden = true;
    out[i] = line;
    from = nl + 1;
  }
  return out;
}

/** A task line: "task <id> start|done…" at the start of a line (docs/architecture.md, "Task lines"). */
export const TASK_LINE = /^task (\S+) (start|done)\b/;

/** taskLine("task 3 start: …") → {id: "3", kind: "start"}; null for any other line. */
export function taskLine(text) {
  const m = TASK_LINE.exec(text);
  return m ? { id: m[1], kind: m[2] } : null;
}

const UNITS = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/**
 * parseDuration reads a Go duration (time.ParseDuration's syntax: "300ms", "1.5s", "1m30s",
 * "-2s", "0") as milliseconds; NaN when it is not one.
 */
export function parseDuration(s) {
  s = String(s == null ? "" : s);
  let neg = false;
  if (s[0] === "-" || s[0] === "+") { neg = s[0] === "-"; s = s.slice(1); }
  if (s === "0") return 0;
  if (s === "") return NaN;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return NaN;
    total += Number(m[1]) * UNITS[m[2]];
    pos = re.lastIndex;
  }
  return neg ? -total : total;
}

/** formatDuration(1500) → "1.5s", 300 → "300ms", 0.5 → "500us": a flag value Go parses. */
export function formatDuration(ms) {
  if (ms === 0) return "0s";
  if (ms >= 1000 && ms % 1 === 0) return ms / 1000 + "s";
  if (ms % 1 === 0) return ms + "ms";
  return Math.round(ms * 1000) + "us";
}
