// Package wasm holds the workbook's example pairs, one folder per example:
// example.yaml, sync/main.go and concurrent/main.go, each an ordinary
// program (see docs/architecture.md, "Examples").
//
// The package has no code of its own. Its tests run examples and check that
// each does what its lesson says it does: natively in the ordinary tests
// (including what only a native run shows, such as the race detector's
// report), and compiled to js/wasm under Node in the tests tagged timed
// (what only the one-threaded browser shows). The generic checks every
// example must pass (flags, task lines, summary line, the site's bundles)
// live in site/examples.
package wasm
