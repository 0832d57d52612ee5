//go:build timed

package main

import (
	"testing"
	"time"
)

// TestTimedSleepSpeedup checks the interpreter runs goroutines concurrently: the concurrent
// version of 4 sleeps takes a fraction of the sync version's time, both measured in this run.
func TestTimedSleepSpeedup(t *testing.T) {
	const delay = 150 * time.Millisecond
	sync := sleepRun(t, "sync", delay)
	conc := sleepRun(t, "concurrent", delay)
	t.Logf("sync %s, concurrent %s", sync, conc)
	if sync < 4*delay {
		t.Errorf("sync took %s, less than its 4 sleeps of %s", sync, delay)
	}
	if r := float64(conc) / float64(sync); r > 0.6 {
		t.Errorf("concurrent took %s, %.2f of sync's %s; want at most 0.6 (one delay of four)", conc, r, sync)
	}
}
