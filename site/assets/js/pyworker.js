// pyworker.js — Run Python's worker (a module worker, site-config.modules.pyworker): runs one
// Python file in Pyodide (site/pyodide, served under site-config.pyodide), speaking protocol.js
// with the page like worker.js does for Go: the same started/lines/exit messages, the same
// output batching and cap (outbuf.js), the lab answered here (lab.js). One run per worker, and
// Stop is worker.terminate(), as for Go: each run gets a fresh interpreter.
//
// page → worker  {type: "prepare", pyodide, lab}   load Pyodide ahead of a run and warm it up
//                                                 (a spare worker; WARMUP below)
//                {type: "run", pyodide, lab, program, source, argv, maxLines}
//                program: the file's name ("async.py"), source: its text
import { MSG, MAX_LINES } from "./protocol.js";
import { output } from "./outbuf.js";
import { wrapFetch } from "./lab.js";
import { FILES } from "./pyprelude.js";
import { unclamp } from "./timers.js";

// Short sleeps take what they ask for, not the browser's 4 ms (timers.js).
unclamp();

const HOME = "/home/pyodide";
const PRELUDE = HOME + "/.unblocked";

let labRoot = "";
function lab(root) {
  // before Pyodide loads: pyodide.http looks fetch up on the global object
  if (root && !labRoot) { labRoot = root; wrapFetch(root); }
}

// The output of the run in progress: Pyodide's stdout and stderr write here.
let out = null;

