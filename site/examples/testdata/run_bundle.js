// Runs one program of a bundle under Node the way the page's worker does: argv[0] is the
// program's name ("sleep/concurrent"), the rest its flags. Like Go's wasm_exec_node.js otherwise.
//
//   node run_bundle.js <GOROOT>/lib/wasm/wasm_exec.js bundle.wasm sleep/concurrent -tasks 3
"use strict";
globalThis.require = require;
globalThis.fs = require("fs");
globalThis.path = require("path");
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("performance");
globalThis.crypto ??= require("crypto");

const [execJS, wasm, program, ...args] = process.argv.slice(2);
// With UNBLOCKED_TRACE_OUT set, the bundle's wrapper finds a trace sink, as in the page's worker,
// and the run's execution trace goes to that file.
if (process.env.UNBLOCKED_TRACE_OUT) {
  const fd = fs.openSync(process.env.UNBLOCKED_TRACE_OUT, "w");
  globalThis.__unblockedTrace = (bytes) => fs.writeSync(fd, bytes);
}
require(execJS);
const go = new Go();
go.argv = [program, ...args];
go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
go.exit = process.exit;
// Node's fetch (undici) starts at its first request, which takes up to seconds on a busy
// machine; a browser's is ready. With a lab (-base URL), one request first, before the program
// and its clock start.
const base = args.indexOf("-base") >= 0 ? args[args.indexOf("-base") + 1] : "";
const warm = base ? fetch(new URL("delay/0s/warm-up", base)).then((r) => r.arrayBuffer(), () => {}) : Promise.resolve();
warm.then(() => WebAssembly.instantiate(fs.readFileSync(wasm), go.importObject)).then((result) => {
  process.on("exit", (code) => {
    if (code === 0 && !go.exited) {
      // deadlock: Node's event loop is empty, but Go is not done
      go._pendingEvent = { id: 0 };
      go._resume();
    }
  });
  return go.run(result.instance);
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
