// Exercise 04: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package eventloop

import (
	"bytes"
	"errors"
	"runtime"
	"strconv"
)

// ErrStopped is returned by Post and Sync once Stop has been called.
var ErrStopped = errors.New("eventloop: the loop is stopped")

// Loop is module M1's event loop: one goroutine that runs posted callbacks,
// one at a time, in the order they were posted.
type Loop struct {
	// TODO(step 1): the queue (a slice guarded by a sync.Mutex) and a way
	// to wake the loop goroutine.
	// TODO(step 2): a stopped flag and a done channel.
	// TODO(step 4): the loop goroutine's id.
}

// Start starts the loop goroutine and returns its Loop.
func Start() *Loop {
	// TODO(step 1): make the Loop, start its goroutine, return the Loop.
	return nil
}

// START API OMIT

// Post queues fn to run on the loop goroutine after everything posted before
// it. It never blocks. After Stop it queues nothing and returns ErrStopped.
func (l *Loop) Post(fn func()) error {
	// TODO(step 1): append fn to the queue and wake the loop goroutine.
	// TODO(step 2): return ErrStopped once Stop has been called.
	return nil
}

// Sync runs fn on the loop goroutine and returns once fn has returned.
// Called from a callback, on the loop goroutine itself, it runs fn inline.
// After Stop it returns ErrStopped without running fn.
func (l *Loop) Sync(fn func()) error {
	// TODO(step 3): post a closure that runs fn and then closes a channel;
	// wait for that channel.
	// TODO(step 4): on the loop goroutine, run fn right here instead.
	return nil
}

// Stop stops accepting callbacks, lets the loop goroutine run everything
// posted before, and returns once that goroutine has exited. It is safe to
// call more than once, from any goroutine. Called from a callback, it returns
// at once and the loop ends after draining.
func (l *Loop) Stop() {
	// TODO(step 2): mark the loop stopped, wake it, wait until it has exited.
	// TODO(step 4): on the loop goroutine, do not wait for yourself.
}

// END API OMIT

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace ("goroutine 7 [running]:"). Go hides goroutine ids
// on purpose; the loop needs one only to recognise its own goroutine (step 4).
// Given: do not change it.
func goroutineID() uint64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _ := strconv.ParseUint(string(bytes.Fields(buf)[1]), 10, 64)
	return id
}
