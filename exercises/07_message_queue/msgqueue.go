// Exercise 07: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package msgqueue

import (
	"context"
	"errors"
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
	// TODO(step 1): the channel that is the queue.
	// TODO(step 3): what Close needs to wake blocked senders, and to close
	// the channel only when no Send can be sending on it.
}

// New returns an open queue that holds up to capacity messages. With
// capacity 0 every Send waits for a Receive.
func New[T any](capacity int) *Queue[T] {
	// TODO(step 1): make the channel with that capacity.
	return &Queue[T]{}
}

// START SEND OMIT

// Send puts m at the end of the queue. While the queue is full it blocks; it
// gives up with ctx.Err() when ctx is done, and with ErrClosed when the queue
// is closed, before or while it waits. It returns nil only when m is in the
// queue: a Receive will get it.
func (q *Queue[T]) Send(ctx context.Context, m T) error {
	// TODO(step 1): send m, or give up when ctx is done.
	// TODO(step 2): return ErrClosed once the queue is closed.
	// TODO(step 3): never send on a closed channel, even when Close runs at
	// the same moment, and return ErrClosed when Close is called while you
	// wait on a full queue.
	return nil
}

// END SEND OMIT

// Receive takes the message at the front of the queue, blocking while the
// queue is empty. It gives up with ctx.Err() when ctx is done. Once the queue
// is closed, Receive still returns every message sent before, in order, and
// then ErrClosed, at once and for ever.
func (q *Queue[T]) Receive(ctx context.Context) (T, error) {
	var zero T
	// TODO(step 1): receive a message, or give up when ctx is done.
	// TODO(step 2): once the channel is closed and drained, return ErrClosed.
	return zero, nil
}

// Close closes the queue: every later Send, and every Send blocked on the
// full queue, returns ErrClosed, and Receive drains what is left. Close may be
// called any number of times, from any goroutine; it returns once the queue
// is closed.
func (q *Queue[T]) Close() {
	// TODO(step 2): close the channel, once, however many times Close is called.
	// TODO(step 3): first wake every sender blocked on a full queue, then
	// close the channel once no Send can be sending on it.
}

// START MERGE OMIT

// Merge feeds one queue from many: it starts one goroutine per input that
// receives its messages and sends them to the returned queue, which holds up
// to capacity messages. Each input's messages come out in the order they
// went in. The output is closed once every input is closed and drained, or
// once ctx is done (forwarding stops; what was forwarded can still be
// received). Merge never closes its inputs: they are not its own.
func Merge[T any](ctx context.Context, capacity int, inputs ...*Queue[T]) *Queue[T] {
	// TODO(step 4): make the output, start one forwarder per input (receive,
	// send, repeat, with ctx on both), and close the output when the last
	// forwarder returns.
	return nil
}

// END MERGE OMIT
