//go:build !unix

package gotest

import "os/exec"

// Windows has no process groups that a signal reaches: the go command is
// killed, and WaitDelay stops us waiting on test binaries it leaves behind.
// WSL2 is the recommended way to run the course there.
func startGroup(cmd *exec.Cmd) {}

func quitGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }

func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
