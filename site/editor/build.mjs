// Builds ../assets/vendor/codemirror.min.js: one minified ES module exporting create().
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

// Pages carry a Content-Security-Policy without 'unsafe-inline' styles (docs/arch/modules.md), so
// CodeMirror's styles must not go into a <style> element: style-mod (which mounts them) uses a
// constructed stylesheet (document.adoptedStyleSheets) only for shadow roots; this makes it use
// one for the document too. The build fails if style-mod no longer has that line.
const adoptedStyles = {
  name: "style-mod-adopted",
  setup(b) {
    b.onLoad({ filter: /[\\/]style-mod[\\/]src[\\/]style-mod\.js$/ }, (args) => {
      const src = readFileSync(args.path, "utf8");
      const from = "if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {";
      if (!src.includes(from)) throw new Error(args.path + ": the StyleSet constructor changed; review the adoptedStyleSheets patch in build.mjs");
      return { contents: src.replace(from, "if (root.adoptedStyleSheets && win.CSSStyleSheet) {"), loader: "js" };
    });
  },
};

const out = new URL("../assets/vendor/codemirror.min.js", import.meta.url).pathname;
const result = await build({
  entryPoints: [new URL("./src/main.js", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "esm",
  plugins: [adoptedStyles],
  target: ["es2020", "chrome91", "firefox101", "safari16.4"], // module workers, document.adoptedStyleSheets
  legalComments: "none",
  banner: { js: banner },
  outfile: out,
  metafile: true,
  logLevel: "info",
});
writeFileSync(new URL("./meta.json", import.meta.url), JSON.stringify(result.metafile));
