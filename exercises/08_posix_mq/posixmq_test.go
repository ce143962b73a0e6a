//go:build linux

package posixmq

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"

	"github.com/threadtalk/threadtalk/exercises/internal/fdleak"
)

// TestMain fails the package if a goroutine started by the tests is still
// alive when they have all finished.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// safetyNet bounds every wait of these tests: a broken step fails, never
// hangs. A correct Send or Receive that has something to do returns in
// microseconds.
const safetyNet = 2 * time.Second

// The queues the tests open: as deep as Linux allows without privileges
// (/proc/sys/fs/mqueue/msg_max is 10 by default), with small messages.
const (
	testDepth   = 10
	testMsgSize = 64
)

// emptyIsNil lets cmp.Diff treat a nil and an empty Data alike.
var emptyIsNil = cmpopts.EquateEmpty()

// Queues and their names

var queueSeq atomic.Int64

// testQueueName returns a queue name no other test, run or process uses:
// the test's name, the process id and a counter.
func testQueueName(t *testing.T) string {
	base := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, t.Name())
	if len(base) > 120 {
		base = base[:120]
	}
	return fmt.Sprintf("/threadtalk-%s-%d-%d", base, os.Getpid(), queueSeq.Add(1))
}

// openTestQueue opens a new queue with the given Open. When the test ends,
// it closes the queue (a second Close must be harmless), then checks that
// nothing is left of it.
func openTestQueue(t *testing.T) *Queue {
	t.Helper()
	name := testQueueName(t)
	q, err := Open(name, testDepth, testMsgSize)
	if errors.Is(err, unix.ENOSYS) {
		t.Skip("this kernel has no POSIX message queues (CONFIG_POSIX_MQUEUE is off)")
	}
	require.NoError(t, err, "the given Open failed, before any of your code ran: check that "+
		"/proc/sys/fs/mqueue/msg_max is at least %d, msgsize_max at least %d, and `ulimit -q` is not tiny",
		testDepth, testMsgSize)
	t.Cleanup(func() { checkNoQueueLeft(t, name, "when the test ended") })
	t.Cleanup(func() {
		if err := q.Close(); err != nil && !errors.Is(err, ErrClosed) {
			t.Errorf("step 1: Close of %s returned %v%s", name, err, unlinkHint(err))
		}
	})
	return q
}

// checkNoQueueLeft fails the test if the queue name still exists, and then
// removes it, so that a failing test leaves nothing behind either.
func checkNoQueueLeft(t *testing.T, name, when string) {
	t.Helper()
	kname := strings.TrimPrefix(name, "/")
	var seen []string
	if dir := mqueueMount(); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, kname)); err == nil {
			seen = append(seen, filepath.Join(dir, kname)+" exists")
		}
	}
	exists, err := queueExists(kname)
	if err != nil {
		t.Logf("could not check whether queue %s is left: %v", name, err)
	} else if exists {
		seen = append(seen, "mq_open without O_CREAT still finds it")
	}
	if len(seen) == 0 {
		return
	}
	t.Errorf("step 1: queue %s was left behind %s (%s).\n"+
		"Closing a descriptor does not remove a queue: it lives on in the kernel, after the process too, "+
		"until it is unlinked. Close must also call mq_unlink (your mqUnlink) with the name without its slash",
		name, when, strings.Join(seen, "; "))
	_ = unlinkForTest(kname) // clean up after the code under test
}

// mqueueMount returns where the mqueue file system is mounted (usually
// /dev/mqueue), or "" if it is not: queues exist all the same, the tests then
// look for them with mq_open only.
func mqueueMount() string {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[2] == "mqueue" {
			return f[1]
		}
	}
	return ""
}

// queueExists opens the queue kname (no slash) without O_CREAT: it exists
// unless the kernel answers ENOENT.
func queueExists(kname string) (bool, error) {
	p, err := unix.BytePtrFromString(kname)
	if err != nil {
		return false, err
	}
	fd, _, errno := unix.Syscall6(unix.SYS_MQ_OPEN, uintptr(unsafe.Pointer(p)), uintptr(unix.O_RDONLY), 0, 0, 0, 0)
	switch errno {
	case 0:
		_ = unix.Close(int(fd))
		return true, nil
	case unix.ENOENT:
		return false, nil
	default:
		return false, errno
	}
}

