//go:build linux

// Known-wrong answer for exercise 08 (see the WRONG comment below).

package posixmq

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mqUnlink is mq_unlink(2): it removes the queue named name (a POSIX name,
// "/…") from the system. Processes and goroutines that still hold it open
// keep using it; the queue is freed when the last descriptor is closed.
func mqUnlink(name string) error {
	// The C library's mq_unlink("/x") calls the kernel with "x": the raw
	// call must strip the slash itself (with it, the kernel says EACCES).
	p, err := unix.BytePtrFromString(strings.TrimPrefix(name, "/"))
	if err != nil {
		return err
	}
	_, _, errno := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// Close closes the queue's descriptor and removes the queue from the system,
// so that nothing is left behind. A second Close returns ErrClosed and
// closes nothing.
func (q *Queue) Close() error {
	if q.fd < 0 {
		return ErrClosed
	}
	// Decision 1: a descriptor is a number the kernel hands out again at
	// once. Forget it as it is closed, so that a second Close cannot close
	// whatever file got the same number since. And unlink as well as close:
	// closing only drops this descriptor, the queue itself lives on in the
	// kernel (and in /dev/mqueue) until it is unlinked.
	errClose := unix.Close(q.fd)
	q.fd = -1
	if err := mqUnlink(q.name); err != nil {
		return errors.Join(errClose, fmt.Errorf("posixmq: unlink %s: %w", q.name, err))
	}
	return errClose
}

// Send puts a copy of msg on the queue with priority prio (0 to
// MaxPriority). While the queue is full it waits for room, until ctx is
// done: then it returns an error that wraps both ErrFull and ctx.Err(). It
// tries at least once, so a done ctx makes it a non-blocking send.
func (q *Queue) Send(ctx context.Context, msg []byte, prio uint) error {
	err := wait(ctx, func(deadline *unix.Timespec) error {
		return q.timedSend(msg, prio, deadline)
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ETIMEDOUT):
		return fmt.Errorf("%w: %w", ErrFull, ctx.Err())
	default:
		return fmt.Errorf("posixmq: send to %s: %w", q.name, err)
	}
}

// Receive takes the oldest message of the highest priority off the queue.
// While the queue is empty it waits, until ctx is done: then it returns an
// error that wraps both ErrEmpty and ctx.Err(). It tries at least once.
func (q *Queue) Receive(ctx context.Context) (Message, error) {
	// A new buffer each time: the Message's Data is the caller's to keep.
	buf := make([]byte, q.msgSize)
	var n int
	var prio uint
	err := wait(ctx, func(deadline *unix.Timespec) error {
		var err error
		n, prio, err = q.timedReceive(buf, deadline)
		return err
	})
	switch {
	case err == nil:
		return Message{Data: buf[:n:n], Priority: prio}, nil
	case errors.Is(err, unix.ETIMEDOUT):
		return Message{}, fmt.Errorf("%w: %w", ErrEmpty, ctx.Err())
	default:
		return Message{}, fmt.Errorf("posixmq: receive from %s: %w", q.name, err)
	}
}

// wait makes a timed call until it succeeds, fails, or times out with ctx
// done: then it returns ETIMEDOUT.
func wait(ctx context.Context, call func(deadline *unix.Timespec) error) error {
	for {
		// Decision 2: the kernel cannot watch ctx, so no call may wait past
		// the next moment we look at it. Each call waits until the end of
		// this slice at most (a done ctx: not at all, but it still tries).
		deadline := time.Now().Add(waitSlice)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		if ctx.Err() != nil {
			deadline = time.Now() // past by the time the kernel looks
		}
		ts := timespecAt(deadline)
		// WRONG: EINTR (a signal came, nothing was sent or received) is
		// returned to the caller as a failure, instead of calling again.
		err := call(ts)
		if !errors.Is(err, unix.ETIMEDOUT) || ctx.Err() != nil {
			return err
		}
	}
}
