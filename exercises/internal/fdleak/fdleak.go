// Package fdleak lets an exercise's tests prove that they leave no file
// descriptor open: a pipe end, a socket, a message queue, a memfd. It is
// shared test support, not an exercise.
//
//	func TestX(t *testing.T) {
//		fdleak.Check(t) // at the end of the test, every new descriptor must be closed
//		...
//	}
//
// It reads /proc/self/fd, so it checks on Linux only; elsewhere it logs that
// it did not check.
package fdleak

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// runtimeOwned are descriptors the Go runtime opens lazily and keeps for the
// life of the process (the network poller's epoll and its wake-up eventfd,
// pidfds of children): not the test's to close.
var runtimeOwned = []string{"anon_inode:[eventpoll]", "anon_inode:[eventfd]", "anon_inode:[pidfd]"}

// Open returns the process's open descriptors and what each refers to, or
// nil where the OS offers no /proc/self/fd.
func Open() map[int]string {
	if runtime.GOOS != "linux" {
		return nil
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil
	}
	fds := map[int]string{}
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err != nil {
			continue // the descriptor ReadDir itself used, closed since
		}
		fds[fd] = target
	}
	return fds
}

// New lists the descriptors open now that were not open in before,
// leaving out the runtime's own.
func New(before map[int]string) []string {
	var leaked []string
	for fd, target := range Open() {
		if old, ok := before[fd]; ok && old == target {
			continue
		}
		if slices.Contains(runtimeOwned, target) {
			continue
		}
		leaked = append(leaked, fmt.Sprintf("fd %d -> %s", fd, target))
	}
	slices.Sort(leaked)
	return leaked
}

// Check records the open descriptors now and, when the test ends, fails it
// naming every descriptor opened since and still open. Register it first, so
// that it runs after the test's other cleanups.
func Check(t testing.TB) {
	t.Helper()
	before := Open()
	if before == nil {
		t.Logf("fdleak: descriptors are checked on Linux only (%s here)", runtime.GOOS)
		return
	}
	t.Cleanup(func() {
		if leaked := New(before); len(leaked) > 0 {
			t.Errorf("file descriptors left open (close every pipe end, connection, listener, queue and mapping you open):\n\t%s",
				strings.Join(leaked, "\n\t"))
		}
	})
}