// unlinkForTest removes the queue kname (no slash); the tests' own
// mq_unlink, so that they never depend on yours to clean up.
func unlinkForTest(kname string) error {
	p, err := unix.BytePtrFromString(kname)
	if err != nil {
		return err
	}
	if _, _, errno := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0); errno != 0 {
		return errno
	}
	return nil
}

// unlinkHint explains the error a raw mq_unlink gives most often.
func unlinkHint(err error) string {
	if errors.Is(err, unix.EACCES) {
		return "\nEACCES from mq_unlink means the name still had its slash: the raw system call takes \"x\" for the queue \"/x\" (the C library strips the slash for you)"
	}
	if errors.Is(err, unix.EBADF) {
		return "\nEBADF: a descriptor that was already closed; after closing q.fd, set it to -1 and let a second Close return ErrClosed"
	}
	return ""
}

// The tests' own raw calls, used to fill, drain and unblock a queue without
// going through your Send and Receive.

func putRaw(t *testing.T, q *Queue, text string, prio uint) {
	t.Helper()
	err := q.timedSend([]byte(text), prio, timespecAt(time.Now().Add(safetyNet)))
	require.NoError(t, err, "the test could not put %q on the queue with mq_timedsend", text)
}

func fillRaw(t *testing.T, q *Queue) {
	t.Helper()
	for i := range testDepth {
		putRaw(t, q, fmt.Sprintf("old %d", i), 0)
	}
}

func takeRaw(q *Queue) (Message, error) {
	buf := make([]byte, q.msgSize)
	n, prio, err := q.timedReceive(buf, timespecAt(time.Now().Add(safetyNet)))
	if err != nil {
		return Message{}, err
	}
	return Message{Data: buf[:n], Priority: prio}, nil
}

// drainRaw takes every message off the queue, without waiting.
func drainRaw(q *Queue) []Message {
	var ms []Message
	buf := make([]byte, q.msgSize)
	for {
		n, prio, err := q.timedReceive(buf, timespecAt(time.Now()))
		if err != nil {
			return ms
		}
		ms = append(ms, Message{Data: slices.Clone(buf[:n]), Priority: prio})
	}
}

func queueLen(t *testing.T, q *Queue) int {
	t.Helper()
	n, err := q.Len()
	require.NoError(t, err)
	return n
}

// Your Send and Receive, each on a goroutine of its own so that a call that
// waits for ever fails the test instead of hanging it.

func startSend(ctx context.Context, q *Queue, msg []byte, prio uint) <-chan error {
	done := make(chan error, 1)
	go func() { done <- q.Send(ctx, msg, prio) }()
	return done
}

type received struct {
	msg Message
	err error
}

func startReceive(ctx context.Context, q *Queue) <-chan received {
	done := make(chan received, 1)
	go func() {
		m, err := q.Receive(ctx)
		done <- received{m, err}
	}()
	return done
}

// awaitSend waits for a Send started by startSend. If it is still blocked
// after the safety net, the test fails with why, and the test takes a message
// off the queue to free the goroutine blocked in the kernel.
func awaitSend(t *testing.T, q *Queue, done <-chan error, why string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(safetyNet):
	}
	_, _ = takeRaw(q)
	select {
	case <-done:
		require.FailNow(t, why, "Send was still blocked after %s (the test then took a message off the queue to free it)", safetyNet)
	case <-time.After(safetyNet):
		require.FailNow(t, why, "Send was still blocked after %s, and even after the test took a message off the queue", safetyNet)
	}
	return nil
}

// awaitReceive is awaitSend for Receive: to free a blocked Receive, the test
// puts a message on the queue.
func awaitReceive(t *testing.T, q *Queue, done <-chan received, why string) (Message, error) {
	t.Helper()
	select {
	case r := <-done:
		return r.msg, r.err
	case <-time.After(safetyNet):
	}
	_ = q.timedSend([]byte("unblock"), 0, timespecAt(time.Now().Add(safetyNet)))
	select {
	case <-done:
		require.FailNow(t, why, "Receive was still blocked after %s (the test then put a message on the queue to free it)", safetyNet)
	case <-time.After(safetyNet):
		require.FailNow(t, why, "Receive was still blocked after %s, and even after the test put a message on the queue", safetyNet)
	}
	return Message{}, nil
}

func send(t *testing.T, ctx context.Context, q *Queue, msg []byte, prio uint, why string) error {
	t.Helper()
	return awaitSend(t, q, startSend(ctx, q, msg, prio), why)
}

func receive(t *testing.T, ctx context.Context, q *Queue, why string) (Message, error) {
	t.Helper()
	return awaitReceive(t, q, startReceive(ctx, q), why)
}

