//go:build timed

package model

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"unblocked/site/content"
	"unblocked/site/markdown"
)

// Loading and resolving a lesson takes time linear in its size, however it repeats itself:
// 8,000 identical headings took 11 s and 16,000 took 66 s, 100,000 directives 27 s. Input
// four times larger must take well under sixteen times as long (a quadratic cost; the limit is ten, for noise); the
// ratio is of the fastest of three runs of each size, interleaved, in this one process.
func TestTimedLessonInputLinear(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		block func(i int) string
	}{
		{"identical headings", 4000, func(int) string { return "## Same\n\n" }},
		{"directives", 10000, func(i int) string {
			return fmt.Sprintf("::playground{example=sleep tasks=%d}\n\n", i%9+1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lesson := func(n int) fstest.MapFS {
				var b strings.Builder
				b.WriteString("---\ntitle: T\nsummary: S.\n---\n\n")
				for i := range n {
					b.WriteString(tc.block(i))
				}
				f := &fstest.MapFile{Data: []byte(b.String())}
				return fstest.MapFS{"lessons/en/01-big.md": f, "lessons/zh/01-big.md": f}
			}
			small, large := lesson(tc.n), lesson(4*tc.n)
			run := func(fsys fstest.MapFS) time.Duration {
				start := time.Now()
				set, err := (&content.Loader{MD: markdown.New(markdown.Options{})}).Load(fsys)
				if err != nil {
					t.Fatal(err)
				}
				if _, errs := Resolve(Input{Base: "/", Lessons: set}); len(errs) > 0 {
					t.Fatal(errs)
				}
				return time.Since(start)
			}
			best := [2]time.Duration{time.Hour, time.Hour}
			for range 3 {
				best[0] = min(best[0], run(small))
				best[1] = min(best[1], run(large))
			}
			ratio := float64(best[1]) / float64(best[0])
			t.Logf("%d: %v, %d: %v, ratio %.1f (linear 4, quadratic 16)", tc.n, best[0], 4*tc.n, best[1], ratio)
			if ratio > 10 {
				t.Errorf("4× the input took %.1f× as long: not linear", ratio)
			}
		})
	}
}
