package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"unblocked/internal/chromium"
)

// The phases of a cold Run Python press, for finding where its seconds go: step pyprofile
// (`go run ./cmd/bench -only pyprofile`) presses Run Python once in each of a few fresh browser
// profiles and prints, per worker, when each phase ended, in ms after the press. It rates
// nothing; the python step gives the figures.

// pyMarks is what python.js's pressProfile() returns: absolute ms (epoch).
type pyMarks struct {
	Press      float64 `json:"press"`
	Sync       pyRun   `json:"sync"`
	Concurrent pyRun   `json:"concurrent"`
}

type pyRun struct {
	Marks   map[string]any `json:"marks"`
	Started float64        `json:"started"`
	First   float64        `json:"first"`
}

// pyPhaseOrder lists the worker's marks in the order they happen (pyworker.js).
var pyPhaseOrder = []string{"boot", "msg", "imported", "instantiate", "instantiated", "loaded", "prelude", "started"}

func (r pyRun) line(press float64) string {
	var b strings.Builder
	rel := func(v float64) string { return fmt.Sprintf("%.0f", v-press) }
	for _, k := range pyPhaseOrder {
		if v, ok := r.Marks[k].(float64); ok {
			fmt.Fprintf(&b, " %s %s", k, rel(v))
		}
	}
	if r.Started > 0 {
		fmt.Fprintf(&b, " | page: started %s first %s", rel(r.Started), rel(r.First))
	}
	if files, ok := r.Marks["files"].([]any); ok {
		var fs []string
		for _, f := range files {
			m, _ := f.(map[string]any)
			s, _ := m["start"].(float64)
			e, _ := m["end"].(float64)
			n, _ := m["name"].(string)
			fs = append(fs, fmt.Sprintf("%s %s–%s", n, rel(s), rel(e)))
		}
		sort.Strings(fs)
		fmt.Fprintf(&b, "\n      files: %s", strings.Join(fs, ", "))
	}
	return b.String()
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func benchPyProfile(r *results, root string, reps int) error {
	ps, err := servePySite(root)
	if err != nil {
		return err
	}
	defer ps.srv.Close()
	var firsts []time.Duration
	for i := 0; i < reps; i++ {
		err := inFreshBrowser(10*time.Minute, func(tab *chromium.Tab) error {
			if err := openPyPage(tab, ps.pageURL); err != nil {
				return err
			}
			load := loadAvg()
			var c float64
			if err := tab.Eval(firstPyLine, &c); err != nil {
				return err
			}
			done := sleepSec + `.querySelector('.pg-run[data-engine=python][data-variant=concurrent]').dataset.state !== "running" && ` +
				sleepSec + `.querySelector('.pg-run[data-engine=python][data-variant=sync]').dataset.state !== "running"`
			if err := tab.WaitJS(done, 10*time.Minute); err != nil {
				return err
			}
			var m pyMarks
			if err := tab.Eval(`import(JSON.parse(document.getElementById("site-config").textContent).modules.python).then(m => m.pressProfile())`, &m); err != nil {
				return err
			}
			firsts = append(firsts, time.Duration(c*float64(time.Millisecond)))
			fmt.Fprintf(os.Stderr, "  cold press %d (load %s): asyncio panel's first line %.0f ms\n    sync:      %s\n    asyncio:   %s\n",
				i+1, load, c, m.Sync.line(m.Press), m.Concurrent.line(m.Press))
			return nil
		})
		if err != nil {
			return err
		}
	}
	r.add("press → first Python output line, cold (profiled)", ms(median(firsts)), "", true,
		fmt.Sprintf("median of %d fresh browser profiles, phases above", len(firsts)))
	return nil
}

// benchPyFidelity (step pyfidelity, only when named) runs sleep/python/async.py with 1,000
// tasks × 1 s a few times in one page, each on a spare worker, then Go's concurrent version,
// and prints each figure: more samples of the python step's last figure, for A/B comparisons.
func benchPyFidelity(r *results, root string, reps int) error {
	ps, err := servePySite(root)
	if err != nil {
		return err
	}
	defer ps.srv.Close()
	chrome, err := chromium.Launch()
	if err != nil {
		return err
	}
	defer chrome.Close()
	tab, closeTab, err := chrome.Open(15 * time.Minute)
	if err != nil {
		return err
	}
	defer closeTab()
	if err := openPyPage(tab, ps.pageURL); err != nil {
		return err
	}
	spares := `import(JSON.parse(document.getElementById("site-config").textContent).modules.python).then(m => m.sparesReady() >= 2)`
	var py []float64
	for i := 0; i < reps+1; i++ { // the first is a cold press: not counted
		if i > 0 {
			if err := tab.WaitJS(spares, 10*time.Minute); err != nil {
				return err
			}
		}
		load := loadAvg()
		f, err := pyElapsed(tab, "run-python", ".pg-run[data-engine=python][data-variant=concurrent]")
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "  python 1,000 × 1 s (load %s): %.3f%s\n", load, f, map[bool]string{true: " (cold, not counted)"}[i == 0])
		if i > 0 {
			py = append(py, f)
		}
	}
	g, err := pyElapsed(tab, "run-concurrent", ".pg-run[data-variant=concurrent]")
	if err != nil {
		return err
	}
	sort.Float64s(py)
	r.add("asyncio fidelity at 1,000 tasks × 1 s, spare workers", fmt.Sprintf("%.3f", py[len(py)/2]), "", true,
		fmt.Sprintf("median of %d runs in one page: %v; Go's concurrent version after them: %.3f", len(py), py, g))
	return nil
}
