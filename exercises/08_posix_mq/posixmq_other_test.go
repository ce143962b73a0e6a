//go:build !linux

package posixmq

import (
	"errors"
	"runtime"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a goroutine started by the tests is still
// alive when they have all finished.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestPOSIXMessageQueues_NeedLinux(t *testing.T) {
	if _, err := Open("/threadtalk-probe", 10, 64); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Open on %s must fail with errors.ErrUnsupported, got %v", runtime.GOOS, err)
	}
	t.Skipf("POSIX message queues are a Linux kernel object: exercise 08 runs on Linux only, not on %s (use WSL2 or a Linux VM)", runtime.GOOS)
}