// Step 1

func TestClose_RemovesTheQueueAndClosesItsDescriptor(t *testing.T) {
	fdleak.Check(t)
	before := fdleak.Open()
	q := openTestQueue(t)
	name, fd := q.Name(), q.fd
	exists, err := queueExists(strings.TrimPrefix(name, "/"))
	require.NoError(t, err)
	require.True(t, exists, "the given Open did not create %s", name)

	err = q.Close()
	assert.NoError(t, err, "step 1: Close returned an error%s", unlinkHint(err))
	assert.Empty(t, fdleak.New(before),
		"step 1: after Close, the queue's descriptor (fd %d) is still open: close it with unix.Close(q.fd)", fd)
	checkNoQueueLeft(t, name, "by Close")
}

func TestClose_SecondCallReturnsErrClosedAndClosesNothingElse(t *testing.T) {
	fdleak.Check(t)
	q := openTestQueue(t)
	fd := q.fd
	err := q.Close()
	require.NoError(t, err, "step 1: Close returned an error%s", unlinkHint(err))

	// The kernel hands out the lowest free number: the pipe gets the
	// queue's old descriptor number, unless something else took it.
	var p [2]int
	require.NoError(t, unix.Pipe2(p[:], unix.O_CLOEXEC))
	defer func() { _ = unix.Close(p[0]); _ = unix.Close(p[1]) }()
	if p[0] != fd && p[1] != fd {
		t.Logf("the pipe got descriptors %v, not the queue's old %d: the test still checks ErrClosed", p, fd)
	}

	err = q.Close()
	assert.ErrorIs(t, err, ErrClosed,
		"step 1: a second Close must return ErrClosed and do nothing (got %v)", err)
	for _, pfd := range p {
		_, ferr := unix.FcntlInt(uintptr(pfd), unix.F_GETFD, 0)
		assert.NoError(t, ferr,
			"step 1: the second Close closed descriptor %d, which the queue no longer owned: it now belonged to a pipe the test had opened. "+
				"A descriptor is only a number that the kernel hands out again: after closing q.fd, set q.fd to -1 and return ErrClosed when it is -1", pfd)
	}
}

// Step 2

