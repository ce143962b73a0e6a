//go:build linux

// Exercise 08: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step. Queue, Open, Message,
// the errors and the raw send and receive calls are given in mq_linux.go.

package posixmq

import "context"

// mqUnlink is mq_unlink(2): it removes the queue named name (a POSIX name,
// "/…") from the system. Processes and goroutines that still hold it open
// keep using it; the queue is freed when the last descriptor is closed.
func mqUnlink(name string) error {
	// TODO(step 1): golang.org/x/sys/unix has no wrapper: call
	// unix.Syscall(unix.SYS_MQ_UNLINK, …) with a pointer to the name as a C
	// string (unix.BytePtrFromString), WITHOUT its leading slash, and return
	// the errno if it is not 0.
	return nil
}

// Close closes the queue's descriptor and removes the queue from the system,
// so that nothing is left behind. A second Close returns ErrClosed and
// closes nothing.
func (q *Queue) Close() error {
	// TODO(step 1): close q.fd (unix.Close), set it to -1, and remove the
	// queue by its name. On a second call, return ErrClosed.
	return nil
}

// START SENDRECV OMIT

// Send puts a copy of msg on the queue with priority prio (0 to
// MaxPriority). While the queue is full it waits for room, until ctx is
// done: then it returns an error that wraps both ErrFull and ctx.Err(). It
// tries at least once, so a done ctx makes it a non-blocking send.
func (q *Queue) Send(ctx context.Context, msg []byte, prio uint) error {
	// TODO(step 2): send msg with prio through q.timedSend.
	// TODO(step 3): a full queue: wait in slices of at most waitSlice (or up
	// to ctx's deadline, if that is sooner) and give up once ctx is done.
	// TODO(step 4): EINTR means "interrupted, nothing sent": try again.
	return nil
}

// Receive takes the oldest message of the highest priority off the queue.
// While the queue is empty it waits, until ctx is done: then it returns an
// error that wraps both ErrEmpty and ctx.Err(). It tries at least once.
func (q *Queue) Receive(ctx context.Context) (Message, error) {
	// TODO(step 2): receive through q.timedReceive into a new buffer of
	// q.msgSize bytes; return exactly the bytes received, and the priority.
	// TODO(step 3): an empty queue: wait in slices, as Send does.
	// TODO(step 4): EINTR: try again.
	return Message{}, nil
}

// END SENDRECV OMIT
