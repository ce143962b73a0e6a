package fdleak

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewNamesADescriptorLeftOpen(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/fd")
	}
	before := Open()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	leaked := New(before)
	assert.Len(t, leaked, 2, "both ends of the pipe are new: %v", leaked)
	for _, l := range leaked {
		assert.True(t, strings.Contains(l, "pipe:["), "a pipe end is named as such: %q", l)
	}
	require.NoError(t, r.Close())
	require.NoError(t, w.Close())
	assert.Empty(t, New(before), "closed descriptors are not reported")
}

// fakeT records what Check reports, to prove that it fails a leaking test.
type fakeT struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Cleanup(fn func())              { f.cleanups = append(f.cleanups, fn) }
func (f *fakeT) Logf(string, ...any)            {}
func (f *fakeT) Errorf(format string, a ...any) { f.errors = append(f.errors, format) }

func TestCheckFailsATestThatLeaksAPipe(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/fd")
	}
	ft := &fakeT{TB: t}
	Check(ft)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	for _, c := range ft.cleanups {
		c()
	}
	assert.Len(t, ft.errors, 1, "a leaked pipe fails the test")
	require.NoError(t, r.Close())
	require.NoError(t, w.Close())
}
