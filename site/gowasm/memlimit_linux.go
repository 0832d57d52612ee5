package gowasm

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// limitMemory makes cmd run its program with RLIMIT_DATA set to limit bytes, which every process
// it starts (compile, link) inherits, and returns the limit in effect (0 for none).
//
// RLIMIT_DATA counts, since Linux 4.7, the private writable mappings the Go runtime's heap lives
// in, so an allocation beyond it fails and the compiler dies at once with "out of memory"; the
// address-space reservations the runtime makes up front are not counted, as they are by
// RLIMIT_AS. GOMEMLIMIT would be no cap: it is a goal the garbage collector gives up on when the
// live heap is larger.
//
// os/exec cannot set a limit between fork and exec, and setting it on the started process
// (prlimit) would race with the go command starting the compiler. So cmd starts this program
// again, as a wrapper whose init (below) sets the limit on itself and then execs the go command
// in its place: same process, same process group, the limit in place before anything runs. The
// price is this program's package initialisation once per go command (about 50 ms for workbook).
func limitMemory(cmd *exec.Cmd, limit int64) (int64, error) {
	if limit <= 0 {
		return 0, nil
	}
	// The running program, even if its file was removed or replaced since it started (go run).
	const self = "/proc/self/exe"
	cmd.Args = append([]string{self, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = self
	cmd.Env = append(cmd.Env[:len(cmd.Env):len(cmd.Env)], limitEnv+"="+strconv.FormatInt(limit, 10))
	return limit, nil
}

// init is the wrapper of limitMemory: in a process started with limitEnv, it caps the process's
// data segment and becomes the command in its arguments. It runs in whatever program links this
// package (workbook, a test binary), before that program's main.
func init() {
	v, ok := os.LookupEnv(limitEnv)
	if !ok {
		return
	}
	os.Unsetenv(limitEnv)
	n, err := strconv.ParseUint(v, 10, 64)
	if err == nil {
		err = syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: n, Max: n})
	}
	if err == nil && len(os.Args) < 2 {
		err = fmt.Errorf("no command")
	}
	if err == nil {
		err = syscall.Exec(os.Args[1], os.Args[1:], os.Environ())
	}
	fmt.Fprintf(os.Stderr, "gowasm: capping the compiler's memory: %v\n", err)
	os.Exit(2)
}
