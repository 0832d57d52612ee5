//go:build windows

package gowasm

import (
	"os/exec"
	"strconv"
)

// setProcessGroup does nothing on Windows: killGroup finds the children by their parent.
func setProcessGroup(*exec.Cmd) {}

// killGroup kills the go command and the processes it started (compile, link) with taskkill's
// tree kill, or only the go command if taskkill fails.
func killGroup(cmd *exec.Cmd) error {
	if exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(cmd.Process.Pid)).Run() == nil {
		return nil
	}
	return cmd.Process.Kill()
}
