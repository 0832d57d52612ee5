//go:build !unix && !windows

package gowasm

import "os/exec"

// setProcessGroup does nothing where there are no process groups.
func setProcessGroup(*exec.Cmd) {}

// killGroup kills the go command only: this system has no process groups.
func killGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }
