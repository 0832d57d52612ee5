//go:build timed

package main

import (
	"cmp"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"unblocked/site/lab"
)

// TestTimedExamplesRunInterpreted runs every example pair through the interpreter (not under
// -race: the counter and race examples race by design, and yaegi itself does), with the lab for
// those that fetch, and checks each ends well: exit 0, nothing on stderr, its closing line.
func TestTimedExamplesRunInterpreted(t *testing.T) {
	srv := httptest.NewServer(http.StripPrefix("/lab", lab.Handler()))
	defer srv.Close()
	// The pairs only: a challenge's start program (wasm/<name>/<folder>/) may never end by
	// design (a range over a channel nobody closes, a request with no timeout).
	sync, err := filepath.Glob("../../wasm/*/sync/main.go")
	conc, err2 := filepath.Glob("../../wasm/*/concurrent/main.go")
	dirs := append(sync, conc...)
	if err = cmp.Or(err, err2); err != nil || len(dirs) < 30 {
		t.Fatalf("examples: %v %v", dirs, err)
	}
	for _, f := range dirs {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(f), "../../wasm/"), "/main.go")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"-tasks", "2", "-delay", "5ms"}
			if strings.Contains(string(src), `flag.String("base"`) {
				args = append(args, "-base", srv.URL+"/lab/")
			}
			out, errOut, code := run(t, string(src), args...)
			if code != 0 || errOut != "" || !regexp.MustCompile(`(?m)(done|answered|served|returns).*\n\z`).MatchString(out) {
				t.Fatalf("exit %d\nstderr %q\nstdout %q", code, errOut, out)
			}
		})
	}
}
