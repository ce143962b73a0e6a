//go:build !linux

// Given code for exercise 08 on systems other than Linux, where there is
// nothing to do: the package compiles, and every call fails. Do not edit this
// file; on macOS and Windows, do this exercise under WSL2 or in a Linux VM.

package posixmq

import (
	"context"
	"errors"
	"fmt"
	"runtime"
)

// Message is one message taken off a queue: its bytes, exactly as they were
// sent, and the priority they were sent with.
type Message struct {
	Data     []byte
	Priority uint
}

// MaxPriority is the highest priority Linux accepts (MQ_PRIO_MAX - 1).
const MaxPriority = 32767

var (
	// ErrFull is wrapped by Send's error when the queue stayed full until
	// the context was done.
	ErrFull = errors.New("posixmq: queue full")
	// ErrEmpty is wrapped by Receive's error when the queue stayed empty
	// until the context was done.
	ErrEmpty = errors.New("posixmq: queue empty")
	// ErrClosed is returned by a second Close.
	ErrClosed = errors.New("posixmq: queue already closed")
)

// errNotLinux is what every call returns here.
var errNotLinux = fmt.Errorf("posixmq: POSIX message queues are a Linux kernel object in this course, not available on %s (use WSL2 or a Linux VM): %w",
	runtime.GOOS, errors.ErrUnsupported)

// Queue is one POSIX message queue. Here it cannot be opened.
type Queue struct{}

// Open fails: see errNotLinux.
func Open(name string, maxMsgs, msgSize int) (*Queue, error) { return nil, errNotLinux }

// Name returns "".
func (q *Queue) Name() string { return "" }

// Len fails: see errNotLinux.
func (q *Queue) Len() (int, error) { return 0, errNotLinux }

// Send fails: see errNotLinux.
func (q *Queue) Send(ctx context.Context, msg []byte, prio uint) error { return errNotLinux }

// Receive fails: see errNotLinux.
func (q *Queue) Receive(ctx context.Context) (Message, error) { return Message{}, errNotLinux }

// Close fails: see errNotLinux.
func (q *Queue) Close() error { return errNotLinux }