// How long loading took, by phase (ms), for the page and cmd/bench: importing pyodide.mjs,
// loadPyodide (fetch and compile the wasm, unpack the standard library), the prelude's imports.
const phases = {};
// The same moments as absolute times (epoch ms, comparable with the page's clock), with the
// resource timings of Pyodide's files, for cmd/bench's phase breakdown of a cold press.
const at = () => performance.timeOrigin + performance.now();
const marks = { boot: at() };
phases.marks = marks;
function resources() {
  marks.files = performance.getEntriesByType("resource").filter((e) => /\/pyodide\.[0-9a-f]+\//.test(e.name)).map((e) => ({
    name: e.name.slice(e.name.lastIndexOf("/") + 1), start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd, bytes: e.encodedBodySize,
  }));
}
// Pyodide instantiates its module with instantiateStreaming: timed here.
const instantiateStreaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  marks.instantiate = at();
  const r = await instantiateStreaming(source, imports);
  marks.instantiated = at();
  return r;
};
let ready = null; // Promise of the loaded Pyodide and its runner
function load(indexURL) {
  if (!ready) {
    ready = (async () => {
      if (!indexURL) throw new Error("no Pyodide in this build (site-config.pyodide)");
      let t = performance.now();
      const lap = (name) => { const now = performance.now(); phases[name] = Math.round(now - t); t = now; };
      const { loadPyodide } = await import(indexURL + "pyodide.mjs");
      lap("import");
      marks.imported = at();
      const py = await loadPyodide({ indexURL, env: { HOME }, stdout: () => {}, stderr: () => {} });
      lap("pyodide");
      marks.loaded = at();
      resources();
      // isatty: Python line-buffers a terminal, so each print reaches the page as it happens
      py.setStdout({ write: (b) => (out ? out.write(1, b) : b.length), isatty: true });
      py.setStderr({ write: (b) => (out ? out.write(2, b) : b.length), isatty: true });
      py.registerJsModule("_unblocked_js", { flush: () => { if (out) out.flush(); } });
      for (const [name, src] of Object.entries(FILES)) {
        const file = PRELUDE + "/" + name;
        py.FS.mkdirTree(file.slice(0, file.lastIndexOf("/")));
        py.FS.writeFile(file, src);
      }
      // the modules every example uses, imported now so a run only starts the program; the
      // standard library has them compiled (site/pyodide/vendor.mjs, HOT: keep the two in
      // step). urllib.request is patched when a program imports it (runner.py), and a spare
      // imports it in its warm-up.
      const run = py.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(PRELUDE)})
import asyncio, argparse, json, re, time, tracemalloc
import pyodide.http
from _unblocked.runner import run
run`);
      lap("prelude");
      marks.prelude = at();
      return { py, run };
    })();
  }
  return ready;
}

// A spare worker (prepare) also runs a small program through the same path as a run (runpy,
// argparse, re, asyncio.run with gathered coroutines, print, the time.sleep wrapper), its output
// discarded: the first call of each of Pyodide's wasm functions compiles it (V8 compiles
// WebAssembly lazily) and Python fills its caches, and otherwise the learner's program paid for
// that between the press and its first line. Nothing of it stays but what the prelude already
// left (imported modules): runpy gives it a __main__ of its own, and sys.argv is set per run.
const WARMUP = `import argparse, asyncio, re, time, urllib.request
def duration(text):
    return sum(float(n) for n, u in re.findall(r"(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)", text))
async def task(id, delay):
    print(f"task {id} start: sleeping {delay}")
    await asyncio.sleep(delay)
    print(f"task {id} done")
async def main():
    flags = argparse.ArgumentParser(description="warm-up")
    flags.add_argument("-tasks", type=int, default=3, help="number of tasks")
    flags.add_argument("-delay", type=duration, default=0.0, help="how long each task waits")
    args = flags.parse_args()
    start = time.perf_counter()
    await asyncio.gather(*(task(i, args.delay) for i in range(1, args.tasks + 1)))
    time.sleep(0)
    print(f"all {args.tasks} tasks done in {time.perf_counter() - start:.3f}s")
if __name__ == "__main__":
    asyncio.run(main())
`;
let warmed = null; // Promise: the spare's warm-up is over (whatever its outcome)
let running = false;
function warmUp(indexURL) {
  // a worker made for a press (no spare was ready) gets its run right after prepare: it goes
  // first, with no warm-up (that would only add to the cold press's wait)
  if (running) return Promise.resolve();
  if (!warmed) {
    warmed = load(indexURL).then(async ({ py, run: runFile }) => {
      const t = performance.now();
      const path = HOME + "/.unblocked-warmup.py";
      py.FS.writeFile(path, WARMUP);
      try {
        await runFile.callPromising(path, py.toPy(["-tasks", "3", "-delay", "0s"]));
      } finally {
        py.FS.unlink(path);
        phases.warmup = Math.round(performance.now() - t);
      }
    });
  }
  return warmed;
}

async function run(msg) {
  if (running) throw new Error("pyworker: one run per worker");
  running = true;
  lab(msg.lab);
  const { py, run: runFile } = await load(msg.pyodide);
  if (warmed) await warmed.catch(() => {}); // one program at a time in an interpreter
  const name = String(msg.program || "main.py").replace(/[^\w.-]/g, "_");
  const path = HOME + "/" + name;
  py.FS.writeFile(path, String(msg.source || ""));
  let start = performance.now();
  const now = () => performance.now() - start;
  out = output(msg.maxLines > 0 ? msg.maxLines : MAX_LINES, now);
  start = performance.now();
  marks.started = at();
  self.postMessage({ type: MSG.STARTED, t: 0, origin: performance.timeOrigin + start, phases });
  // callPromising: the program runs on a stack Pyodide can suspend (JSPI), so asyncio.run and
  // urlopen can wait for the browser's event loop without returning to it first
  const code = await runFile.callPromising(path, py.toPy(msg.argv || []));
  out.close();
  self.postMessage({ type: MSG.EXIT, code: Number(code) || 0, t: now() });
}

self.onmessage = (ev) => {
  const msg = ev.data || {};
  if (!marks.msg) marks.msg = at();
  if (msg.type === MSG.PREPARE) {
    lab(msg.lab);
    load(msg.pyodide).then(
      () => warmUp(msg.pyodide).catch((e) => { console.warn("pyworker warm-up:", e && e.message); }).then(() => self.postMessage({ type: MSG.PREPARED, phases })),
      () => { ready = null; /* the run reports it */ });
    return;
  }
  if (msg.type !== MSG.RUN) return;
  run(msg).catch((e) => self.postMessage({ type: MSG.ERROR, message: String((e && e.message) || e) }));
};
