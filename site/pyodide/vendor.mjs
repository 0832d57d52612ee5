// vendor.mjs copies the files of Pyodide a browser loads from node_modules/pyodide (installed by
// `npm ci` from package-lock.json, so the bytes are the registry's, checked by their integrity
// hash) into site/assets/pyodide/, which is committed. The same lock file gives the same files.
// The site build serves them under assets/pyodide.<hash>/ (one hash over all of them, so
// Pyodide finds its files by their own names next to pyodide.mjs), precompressed.
//
// One file is repacked: python_stdlib.zip, whose 614 members are each deflated. Stored (not
// compressed) members, the same bytes, names, times and CRCs, let the site's brotli compress
// the standard library as a whole: 2.55 MB on the wire become about 1.7 MB, which keeps the
// first Run Python under 5 MB. zipimport reads stored members as it reads deflated ones.
//
// And the modules a run imports before its first line (Pyodide's own start, the prelude's
// imports, what the examples import: HOT below) are there compiled, as .pyc in place of their
// .py: the zip has sources only, and CPython compiled each of them on every start, in
// WebAssembly, in each worker — most of a cold press's seconds (docs/arch/python.md, "Cold
// start"). They are compiled here by the same Pyodide under Node (the bytecode is its CPython's),
// docstrings left out (they are most of a module's constants and no running code reads a
// standard-library docstring), as unchecked-hash .pyc, which zipimport takes before a .py.
import { chmodSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { crc32, inflateRawSync } from "node:zlib";

// What loadPyodide fetches in a browser without extra packages: the loader, the Emscripten
// module, the WebAssembly binary, the standard library (asyncio, pyodide.http …) and the
// package index it reads at start.
const FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];

// The modules imported before a program's first line: keep in step with the prelude
// (site/assets/js/pyworker.js and pyprelude.js) and the imports of wasm/*/python/*.py.
const HOT = "asyncio, argparse, json, re, time, tracemalloc, threading, " +
  "io, os, runpy, traceback, functools, pyodide.http, pyodide.ffi";

const src = "node_modules/pyodide";
const dst = "../assets/pyodide";
const { version } = JSON.parse(readFileSync(join(src, "package.json"), "utf8"));
rmSync(dst, { recursive: true, force: true });
mkdirSync(dst, { recursive: true });
const compiled = await precompile();
for (const f of FILES) {
  if (f === "python_stdlib.zip") writeFileSync(join(dst, f), storeZip(readFileSync(join(src, f)), compiled));
  else cpSync(join(src, f), join(dst, f));
  chmodSync(join(dst, f), 0o644); // the tarball marks the .wasm executable; git would keep that
}
console.log("pyodide " + version + " → site/assets/pyodide/: " + readdirSync(dst).sort().join(", ") + "; " + compiled.size + " modules as .pyc");

// precompile → Map(member name of the .py → bytes of its .pyc) of every module of the standard
// library loaded after Pyodide starts and imports HOT.
async function precompile() {
  const { loadPyodide } = await import(resolve(src, "pyodide.mjs"));
  const py = await loadPyodide({ indexURL: resolve(src) + "/", stdout: () => {}, stderr: (s) => console.error(s) });
  const out = py.runPython(`
import ast, importlib._bootstrap_external as be, importlib.util, sys
import ${HOT}

def strip(tree):
    # docstrings out, line numbers kept (tracebacks point at the same lines)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.copy_location(ast.Pass(), body[0])]
    return tree

root = sys.path[0] if sys.path[0].endswith(".zip") else next(p for p in sys.path if p.endswith(".zip"))
compiled = {}
for name, m in sorted(sys.modules.items()):
    f = getattr(m, "__file__", None) or ""
    if not (f.startswith(root + "/") and f.endswith(".py") and hasattr(m.__loader__, "get_data")):
        continue
    data = m.__loader__.get_data(f)
    code = compile(strip(ast.parse(data, f)), f, "exec", dont_inherit=True)
    compiled[f[len(root) + 1:]] = bytes(be._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
compiled
`);
  const m = out.toJs();
  out.destroy();
  return m instanceof Map ? m : new Map(Object.entries(m));
}

// storeZip rewrites a zip archive with every member stored: the same order, names, times,
// CRC-32s and attributes; no extra fields, comments or data descriptors. A member named in
// compiled (a .py) becomes its .pyc, with that file's bytes and CRC.
function storeZip(zip, compiled = new Map()) {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("python_stdlib.zip: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const locals = [], centrals = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("python_stdlib.zip: bad central directory");
    const method = zip.readUInt16LE(at + 10), time = zip.readUInt16LE(at + 12), date = zip.readUInt16LE(at + 14);
    let crc = zip.readUInt32LE(at + 16), usize = zip.readUInt32LE(at + 24);
    const csize = zip.readUInt32LE(at + 20);
    let nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30), commentLen = zip.readUInt16LE(at + 32);
    const extAttr = zip.readUInt32LE(at + 38), local = zip.readUInt32LE(at + 42);
    let name = zip.subarray(at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + csize);
    let data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null;
    if (!data || data.length !== usize) throw new Error("python_stdlib.zip: cannot read " + name);
    const pyc = compiled.get(name.toString("utf8"));
    if (pyc) {
      name = Buffer.from(name.toString("utf8") + "c");
      nameLen = name.length;
      data = Buffer.from(pyc);
      usize = data.length;
      crc = crc32(data);
    }
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0, 6); lh.writeUInt16LE(0, 8);
    lh.writeUInt16LE(time, 10); lh.writeUInt16LE(date, 12); lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(usize, 18); lh.writeUInt32LE(usize, 22); lh.writeUInt16LE(nameLen, 26); lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0, 8); ch.writeUInt16LE(0, 10);
    ch.writeUInt16LE(time, 12); ch.writeUInt16LE(date, 14); ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(usize, 20); ch.writeUInt32LE(usize, 24); ch.writeUInt16LE(nameLen, 28);
    ch.writeUInt32LE(extAttr, 38); ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, data);
    centrals.push(ch, name);
    offset += 30 + nameLen + usize;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(count, 8); end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
