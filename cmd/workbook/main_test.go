package main

import (
	"os/exec"
	"testing"
)

// The CLI must refuse to run without a subcommand.
func TestUsage(t *testing.T) {
	out, err := exec.Command("go", "run", ".").CombinedOutput()
	if err == nil {
		t.Fatalf("want non-zero exit, got output %q", out)
	}
}