func TestReceive_HighestPriorityFirstAndInOrderWithinAPriority(t *testing.T) {
	type testCase struct {
		name string
		sent []Message // in the order of the Send calls
		want []Message // in the order Receive must return them
	}
	m := func(text string, prio uint) Message { return Message{Data: []byte(text), Priority: prio} }
	run := func(t *testing.T, tc testCase) {
		fdleak.Check(t)
		q := openTestQueue(t)
		for _, s := range tc.sent {
			err := send(t, t.Context(), q, s.Data, s.Priority, "step 2: Send to a queue with room must not wait")
			require.NoError(t, err, "step 2: Send(%q, priority %d) to a queue with room", s.Data, s.Priority)
		}
		var got []Message
		for range tc.want {
			msg, err := receive(t, t.Context(), q, "step 2: Receive must return a message the queue holds at once")
			require.NoError(t, err, "step 2: Receive from a queue holding messages; received so far: %v", got)
			got = append(got, msg)
		}
		if diff := cmp.Diff(tc.want, got, emptyIsNil); diff != "" {
			t.Errorf("step 2: sent %v, then received in the wrong order or with the wrong priorities (-want +got):\n%s\n"+
				"pass prio to q.timedSend as it is (a higher number is more urgent: the kernel delivers it first) "+
				"and return the priority q.timedReceive gives you", texts(tc.sent), diff)
		}
	}
	tests := []testCase{
		{
			name: "one priority: first in, first out",
			sent: []Message{m("a", 0), m("b", 0), m("c", 0), m("d", 0)},
			want: []Message{m("a", 0), m("b", 0), m("c", 0), m("d", 0)},
		},
		{
			name: "the highest priority first",
			sent: []Message{m("low", 1), m("high", 5), m("middle", 3)},
			want: []Message{m("high", 5), m("middle", 3), m("low", 1)},
		},
		{
			name: "in order within each priority",
			sent: []Message{m("a", 1), m("b", 2), m("c", 1), m("d", 2), m("e", 0), m("f", 2)},
			want: []Message{m("b", 2), m("d", 2), m("f", 2), m("a", 1), m("c", 1), m("e", 0)},
		},
		{
			name: "0 and MaxPriority",
			sent: []Message{m("zero", 0), m("max", MaxPriority), m("one", 1)},
			want: []Message{m("max", MaxPriority), m("one", 1), m("zero", 0)},
		},
		{
			name: "a full queue of ten",
			sent: []Message{m("1", 7), m("2", 0), m("3", 7), m("4", 100), m("5", 0), m("6", 7), m("7", 100), m("8", 1), m("9", 0), m("10", 7)},
			want: []Message{m("4", 100), m("7", 100), m("1", 7), m("3", 7), m("6", 7), m("10", 7), m("8", 1), m("2", 0), m("5", 0), m("9", 0)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// texts shows messages as "text/priority".
func texts(ms []Message) string {
	var s []string
	for _, m := range ms {
		s = append(s, fmt.Sprintf("%q/%d", m.Data, m.Priority))
	}
	return strings.Join(s, " ")
}

func TestReceive_ReturnsEachMessageWholeAndAlone(t *testing.T) {
	fdleak.Check(t)
	q := openTestQueue(t)
	sent := [][]byte{
		{},                                  // an empty message is a message too
		[]byte("M1"),                        // shorter than the buffer
		[]byte("line one\nline two\n"),      // a newline is not a boundary
		{0, 1, 0, 2, 0},                     // nor is a zero byte
		[]byte(strings.Repeat("x", 63)),     // one byte short of the limit
		[]byte(strings.Repeat("y", 64)),     // exactly q.msgSize
		[]byte("short again, after a long"), // the long ones must not spill into it
	}
	for _, msg := range sent {
		err := send(t, t.Context(), q, msg, 0, "step 2: Send to a queue with room must not wait")
		require.NoError(t, err, "step 2: Send of a %d-byte message (the queue's messages hold %d)", len(msg), testMsgSize)
	}
	var got [][]byte
	for range sent {
		msg, err := receive(t, t.Context(), q, "step 2: Receive must return a message the queue holds at once")
		require.NoError(t, err, "step 2: Receive from a queue holding messages")
		got = append(got, msg.Data)
	}
	// Compared only now: a Receive that reuses one buffer would have
	// overwritten the earlier messages by the time the last one arrives.
	if diff := cmp.Diff(sent, got, emptyIsNil); diff != "" {
		t.Errorf("step 2: the messages received differ from the messages sent (-want +got):\n%s\n"+
			"a message queue keeps message boundaries: each Receive returns one whole message, "+
			"exactly the n bytes q.timedReceive reports (buf[:n], not the whole buffer), "+
			"in a new buffer each time so that earlier messages stay as they were", diff)
	}
}

func TestSend_RejectsAMessageLongerThanTheQueueAllows(t *testing.T) {
	fdleak.Check(t)
	q := openTestQueue(t)
	tooLong := []byte(strings.Repeat("z", testMsgSize+1))
	ctx, cancel := context.WithTimeout(t.Context(), safetyNet)
	defer cancel()

	err := send(t, ctx, q, tooLong, 0, "step 2: Send of a message longer than the queue allows must fail at once")
	assert.ErrorIs(t, err, unix.EMSGSIZE,
		"step 2: Send of %d bytes to a queue of %d-byte messages must fail with the kernel's EMSGSIZE, wrapped with %%w (got %v): "+
			"a queue never splits a message, and only ETIMEDOUT and EINTR are worth trying again",
		len(tooLong), testMsgSize, err)
	assert.Equal(t, 0, queueLen(t, q), "step 2: the queue must still be empty after a rejected Send")
}

// Step 3

func TestSendReceive_GiveUpWhenTheContextIsDone(t *testing.T) {
	type testCase struct {
		name     string
		full     bool          // Send on a full queue; else Receive on an empty one
		timeout  time.Duration // 0: no deadline, the context is cancelled instead
		wantErrs []error
	}
	run := func(t *testing.T, tc testCase) {
		fdleak.Check(t)
		q := openTestQueue(t)
		if tc.full {
			fillRaw(t, q)
		}
		ctx, cancel := context.WithCancel(t.Context())
		if tc.timeout > 0 {
			ctx, cancel = context.WithTimeout(t.Context(), tc.timeout)
		}
		defer cancel()

		var err error
		if tc.full {
			done := startSend(ctx, q, []byte("one too many"), 0)
			if tc.timeout == 0 {
				cancel()
			}
			err = awaitSend(t, q, done, "step 3: Send on a full queue must give up once ctx is done: "+
				"the kernel cannot see ctx, so wait in slices of at most waitSlice and look at ctx between them")
		} else {
			done := startReceive(ctx, q)
			if tc.timeout == 0 {
				cancel()
			}
			_, err = awaitReceive(t, q, done, "step 3: Receive on an empty queue must give up once ctx is done: "+
				"the kernel cannot see ctx, so wait in slices of at most waitSlice and look at ctx between them")
		}
		require.Error(t, err, "step 3: %s returned no error, but there was no room (no message) and ctx was done", tc.name)
		for _, want := range tc.wantErrs {
			assert.ErrorIs(t, err, want,
				"step 3: %s must return an error that wraps both %v and ctx.Err(): fmt.Errorf(\"%%w: %%w\", …) (got %v)",
				tc.name, tc.wantErrs, err)
		}
		wantLen := 0
		if tc.full {
			wantLen = testDepth
		}
		assert.Equal(t, wantLen, queueLen(t, q), "step 3: a Send or Receive that gave up must leave the queue as it was")
	}
	tests := []testCase{
		{name: "Send on a full queue, ctx times out", full: true, timeout: 30 * time.Millisecond, wantErrs: []error{ErrFull, context.DeadlineExceeded}},
		{name: "Send on a full queue, ctx cancelled", full: true, wantErrs: []error{ErrFull, context.Canceled}},
		{name: "Receive on an empty queue, ctx times out", timeout: 30 * time.Millisecond, wantErrs: []error{ErrEmpty, context.DeadlineExceeded}},
		{name: "Receive on an empty queue, ctx cancelled", wantErrs: []error{ErrEmpty, context.Canceled}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestSendReceive_WithADoneContextStillTryOnce(t *testing.T) {
	fdleak.Check(t)
	q := openTestQueue(t)
	done, cancel := context.WithCancel(t.Context())
	cancel()

	err := send(t, done, q, []byte("urgent"), 9, "step 3: Send with a done ctx must not wait")
	require.NoError(t, err,
		"step 3: Send with a done ctx to a queue with room must still send: try once, and only give up if that try finds the queue full")
	require.Equal(t, 1, queueLen(t, q), "step 3: Send with a done ctx returned nil but the queue holds no message")

	msg, err := receive(t, done, q, "step 3: Receive with a done ctx must not wait")
	require.NoError(t, err,
		"step 3: Receive with a done ctx from a queue holding a message must still receive it: try once before giving up")
	assert.Equal(t, Message{Data: []byte("urgent"), Priority: 9}, msg, "step 3: Receive with a done ctx returned the wrong message")
}

func TestSend_WaitsForRoomOnAFullQueue(t *testing.T) {
	fdleak.Check(t)
	q := openTestQueue(t)
	fillRaw(t, q)
	done := startSend(t.Context(), q, []byte("new"), 0)

	// Room appears only now: a Send that returns nil has waited for it.
	first, err := takeRaw(q)
	require.NoError(t, err)
	require.Equal(t, "old 0", string(first.Data), "the test took the wrong message off the queue")
	err = awaitSend(t, q, done, "step 3: Send on a full queue must go on once there is room")
	require.NoError(t, err,
		"step 3: Send on a full queue must wait for room while ctx is not done, not fail: "+
			"when q.timedSend times out and ctx is still live, call it again")

	var got []string
	for _, m := range drainRaw(q) {
		got = append(got, string(m.Data))
	}
	want := []string{"old 1", "old 2", "old 3", "old 4", "old 5", "old 6", "old 7", "old 8", "old 9", "new"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 3: after a Send waited for room, the queue holds the wrong messages (-want +got):\n%s", diff)
	}
}

func TestReceive_WaitsForAMessageOnAnEmptyQueue(t *testing.T) {
	fdleak.Check(t)
	q := openTestQueue(t)
	done := startReceive(t.Context(), q)

	putRaw(t, q, "late", 4) // a Receive that returns this message has waited for it
	msg, err := awaitReceive(t, q, done, "step 3: Receive on an empty queue must return once a message arrives")
	require.NoError(t, err,
		"step 3: Receive on an empty queue must wait while ctx is not done, not fail: "+
			"when q.timedReceive times out and ctx is still live, call it again")
	assert.Equal(t, Message{Data: []byte("late"), Priority: 4}, msg,
		"step 3: Receive waited, but returned the wrong message")
}

func TestSendReceive_M1SendsAHundredRecordsThroughAQueueOfTen(t *testing.T) {
	fdleak.Check(t)
	q := openTestQueue(t)
	const n = 100
	ctx, cancel := context.WithTimeout(t.Context(), safetyNet)
	defer cancel()

	// M1: one goroutine, sending faster than M2 receives; a full queue makes
	// it wait.
	m1 := make(chan error, 1)
	go func() {
		for i := range n {
			if err := q.Send(ctx, fmt.Appendf(nil, "record %d", i), 0); err != nil {
				m1 <- fmt.Errorf("Send of record %d: %w", i, err)
				return
			}
		}
		m1 <- nil
	}()
	// If the test stops early, M1 may be blocked in the kernel: cancel, and
	// take messages off until it has returned.
	m1Done := false
	defer func() {
		cancel()
		deadline := time.Now().Add(safetyNet)
		for !m1Done && time.Now().Before(deadline) {
			select {
			case <-m1:
				m1Done = true
			default:
				_ = drainRaw(q)
				_, _, _ = q.timedReceive(make([]byte, q.msgSize), timespecAt(time.Now().Add(10*time.Millisecond)))
			}
		}
		if !m1Done {
			t.Errorf("step 3: M1's Send was still blocked %s after the test ended, even with the queue drained", safetyNet)
		}
	}()

	// M2: the test.
	var got []string
	for range n {
		msg, err := receive(t, ctx, q, "step 3: Receive while M1 is sending must get M1's next record")
		require.NoError(t, err, "step 3: Receive while M1 is sending; received %d records so far", len(got))
		got = append(got, string(msg.Data))
	}
	select {
	case err := <-m1:
		m1Done = true
		require.NoError(t, err, "step 3: M1's Send must wait while the queue is full, then go on")
	case <-time.After(safetyNet):
		require.FailNow(t, "step 3: M1 had not returned 2s after its last record was received")
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("record %d", i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 3: M2 received M1's %d records wrong (-want +got):\n%s", n, diff)
	}
}

// Step 4

func TestSendReceive_TryAgainAfterEINTR(t *testing.T) {
	type testCase struct {
		name string
		do   func(t *testing.T, q *Queue)
	}
	const interrupts = 3
	run := func(t *testing.T, tc testCase) {
		fdleak.Check(t)
		q := openTestQueue(t)
		tc.do(t, q)
		assert.Zero(t, q.interrupts.Load(),
			"step 4: the test made the next %d calls of q.timedSend and q.timedReceive fail with EINTR, but they were not all made: "+
				"send and receive through q.timedSend and q.timedReceive, and call again after EINTR", interrupts)
	}
	eintrHint := "EINTR means a signal interrupted the call before anything was sent or received: nothing happened, call again with the same deadline"
	tests := []testCase{
		{"Send", func(t *testing.T, q *Queue) {
			q.interrupts.Store(interrupts)
			err := send(t, t.Context(), q, []byte("hello"), 1, "step 4: Send interrupted by EINTR")
			require.NoError(t, err, "step 4: Send must not fail with EINTR. "+eintrHint)
			assert.Equal(t, 1, queueLen(t, q), "step 4: after an interrupted Send returned nil, the queue must hold its message")
		}},
		{"Receive", func(t *testing.T, q *Queue) {
			putRaw(t, q, "hello", 2)
			q.interrupts.Store(interrupts)
			msg, err := receive(t, t.Context(), q, "step 4: Receive interrupted by EINTR")
			require.NoError(t, err, "step 4: Receive must not fail with EINTR. "+eintrHint)
			assert.Equal(t, Message{Data: []byte("hello"), Priority: 2}, msg, "step 4: an interrupted Receive returned the wrong message")
		}},
		{"Send on a full queue until ctx times out", func(t *testing.T, q *Queue) {
			fillRaw(t, q)
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
			defer cancel()
			q.interrupts.Store(interrupts)
			err := send(t, ctx, q, []byte("one too many"), 0, "step 4: Send interrupted by EINTR on a full queue")
			assert.ErrorIs(t, err, ErrFull, "step 4: an interrupted Send on a full queue must still end with ErrFull when ctx times out, not with EINTR. "+eintrHint)
		}},
		{"Receive on an empty queue until ctx times out", func(t *testing.T, q *Queue) {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
			defer cancel()
			q.interrupts.Store(interrupts)
			_, err := receive(t, ctx, q, "step 4: Receive interrupted by EINTR on an empty queue")
			assert.ErrorIs(t, err, ErrEmpty, "step 4: an interrupted Receive on an empty queue must still end with ErrEmpty when ctx times out, not with EINTR. "+eintrHint)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
