// Exercise 03: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package asynccb

import (
	"errors"
	"fmt"
)

// Result is what a job computes.
type Result struct {
	Value int
}

// QueueSize is how many accepted jobs may wait for a free worker. While the
// queue is full, Do blocks until a worker takes the next job.
const QueueSize = 64

// ErrClosed is what Do returns once Close has been called.
var ErrClosed = errors.New("asynccb: pool is closed")

// PanicError is the error done receives when its job panicked.
type PanicError struct {
	Value any // what the job panicked with
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("asynccb: job panicked: %v", e.Value)
}

// Unwrap returns the panic value if it is an error, so that errors.Is and
// errors.As see through a PanicError.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Pool is module M1's worker pool: a fixed number of worker goroutines run
// the jobs that Do accepts and hand each result to the job's done callback.
type Pool struct {
	// OnDonePanic, if not nil, receives the value a done callback panicked
	// with, on the worker that ran it. Set it before the first Do.
	OnDonePanic func(v any)

	// TODO(step 1): the fields your pool needs: the queue (a channel of
	// QueueSize jobs), something to wait for the workers with.
	// TODO(step 3): and what Do and Close need to agree on "closed".
}

// errNotWritten is what the stub's Do returns; your Do never returns it.
var errNotWritten = errors.New("asynccb: Do is not written yet")

// START DO OMIT

// New starts a pool of workers goroutines (workers < 1 means 1).
func New(workers int) *Pool {
	// TODO(step 1): make the queue and start the workers; each takes jobs
	// from the queue until it is closed.
	return &Pool{}
}

// Do hands job to the pool and returns at once, unless the queue is full.
// A worker later runs job and then calls done with its result and error,
// exactly once. After Close, Do accepts nothing and returns ErrClosed.
func (p *Pool) Do(job func() (Result, error), done func(Result, error)) error {
	// TODO(step 2): put (job, done) on the queue and return nil.
	// TODO(step 3): return ErrClosed after Close, and never send on a
	// closed channel, even while Close runs on another goroutine.
	return errNotWritten
}

// Close stops accepting jobs, waits until every accepted job has run and its
// done has returned, and until every worker has exited. No done runs after
// Close returns. Calling Close again, even concurrently, is safe.
func (p *Pool) Close() {
	// TODO(step 3): stop accepting, close the queue once, wait for the workers.
}

// END DO OMIT

// run runs one job and hands its outcome to done. A worker calls it for every
// job it takes from the queue.
func (p *Pool) run(job func() (Result, error), done func(Result, error)) {
	// TODO(step 2): call job, then done with what job returned.
	// TODO(step 4): a panicking job must not kill the worker: recover it and
	// call done with a *PanicError. A panicking done must not kill the worker
	// either: recover it and hand the value to p.OnDonePanic, if set.
}
