// Package assets embeds the static files of the site: css/ (concatenated
// into one stylesheet), js/ (concatenated into app.js, except worker.js,
// which gets lab.js in front: the lab endpoints in the browser),
// vendor/ (lazily loaded bundles), sw.js and favicon.svg. The builder
// prefers the files on disk when it runs inside the repository, so editing
// them during `workbook serve` needs no recompilation; the embedded copy
// makes the binary work anywhere.
package assets

import "embed"

// FS holds the whole folder (this file included, which is harmless).
//
//go:embed *
var FS embed.FS
