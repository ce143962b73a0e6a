// Known-wrong answer for exercise 07: Send checks the closed flag under a
// mutex and then waits on the full queue without it, so Close closes the
// channel under a waiting sender (status: panic: "send on closed channel").
// The mutex keeps the race detector quiet; it does not make check-then-send
// one step. See the WRONG comment below.

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
	msgs   chan T
	mu     sync.Mutex // guards closed
	closed bool
}

// New returns an open queue that holds up to capacity messages. With
// capacity 0 every Send waits for a Receive.
func New[T any](capacity int) *Queue[T] {
	return &Queue[T]{msgs: make(chan T, capacity)}
}

// Send puts m at the end of the queue. While the queue is full it blocks; it
// gives up with ctx.Err() when ctx is done, and with ErrClosed when the queue
// is closed, before or while it waits. It returns nil only when m is in the
// queue: a Receive will get it.
// START PANIC OMIT
func (q *Queue[T]) Send(ctx context.Context, m T) error {
	q.mu.Lock()
	closed := q.closed
	q.mu.Unlock()
	if closed {
		return ErrClosed
	}
	// WRONG: the check above is over. If the queue is full, this Send now
	// waits here, and Close may close msgs under it: the waiting send
	// panics with "send on closed channel", select or not.
	select {
	case q.msgs <- m:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.msgs)
	}
}

// END PANIC OMIT

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

// Merge feeds one queue from many: it starts one goroutine per input that
// receives its messages and sends them to the returned queue, which holds up
// to capacity messages. Each input's messages come out in the order they
// went in. The output is closed once every input is closed and drained, or
// once ctx is done (forwarding stops; what was forwarded can still be
// received). Merge never closes its inputs: they are not its own.
func Merge[T any](ctx context.Context, capacity int, inputs ...*Queue[T]) *Queue[T] {
	out := New[T](capacity)
	var wg sync.WaitGroup
	for _, in := range inputs {
		// Decision: exactly one goroutine per input, which sends each message
		// before it receives the next: that alone keeps each producer's order.
		wg.Go(func() { forward(ctx, in, out) })
	}
	go func() {
		// Only the last forwarder out may close the output: a forwarder that
		// closed it when its own input ended would drop the others' messages.
		wg.Wait()
		out.Close()
	}()
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
