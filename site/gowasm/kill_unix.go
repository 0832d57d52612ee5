//go:build unix

package gowasm

import (
	"os/exec"
	"syscall"
)

// setProcessGroup starts cmd as the leader of a process group of its own, which the processes
// it starts join, so that killGroup reaches all of them.
func setProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// killGroup kills cmd's process group: the go command, compile and link.
func killGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
