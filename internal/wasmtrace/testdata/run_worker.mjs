// Runs a js/wasm program under Node through the page's own worker (site/assets/js/worker.js and
// wasmexec.js, copied into a folder of their own as ES modules), as the playground does: the
// program's output lines, then "exit <code>" and the trace's pieces to a file.
//
//   node run_worker.mjs <site/assets/js> <wasm_exec.js> <prog.wasm> <trace.out> <limit ms> [NAME=value…]
//
// After <limit ms> without an exit it prints "time limit" and exits, as the page stops a run.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { pathToFileURL } from "node:url";

const [jsdir, wasmExec, wasmFile, traceOut, limit, ...envs] = process.argv.slice(2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "worker-"));
for (const f of fs.readdirSync(jsdir)) if (f.endsWith(".js")) fs.copyFileSync(path.join(jsdir, f), path.join(dir, f));
fs.writeFileSync(path.join(dir, "package.json"), '{"type": "module"}');
const traceFd = fs.openSync(traceOut, "w");
const end = (line) => { console.log(line); fs.rmSync(dir, { recursive: true, force: true }); process.exit(0); };
globalThis.self = {
  postMessage(m) {
    if (m.type === "lines") for (const l of m.packed ? unpackLines(m.packed) : m.lines) console.log(l.text);
    else if (m.type === "trace") fs.writeSync(traceFd, m.bytes);
    else if (m.type === "exit") end("exit " + m.code);
    else if (m.type === "error") end("error " + m.message);
  },
};
setTimeout(() => end("time limit"), Number(limit));
const { unpackLines } = await import(pathToFileURL(path.join(dir, "protocol.js")));
const env = Object.fromEntries(envs.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
await import(pathToFileURL(path.join(dir, "worker.js")));
self.onmessage({ data: { type: "run", wasmExec: pathToFileURL(wasmExec).href, wasm: fs.readFileSync(wasmFile), program: "js", argv: [], env } });
