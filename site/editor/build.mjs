// Builds ../assets/vendor/codemirror.min.js: one minified IIFE defining window.UnblockedCM.
// Run `npm ci && npm run build` here (or `make editor` at the repo root) and commit the output.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const pkg = (name) => JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
const names = ["@codemirror/state", "@codemirror/view", "@codemirror/commands", "@codemirror/language", "@codemirror/lang-go", "@lezer/common", "@lezer/lr", "@lezer/highlight", "@lezer/go", "style-mod", "w3c-keyname", "@marijn/find-cluster-break"];
const versions = names.map((n) => { try { return `${n}@${pkg(n)}`; } catch { return null; } }).filter(Boolean);
// The MIT notice of CodeMirror/Lezer (all packages share it, same author), kept in the bundle.
const licence = readFileSync(new URL("./node_modules/@codemirror/view/LICENSE", import.meta.url), "utf8")
  .replace(/Copyright \(C\) [^\n]*/, "Copyright (C) 2016-2025 by Marijn Haverbeke <marijn@haverbeke.berlin> and others")
  .replace(/\*\//g, "* /").trim();
const banner = `/*! Unblocked editor bundle (site/editor): CodeMirror 6 and Lezer, https://codemirror.net\n${versions.join(" ")}\n\n${licence}\n*/`;

const out = new URL("../assets/vendor/codemirror.min.js", import.meta.url).pathname;
const result = await build({
  entryPoints: [new URL("./src/main.js", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  legalComments: "none",
  banner: { js: banner },
  outfile: out,
  metafile: true,
  logLevel: "info",
});
writeFileSync(new URL("./meta.json", import.meta.url), JSON.stringify(result.metafile));
