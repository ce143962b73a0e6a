// Exercise 03, solved. The task is in exercises/03_async_callbacks/doc.go.

package asynccb

import (
	"errors"
	"fmt"
	"sync"
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

	queue   chan task
	workers sync.WaitGroup // one per worker goroutine

	// mu orders Do's sends against Close's close(queue): Do sends while
	// holding the read lock, Close closes while holding the write lock.
	mu     sync.RWMutex
	closed bool // guarded by mu
}

// task is one accepted job and the callback that receives its outcome.
type task struct {
	job  func() (Result, error)
	done func(Result, error)
}

// New starts a pool of workers goroutines (workers < 1 means 1).
func New(workers int) *Pool {
	p := &Pool{queue: make(chan task, QueueSize)}
	for range max(workers, 1) {
		p.workers.Go(func() {
			// range ends once Close has closed the queue and every job
			// still in it has been taken: queued jobs are run, not dropped.
			for t := range p.queue {
				p.run(t.job, t.done)
			}
		})
	}
	return p
}

// Do hands job to the pool and returns at once, unless the queue is full.
// A worker later runs job and then calls done with its result and error,
// exactly once. After Close, Do accepts nothing and returns ErrClosed.
func (p *Pool) Do(job func() (Result, error), done func(Result, error)) error {
	// Decision 1: the check and the send happen under one read lock. Close
	// needs the write lock to close the queue, so it waits for every Do that
	// has seen "open" to finish its send: no send on a closed channel, and
	// every job that Do accepted is in the queue before the queue closes.
	// Many Dos may hold the read lock at once, so they do not serialise.
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	p.queue <- task{job: job, done: done}
	return nil
}

// Close stops accepting jobs, waits until every accepted job has run and its
// done has returned, and until every worker has exited. No done runs after
// Close returns. Calling Close again, even concurrently, is safe.
func (p *Pool) Close() {
	p.mu.Lock()
	if !p.closed { // the flag, under the lock, makes the close happen once
		p.closed = true
		close(p.queue)
	}
	p.mu.Unlock()
	// Decision 2: wait for the workers, not just for the jobs. A worker
	// exits only after the queue is closed and empty and its last done has
	// returned, so after Wait no done can run and no goroutine is left.
	// Every caller of Close waits, not only the first.
	p.workers.Wait()
}

// run runs one job and hands its outcome to done. A worker calls it for every
// job it takes from the queue.
func (p *Pool) run(job func() (Result, error), done func(Result, error)) {
	res, err := runJob(job)
	defer func() {
		// done is M2's code running on M1's worker: its panic is M2's bug,
		// reported, not allowed to take the worker down.
		if v := recover(); v != nil && p.OnDonePanic != nil {
			p.OnDonePanic(v)
		}
	}()
	done(res, err)
}

// runJob calls job and turns a panic into a *PanicError, so that done is
// called exactly once either way.
func runJob(job func() (Result, error)) (res Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = Result{}, &PanicError{Value: v}
		}
	}()
	return job()
}
