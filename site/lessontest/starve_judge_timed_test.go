//go:build timed

package lessontest

import (
	"fmt"
	"strings"
	"testing"
)

// starveResult is what wasm/starve's task id prints for -delay delayMs (its work, in Go).
func starveResult(delayMs, id int) string {
	x := uint64(id)
	for i := 0; i < delayMs*300*1000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return fmt.Sprintf("%016x", x)
}

// The starve check on made-up runs (judge.js under Node), one for each way its verdict can go:
// the real runs (TestTimedChallengesJudgeRealRuns) show only a starving start and a beating
// solution.
func TestTimedStarveJudge(t *testing.T) {
	const delay = 2                             // ms of "work": the results are real, the times made up
	type beat struct{ from, to, every float64 } // heartbeat lines at from, from+every, … < to
	mk := func(span float64, wrong bool, beats ...beat) map[string]any {
		var lines []line
		add := func(tm float64, s string) { lines = append(lines, line{1, s, tm}) }
		add(1, "task 1 start: computing")
		for _, b := range beats {
			for tm := b.from; tm < b.to; tm += b.every {
				add(tm, fmt.Sprintf("heartbeat at %.0fms", tm))
			}
		}
		r := starveResult(delay, 1)
		if wrong {
			r = starveResult(delay+1, 1)
		}
		add(1+span, "task 1 done: result "+r)
		add(2+span, fmt.Sprintf("all 1 tasks done in %.0fms", 2+span))
		// the lines in time order, as a run prints them
		for i := 1; i < len(lines); i++ {
			for j := i; j > 0 && lines[j].T < lines[j-1].T; j-- {
				lines[j], lines[j-1] = lines[j-1], lines[j]
			}
		}
		return map[string]any{"check": "starve", "p": map[string]any{"tasks": 1, "delay": delay}, "engine": "compiled",
			"r": run{Status: "done", ElapsedMs: 3 + span, Lines: lines}}
	}
	cases := []struct {
		name       string
		c          map[string]any
		pass, busy bool
		want       string
	}{
		{"beating", mk(1000, false, beat{100, 1001, 100}), true, false, "kept its beat while the tasks computed: 10 of the 10 beats due"},
		{"wrong result", mk(1000, true, beat{100, 1001, 100}), false, false, "Line 12 of the output is"},
		{"starving", mk(1000, false, beat{1005, 1006, 1}), false, false, "fell silent for 1.000 s = 10.00 × its 100 ms beat"},
		{"one stall", mk(1000, false, beat{100, 301, 100}, beat{800, 1001, 100}), false, true, "Check again"},
		{"sparse", mk(1000, false, beat{250, 1001, 250}), false, false, "printed only 4 of the 10 beats due"},
		{"too quick", mk(250, false), false, false, "computed for only 250 ms"},
	}
	var in []map[string]any
	for _, c := range cases {
		in = append(in, c.c)
	}
	for i, v := range judgeAll(t, in) {
		c := cases[i]
		t.Logf("%s: %s", c.name, v.Text)
		if v.Pass != c.pass || v.Busy != c.busy || !strings.Contains(v.Text, c.want) {
			t.Errorf("%s: pass=%v busy=%v %q; want pass=%v busy=%v and %q", c.name, v.Pass, v.Busy, v.Text, c.pass, c.busy, c.want)
		}
	}
}
