package assets

import (
	"archive/zip"
	"strings"
	"testing"
)

// The committed python_stdlib.zip is what `make pyodide` (site/pyodide/vendor.mjs) writes: every
// member stored (brotli then compresses the archive whole), and the modules a run imports before
// its first line precompiled to .pyc in place of their .py — without them each of Run Python's two
// workers compiles that source at every cold start (seconds: docs/arch/python.md, "Cold start").
// A zip re-vendored by hand from Pyodide's tarball fails here.
func TestPythonStdlibPrecompiled(t *testing.T) {
	z, err := zip.OpenReader("pyodide/python_stdlib.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
		if f.Method != zip.Store {
			t.Errorf("%s is compressed (method %d), want stored", f.Name, f.Method)
		}
	}
	// the start-up modules of asyncio.run and of the prelude (vendor.mjs HOT and what they import)
	for _, m := range []string{"asyncio/__init__", "asyncio/events", "asyncio/base_events", "json/__init__", "argparse", "traceback"} {
		if !names[m+".pyc"] {
			t.Errorf("%s.pyc missing: the start-up modules are not precompiled", m)
		}
		if names[m+".py"] {
			t.Errorf("%s.py beside its .pyc", m)
		}
	}
	pyc := 0
	for n := range names {
		if strings.HasSuffix(n, ".pyc") {
			pyc++
		}
	}
	if pyc < 100 {
		t.Errorf("%d modules precompiled, want the start-up set (137 when vendored)", pyc)
	}
}
