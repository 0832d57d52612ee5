package assets

import "embed"

// FS holds the files the pipeline reads: the stylesheets, the page and worker modules, the
// vendored bundles (CodeMirror, Pyodide), the service worker, the inline head script and the favicon. The builder
// prefers the folder on disk when it runs inside the repository, so editing them during
// `workbook serve` needs no recompilation; the embedded copy makes the binary work anywhere.
//
//go:embed css/*.css js/*.js vendor/* pyodide/* sw.js head.js favicon.svg
var FS embed.FS
