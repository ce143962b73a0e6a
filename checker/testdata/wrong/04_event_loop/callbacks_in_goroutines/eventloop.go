// Known-wrong answer for exercise 04 (see the WRONG comment below).

package eventloop

import (
	"bytes"
	"errors"
	"runtime"
	"strconv"
	"sync"
)

// ErrStopped is returned by Post and Sync once Stop has been called.
var ErrStopped = errors.New("eventloop: the loop is stopped")

// Loop is module M1's event loop: one goroutine that runs posted callbacks,
// one at a time, in the order they were posted.
type Loop struct {
	mu      sync.Mutex
	queue   []func() // guarded by mu
	stopped bool     // guarded by mu

	wake chan struct{} // capacity 1: "the queue or stopped has changed"
	done chan struct{} // closed by the loop goroutine as it returns
	id   uint64        // the loop goroutine's id; written before Start returns
}

// Start starts the loop goroutine and returns its Loop.
func Start() *Loop {
	l := &Loop{wake: make(chan struct{}, 1), done: make(chan struct{})}
	ready := make(chan struct{})
	go l.run(ready)
	<-ready // l.id is set: every later Sync and Stop can read it without a lock
	return l
}

// run is the loop goroutine: the only goroutine that ever calls a callback.
func (l *Loop) run(ready chan<- struct{}) {
	defer close(l.done)
	l.id = goroutineID()
	close(ready)
	for {
		l.mu.Lock()
		batch, stopped := l.queue, l.stopped
		l.queue = nil
		l.mu.Unlock()
		// Callbacks run with mu unlocked, so that they may Post, Sync and
		// Stop; callbacks they post land in a fresh l.queue and run in the
		// next round, after this batch.
		for _, fn := range batch {
			// START CONCURRENT OMIT
			// WRONG: "so that a slow callback does not hold up the loop", each
			// callback gets its own goroutine. Now callbacks run at the same
			// time, in any order, and M1's state has as many owners as there
			// are callbacks in flight.
			go fn()
			// END CONCURRENT OMIT
		}
		if len(batch) == 0 {
			if stopped {
				return // stopped and drained: nothing posted before Stop is lost
			}
			<-l.wake
		}
	}
}

// signal wakes the loop goroutine without ever blocking: one pending wake-up
// is enough, because the loop empties the whole queue each time it wakes.
func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Post queues fn to run on the loop goroutine after everything posted before
// it. It never blocks. After Stop it queues nothing and returns ErrStopped.
func (l *Loop) Post(fn func()) error {
	// Decision 1: the queue is a slice under a mutex, not a buffered channel.
	// It never fills, so a callback that posts can never wait on its own
	// goroutine; and stopped is checked under the same lock, so a Post either
	// lands in the queue before Stop (and is drained) or sees ErrStopped.
	// Nothing is ever closed that a poster could still send on.
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return ErrStopped
	}
	l.queue = append(l.queue, fn)
	l.mu.Unlock()
	l.signal()
	return nil
}

// Sync runs fn on the loop goroutine and returns once fn has returned.
// Called from a callback, on the loop goroutine itself, it runs fn inline.
// After Stop it returns ErrStopped without running fn.
func (l *Loop) Sync(fn func()) error {
	// Decision 2: recognise the loop goroutine by its id, not by a "busy"
	// flag. Posting and waiting from the loop goroutine would wait for
	// ourselves for ever; running fn inline keeps Sync's promise, since the
	// callback that called us is paused and nothing else runs. A busy flag
	// would also be true for other goroutines and run their fn beside the
	// current callback.
	if goroutineID() == l.id {
		fn()
		return nil
	}
	ran := make(chan struct{})
	if err := l.Post(func() {
		defer close(ran)
		fn()
	}); err != nil {
		return err
	}
	<-ran
	return nil
}

// Stop stops accepting callbacks, lets the loop goroutine run everything
// posted before, and returns once that goroutine has exited. It is safe to
// call more than once, from any goroutine. Called from a callback, it returns
// at once and the loop ends after draining.
func (l *Loop) Stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
	l.signal()
	if goroutineID() == l.id {
		return // the loop goroutine cannot wait for itself to exit
	}
	<-l.done // every caller waits; nothing is closed twice
}

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
