// Known-wrong answer for exercise 07: each of Merge's forwarders closes the
// output when its own input ends, so the first producer to finish closes it
// for all, and the others' messages are dropped (status: failed).
// See the WRONG comment below.

package msgqueue

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is what Send reports once the queue is closed, and what Receive
// reports once the queue is closed and every message sent before has been
// received.
var ErrClosed = errors.New("msgqueue: queue closed")

// Msg is what M1 and M2 send on to M3: who sent it, and its place in that
// sender's own stream.
type Msg struct {
	From string // "M1", "M2", …
	Seq  int    // 1, 2, 3, … in the order its sender sent it
}

// Queue is a bounded first-in, first-out message queue that any number of
// goroutines may Send to, Receive from and Close at the same time.
type Queue[T any] struct {
	msgs   chan T        // the queue itself; closed by Close once no Send can reach it
	done   chan struct{} // closed by Close: wakes every sender blocked on a full queue
	mu     sync.RWMutex  // read-held by each Send, write-held by Close to set closed
	closed bool          // guarded by mu
	once   sync.Once
}

// New returns an open queue that holds up to capacity messages. With
// capacity 0 every Send waits for a Receive.
func New[T any](capacity int) *Queue[T] {
	return &Queue[T]{msgs: make(chan T, capacity), done: make(chan struct{})}
}

// Send puts m at the end of the queue. While the queue is full it blocks; it
// gives up with ctx.Err() when ctx is done, and with ErrClosed when the queue
// is closed, before or while it waits. It returns nil only when m is in the
// queue: a Receive will get it.
func (q *Queue[T]) Send(ctx context.Context, m T) error {
	// Decision 1: a Send holds the read lock from its check of closed to the
	// end of its send, so Close (which takes the write lock before it closes
	// msgs) can never close msgs under a Send: no "send on closed channel".
	// Many Sends hold the read lock at once; they only exclude Close.
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return ErrClosed
	}
	select {
	case q.msgs <- m:
		return nil
	case <-q.done: // Close is waiting for us: give up the lock
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Receive takes the message at the front of the queue, blocking while the
// queue is empty. It gives up with ctx.Err() when ctx is done. Once the queue
// is closed, Receive still returns every message sent before, in order, and
// then ErrClosed, at once and for ever.
func (q *Queue[T]) Receive(ctx context.Context) (T, error) {
	select {
	case m, ok := <-q.msgs:
		if !ok {
			var zero T
			return zero, ErrClosed
		}
		return m, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Close closes the queue: every later Send, and every Send blocked on the
// full queue, returns ErrClosed, and Receive drains what is left. Close may be
// called any number of times, from any goroutine; it returns once the queue
// is closed.
func (q *Queue[T]) Close() {
	q.once.Do(func() {
		// Decision 2: wake the blocked senders first, then wait for every
		// Send to let go of the read lock. Taking the lock first would wait
		// for ever on a sender blocked on a full queue that nobody drains.
		close(q.done)
		q.mu.Lock()
		q.closed = true
		close(q.msgs) // safe: no Send is sending, and every later one sees closed
		q.mu.Unlock()
	})
}

// Merge feeds one queue from many: it starts one goroutine per input that
// receives its messages and sends them to the returned queue, which holds up
// to capacity messages. Each input's messages come out in the order they
// went in. The output is closed once every input is closed and drained, or
// once ctx is done (forwarding stops; what was forwarded can still be
// received). Merge never closes its inputs: they are not its own.
func Merge[T any](ctx context.Context, capacity int, inputs ...*Queue[T]) *Queue[T] {
	out := New[T](capacity)
	if len(inputs) == 0 {
		out.Close()
	}
	for _, in := range inputs {
		go func() {
			// WRONG: a forwarder closes the output when its own input ends.
			// The first producer to finish closes it for everybody: the
			// other forwarders' later sends get ErrClosed, and their
			// messages are dropped.
			defer out.Close()
			forward(ctx, in, out)
		}()
	}
	return out
}

// forward moves messages from in to out until in is closed and drained, ctx
// is done, or out is closed by its reader.
func forward[T any](ctx context.Context, in, out *Queue[T]) {
	for ctx.Err() == nil {
		m, err := in.Receive(ctx)
		if err != nil {
			return
		}
		// Both calls take ctx: a forwarder blocked on either side is released
		// by a cancel, so none is left behind.
		if err := out.Send(ctx, m); err != nil {
			return
		}
	}
}
