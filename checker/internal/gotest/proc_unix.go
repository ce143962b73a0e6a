//go:build unix

package gotest

import (
	"os/exec"
	"syscall"
)

// startGroup puts the go command and every test binary it starts in a
// process group of their own: killing `go` alone would leave the test
// binaries running.
func startGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// quitGroup asks every process in the group for a goroutine dump. The go
// command ignores SIGQUIT while it runs tests, so it relays the dumps.
func quitGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGQUIT)
}

// killGroup ends every process in the group.
func killGroup(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
