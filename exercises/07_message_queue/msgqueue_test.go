package msgqueue

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine started by the tests is still
// alive when they have all finished. That is how a sender left blocked in
// Send after Close is found (step 3), and a forwarder Merge left behind after
// a cancel (step 4): no test can see a goroutine that simply never returns.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every real-time wait in these tests: a broken step fails, never
// hangs. The tests in a synctest bubble need no timeout: synctest.Wait says
// when everything has settled.
const wait = 2 * time.Second

func msg(from string, seq int) Msg { return Msg{From: from, Seq: seq} }

// stream returns from's messages 1..n.
func stream(from string, n int) []Msg {
	ms := make([]Msg, 0, n)
	for i := 1; i <= n; i++ {
		ms = append(ms, msg(from, i))
	}
	return ms
}

// newQueue calls New and fails the test at once if the result cannot work.
func newQueue(t *testing.T, capacity int) *Queue[Msg] {
	t.Helper()
	q := New[Msg](capacity)
	require.NotNil(t, q, "step 1: New(%d) returned nil: return a *Queue holding a channel made with that capacity", capacity)
	return q
}

// A call to Send or Receive made on a goroutine of its own, so that the test
// can see whether it has returned.

type sendCall struct{ done chan error }

func goSend(ctx context.Context, q *Queue[Msg], m Msg) *sendCall {
	c := &sendCall{done: make(chan error, 1)}
	go func() { c.done <- q.Send(ctx, m) }()
	return c
}

// returned reports, without waiting, whether Send has returned, and what.
func (c *sendCall) returned() (err error, ok bool) {
	select {
	case err := <-c.done:
		c.done <- err // keep it for the next look
		return err, true
	default:
		return nil, false
	}
}

type received struct {
	msg Msg
	err error
}

type receiveCall struct{ done chan received }

func goReceive(ctx context.Context, q *Queue[Msg]) *receiveCall {
	c := &receiveCall{done: make(chan received, 1)}
	go func() {
		m, err := q.Receive(ctx)
		c.done <- received{m, err}
	}()
	return c
}

func (c *receiveCall) returned() (r received, ok bool) {
	select {
	case r := <-c.done:
		c.done <- r
		return r, true
	default:
		return received{}, false
	}
}

// sendNow sends m on a queue that has room and fails the test if Send does
// not return nil within 2s.
func sendNow(t *testing.T, q *Queue[Msg], m Msg, what string) {
	t.Helper()
	c := goSend(t.Context(), q, m)
	select {
	case err := <-c.done:
		require.NoError(t, err, "%s: Send(%v) on a queue with room failed", what, m)
	case <-time.After(wait):
		require.FailNow(t, what, "Send(%v) on a queue with room was still blocked after 2s", m)
	}
}

// drained is what drain received: the messages, then the error that ended
// it (nil if it stopped at its limit).
type drained struct {
	msgs  []Msg
	err   error
	empty bool // Receive returned Msg{} and a nil error: the tests never send one
}

// drain receives from q on a goroutine of its own until Receive returns an
// error or limit messages have come (a Receive that never reports anything
// but messages cannot loop for ever), and fails the test if that takes more
// than 2s.
func drain(t *testing.T, q *Queue[Msg], limit int, what string) drained {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel() // releases the receiver if it is still blocked
	res := make(chan drained, 1)
	go func() {
		var d drained
		for len(d.msgs) < limit {
			m, err := q.Receive(ctx)
			if err != nil {
				d.err = err
				break
			}
			if m == (Msg{}) {
				d.empty = true
				break
			}
			d.msgs = append(d.msgs, m)
		}
		res <- d
	}()
	select {
	case d := <-res:
		if d.empty {
			require.FailNow(t, what, "after %d message(s), Receive returned an empty Msg{} and a nil error: "+
				"it must return a message that was sent, or an error (step 1: receive from the queue's channel)", len(d.msgs))
		}
		return d
	case <-time.After(wait):
		require.FailNow(t, what, "Receive was still blocked after 2s: "+
			"once the queue is closed, Receive must return what is left and then ErrClosed, without waiting")
		return drained{}
	}
}

// closeWithin calls q.Close and fails the test if it has not returned within 2s.
func closeWithin(t *testing.T, q *Queue[Msg], what string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		q.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
		require.FailNow(t, what, "Close had not returned after 2s")
	}
}

// Step 1

func TestQueue_DeliversEveryMessageInOrder(t *testing.T) {
	type testCase struct {
		name     string
		capacity int
		n        int
	}
	run := func(t *testing.T, tc testCase) {
		q := newQueue(t, tc.capacity)
		want := stream("M1", tc.n)
		sent := make(chan error, 1)
		go func() { // M1 sends, while the test receives as M2
			for _, m := range want {
				if err := q.Send(t.Context(), m); err != nil {
					sent <- fmt.Errorf("Send(%v): %w", m, err)
					return
				}
			}
			sent <- nil
		}()

		got := drain(t, q, tc.n, "step 1: Receive must return each message M1 sent")
		require.NoError(t, got.err, "step 1: Receive failed after %d messages", len(got.msgs))
		if diff := cmp.Diff(want, got.msgs); diff != "" {
			t.Errorf("step 1: through a queue of capacity %d, M2 received the wrong messages (-want +got):\n%s\n"+
				"every message, once, in the order it was sent: send on and receive from one channel made with make(chan T, capacity)",
				tc.capacity, diff)
		}
		select {
		case err := <-sent:
			require.NoError(t, err, "step 1: a Send failed although M2 was receiving")
		case <-time.After(wait):
			require.FailNow(t, "step 1: M1 was still blocked in Send 2s after M2 had received every message")
		}
	}
	tests := []testCase{
		{name: "capacity 0: each Send waits for a Receive", capacity: 0, n: 20},
		{name: "capacity 1", capacity: 1, n: 20},
		{name: "capacity 4, many more messages than room", capacity: 4, n: 100},
		{name: "capacity 64, every message fits", capacity: 64, n: 50},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestSend_BlocksWhileTheQueueIsFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel() // whatever happens, no Send or Receive stays blocked
		q := newQueue(t, 2)
		for i := 1; i <= 2; i++ {
			c := goSend(ctx, q, msg("M1", i))
			synctest.Wait()
			err, ok := c.returned()
			require.True(t, ok, "step 1: Send of message %d into a queue of capacity 2 blocked; it must return at once while there is room", i)
			require.NoError(t, err, "step 1: Send of message %d into a queue with room failed", i)
		}

		third := goSend(ctx, q, msg("M1", 3))
		synctest.Wait()
		err, ok := third.returned()
		require.False(t, ok, "step 1: Send of a 3rd message into a full queue of capacity 2 returned %v at once; "+
			"it must block until a Receive makes room: that is back-pressure, the queue never grows", err)

		r := goReceive(ctx, q)
		synctest.Wait()
		got, ok := r.returned()
		require.True(t, ok, "step 1: Receive on a full queue blocked")
		require.NoError(t, got.err, "step 1: Receive on a full queue failed")
		assert.Equal(t, msg("M1", 1), got.msg, "step 1: Receive must return the oldest message first")
		err, ok = third.returned()
		require.True(t, ok, "step 1: a Receive made room, but the blocked Send of message 3 did not return")
		require.NoError(t, err, "step 1: the blocked Send of message 3 failed after a Receive made room")

		for _, want := range []Msg{msg("M1", 2), msg("M1", 3)} {
			r := goReceive(ctx, q)
			synctest.Wait()
			got, ok := r.returned()
			require.True(t, ok, "step 1: Receive blocked although %v was in the queue", want)
			require.NoError(t, got.err, "step 1: Receive failed although %v was in the queue", want)
			assert.Equal(t, want, got.msg, "step 1: messages must come out in the order they went in")
		}
	})
}

func TestSend_GivesUpWithCtxErrWhenTheQueueStaysFull(t *testing.T) {
	type testCase struct {
		name     string
		ctx      func(parent context.Context) (context.Context, context.CancelFunc)
		deadline bool // whether ctx ends by its deadline, not by a cancel
		wantErr  error
	}
	run := func(t *testing.T, tc testCase) {
		synctest.Test(t, func(t *testing.T) {
			q := newQueue(t, 1)
			sendCtx, cancel := tc.ctx(t.Context())
			defer cancel()
			first := goSend(t.Context(), q, msg("M1", 1))
			synctest.Wait()
			_, ok := first.returned()
			require.True(t, ok, "step 1: Send into an empty queue of capacity 1 blocked")

			blocked := goSend(sendCtx, q, msg("M1", 2))
			synctest.Wait()
			err, ok := blocked.returned()
			require.False(t, ok, "step 1: Send into a full queue returned %v at once; it must block until there is room or ctx is done", err)

			if tc.deadline {
				<-sendCtx.Done() // every other goroutine is blocked: the fake clock jumps to the deadline
			} else {
				cancel()
			}
			synctest.Wait()
			err, ok = blocked.returned()
			if !ok {
				// Make room, so that the blocked Send can return before the
				// bubble ends.
				goReceive(context.Background(), q)
				goReceive(context.Background(), q)
				require.FailNow(t, "step 1: ctx was done, but Send stayed blocked on the full queue: select on ctx.Done() as well as on the send")
			}
			require.ErrorIs(t, err, tc.wantErr, "step 1: a Send that gives up must return ctx.Err()")

			r := goReceive(t.Context(), q)
			synctest.Wait()
			got, ok := r.returned()
			require.True(t, ok, "step 1: Receive blocked although message 1 was in the queue")
			assert.Equal(t, received{msg: msg("M1", 1)}, got, "step 1: the queue must hold message 1, and only it")
			empty, cancelEmpty := context.WithCancel(t.Context())
			r = goReceive(empty, q)
			synctest.Wait()
			got, ok = r.returned()
			assert.False(t, ok, "step 1: the Send that gave up still put its message in the queue: Receive returned %v", got)
			cancelEmpty()
			synctest.Wait()
			if _, ok := r.returned(); !ok {
				goSend(context.Background(), q, msg("M1", 9)) // so that the blocked Receive can return before the bubble ends
				t.Errorf("step 1: ctx was cancelled, but Receive stayed blocked on the empty queue: select on ctx.Done() as well")
			}
		})
	}
	tests := []testCase{
		{
			name:    "cancelled",
			ctx:     func(p context.Context) (context.Context, context.CancelFunc) { return context.WithCancel(p) },
			wantErr: context.Canceled,
		},
		{
			name: "deadline exceeded",
			ctx: func(p context.Context) (context.Context, context.CancelFunc) {
				return context.WithTimeout(p, 500*time.Millisecond)
			},
			deadline: true,
			wantErr:  context.DeadlineExceeded,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestReceive_BlocksUntilAMessageComesOrCtxIsDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		q := newQueue(t, 4)

		r := goReceive(ctx, q)
		synctest.Wait()
		got, ok := r.returned()
		require.False(t, ok, "step 1: Receive on an empty queue returned %+v at once; it must block until a message comes", got)
		s := goSend(ctx, q, msg("M1", 1))
		synctest.Wait()
		got, ok = r.returned()
		require.True(t, ok, "step 1: a message was sent, but the blocked Receive did not return")
		assert.Equal(t, received{msg: msg("M1", 1)}, got, "step 1: the blocked Receive must return the message sent")
		err, _ := s.returned()
		require.NoError(t, err, "step 1: Send to a waiting receiver failed")

		recvCtx, cancelRecv := context.WithCancel(ctx)
		r = goReceive(recvCtx, q)
		synctest.Wait()
		_, ok = r.returned()
		require.False(t, ok, "step 1: Receive on an empty queue returned at once")
		cancelRecv()
		synctest.Wait()
		got, ok = r.returned()
		if !ok {
			goSend(context.Background(), q, msg("M1", 2)) // so that the blocked Receive can return before the bubble ends
			require.FailNow(t, "step 1: ctx was cancelled, but Receive stayed blocked on the empty queue: select on ctx.Done() as well")
		}
		require.ErrorIs(t, got.err, context.Canceled, "step 1: a Receive that gives up must return ctx.Err()")
	})
}

// Step 2

func TestClose_ReceiveDrainsWhatWasSentThenReportsErrClosed(t *testing.T) {
	q := newQueue(t, 4)
	want := stream("M1", 3)
	for _, m := range want {
		sendNow(t, q, m, "step 1")
	}
	closeWithin(t, q, "step 2: Close must not wait for the queue to be drained")

	got := drain(t, q, 10, "step 2: Receive after Close")
	if diff := cmp.Diff(want, got.msgs); diff != "" {
		t.Errorf("step 2: after Close, Receive returned the wrong messages (-want +got):\n%s\n"+
			"a message sent before Close is still delivered: Receive must drain the queue first, and only then report ErrClosed", diff)
	}
	require.ErrorIs(t, got.err, ErrClosed,
		"step 2: once the closed queue is drained, Receive must return ErrClosed (got %d messages and then %v)", len(got.msgs), got.err)
	for range 2 {
		again := drain(t, q, 1, "step 2: Receive on a closed, drained queue")
		require.ErrorIs(t, again.err, ErrClosed, "step 2: Receive on a closed, drained queue must keep returning ErrClosed, at once")
	}
}

func TestClose_ReleasesABlockedReceiver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		q := newQueue(t, 4)
		r := goReceive(ctx, q)
		synctest.Wait()
		got, ok := r.returned()
		require.False(t, ok, "step 1: Receive on an empty queue returned %+v at once; it must block until a message comes", got)

		q.Close()
		synctest.Wait()
		got, ok = r.returned()
		require.True(t, ok, "step 2: the queue was closed, but a Receive blocked on it stayed blocked: closing the channel wakes every receiver")
		require.ErrorIs(t, got.err, ErrClosed, "step 2: a Receive woken by Close on an empty queue must return ErrClosed")
	})
}

func TestSend_AfterCloseReturnsErrClosed(t *testing.T) {
	q := newQueue(t, 4)
	closeWithin(t, q, "step 2")
	err := q.Send(t.Context(), msg("M1", 1))
	require.ErrorIs(t, err, ErrClosed, "step 2: Send on a closed queue must return ErrClosed, and never panic")
	got := drain(t, q, 10, "step 2: Receive on a closed queue")
	assert.Empty(t, got.msgs, "step 2: a Send after Close must not put its message in the queue")
	require.ErrorIs(t, got.err, ErrClosed, "step 2: Receive on a closed, empty queue must return ErrClosed")
}

func TestClose_TwiceOrFromManyGoroutinesIsSafe(t *testing.T) {
	q := newQueue(t, 4)
	sendNow(t, q, msg("M1", 1), "step 1")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(q.Close)
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
		require.FailNow(t, "step 2: eight Close calls at once had not all returned after 2s")
	}
	closeWithin(t, q, "step 2: Close on a closed queue must return at once")
	got := drain(t, q, 10, "step 2: Receive after Close")
	assert.Equal(t, []Msg{msg("M1", 1)}, got.msgs, "step 2: after Close, Receive must still return the message sent before")
	require.ErrorIs(t, got.err, ErrClosed, "step 2: after many Close calls, Receive must drain the queue and return ErrClosed")
	require.ErrorIs(t, q.Send(t.Context(), msg("M1", 2)), ErrClosed, "step 2: Send after Close must return ErrClosed")
}

// Step 3

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace. The tests use it only to find a sender in a
// goroutine dump; real code never should.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1])
}

// blockedInSend reports whether every goroutine in ids is parked (waiting,
// not running) inside Queue.Send.
func blockedInSend(ids map[string]bool) bool {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	parked := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		// "goroutine 42 [select]:" or "goroutine 42 [chan send, 2 minutes]:"
		header, _, _ := strings.Cut(g, "\n")
		fields := strings.Fields(header)
		if len(fields) < 3 || !ids[fields[1]] {
			continue
		}
		state, _, _ := strings.Cut(strings.Trim(strings.Join(fields[2:], " "), "[]:"), ",")
		if state != "running" && state != "runnable" && state != "syscall" && strings.Contains(g, ").Send(") {
			parked++
		}
	}
	return parked == len(ids)
}

func TestClose_ReleasesSendersBlockedOnAFullQueue(t *testing.T) {
	// Not in a synctest bubble, and the senders use context.Background(): a
	// sender that Close fails to release stays blocked after this test, and
	// goleak reports it when the tests end. Nothing else would ever notice.
	q := newQueue(t, 2)
	sendNow(t, q, msg("M1", 1), "step 1")
	sendNow(t, q, msg("M1", 2), "step 1")

	const senders = 3
	type outcome struct {
		seq int
		err error
	}
	results := make(chan outcome, senders)
	started := make(chan string, senders)
	for i := 3; i < 3+senders; i++ {
		go func() {
			started <- goroutineID()
			results <- outcome{i, q.Send(context.Background(), msg("M1", i))}
		}()
	}
	ids := map[string]bool{}
	for range senders {
		ids[<-started] = true
	}
	deadline := time.After(wait)
	for !blockedInSend(ids) {
		select {
		case r := <-results:
			require.FailNow(t, "step 1: Send on a full queue must block until there is room",
				"Send(%v) returned %v at once although the queue (capacity 2) was full", msg("M1", r.seq), r.err)
		case <-deadline:
			require.FailNow(t, "step 1: Send on a full queue must block until there is room",
				"after 2s, the three Sends into the full queue were neither blocked nor returned")
		default:
			runtime.Gosched()
		}
	}

	// Three senders are blocked in Send, on a full queue nobody drains.
	closeWithin(t, q, "step 3: Close must return although three senders are blocked on the full queue: "+
		"wake them first (close a channel their Send selects on), then wait for them to let go")
	for range senders {
		select {
		case r := <-results:
			require.ErrorIs(t, r.err, ErrClosed,
				"step 3: Send(%v) was blocked on the full queue when Close was called, and returned %v: it must return ErrClosed",
				msg("M1", r.seq), r.err)
		case <-time.After(wait):
			t.Logf("step 3: 2s after Close, a sender is still blocked in Send on the full queue. " +
				"This test leaves it there on purpose: goleak will report it when the tests end. " +
				"Close must wake every blocked sender, with ErrClosed.")
			return
		}
	}
	got := drain(t, q, 10, "step 3: Receive after Close")
	assert.Equal(t, stream("M1", 2), got.msgs,
		"step 3: after Close, the queue must hold exactly the messages sent before: the released senders' messages must not be in it")
	require.ErrorIs(t, got.err, ErrClosed, "step 3: once the closed queue is drained, Receive must return ErrClosed")
}

func TestSend_RacingCloseNeitherPanicsNorLosesAMessage(t *testing.T) {
	const (
		senders   = 8
		perSender = 200
		closeAt   = 100 // Close once the receiver has this many messages
		closers   = 4
	)
	q := newQueue(t, 4)
	type senderResult struct {
		from     string
		accepted int   // Sends that returned nil
		err      error // the error that stopped it, nil if it sent everything
	}
	results := make(chan senderResult, senders)
	for s := range senders {
		from := fmt.Sprintf("M%d", s+1)
		go func() {
			r := senderResult{from: from}
			for _, m := range stream(from, perSender) {
				if r.err = q.Send(t.Context(), m); r.err != nil {
					break
				}
				r.accepted++
			}
			results <- r
		}()
	}
	// Four goroutines call Close at once, while the senders send and the
	// receiver receives.
	startClosing := make(chan struct{})
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		var wg sync.WaitGroup
		for range closers {
			wg.Go(func() {
				<-startClosing
				q.Close()
			})
		}
		wg.Wait()
	}()
	beginClose := sync.OnceFunc(func() { close(startClosing) })
	got := make(chan drained, 1)
	go func() {
		defer beginClose() // if Receive fails before closeAt
		var d drained
		for len(d.msgs) <= senders*perSender { // one more than was sent: it reports ErrClosed
			m, err := q.Receive(t.Context())
			if err != nil {
				d.err = err
				break
			}
			if m == (Msg{}) {
				d.empty = true
				break
			}
			d.msgs = append(d.msgs, m)
			if len(d.msgs) == closeAt {
				beginClose()
			}
		}
		got <- d
	}()

	deadline := time.After(wait)
	var d drained
	select {
	case d = <-got:
	case <-deadline:
		require.FailNow(t, "step 3: Send racing Close",
			"the receiver was still receiving 2s after the test began: once the queue is closed, Receive must drain what is left and then report ErrClosed")
	}
	if d.empty || d.err == nil {
		require.FailNow(t, "step 3: Send racing Close",
			"Receive returned %d messages and then %+v and a nil error, never ErrClosed, although Close was called after %d: do steps 1 and 2 first",
			len(d.msgs), Msg{}, closeAt)
	}
	require.ErrorIs(t, d.err, ErrClosed,
		"step 3: the receiver was stopped by %v after %d messages; want ErrClosed, once the closed queue is drained", d.err, len(d.msgs))
	accepted := map[string]int{}
	for range senders {
		select {
		case r := <-results:
			accepted[r.from] = r.accepted
			if r.err == nil && r.accepted == perSender {
				continue // it sent everything before the queue was closed
			}
			require.ErrorIs(t, r.err, ErrClosed,
				"step 3: sender %s stopped with %v after %d accepted messages: once the queue is closed, Send must return ErrClosed", r.from, r.err, r.accepted)
		case <-deadline:
			require.FailNow(t, "step 3: Send racing Close", "a sender was still blocked in Send 2s after the test began: Close must release it")
		}
	}
	select {
	case <-closed:
	case <-deadline:
		require.FailNow(t, "step 3: Send racing Close", "four Close calls at once had not all returned after 2s")
	}

	// Every message whose Send returned nil must have been received, once,
	// and each sender's messages in order.
	want := map[string][]int{}
	for from, n := range accepted {
		if n > 0 { // a sender that got nothing in is absent from both
			want[from] = seqs(n)
		}
	}
	if diff := cmp.Diff(want, bySender(d.msgs)); diff != "" {
		t.Errorf("step 3: with Send racing Close, the messages received differ from those whose Send returned nil "+
			"(sequence numbers per sender, -want +got):\n%s\n"+
			"Send returns nil only for a message Receive will return; after Close, Receive drains the queue before it reports ErrClosed", diff)
	}
}

// Step 4

// bySender groups sequence numbers by sender.
func bySender(ms []Msg) map[string][]int {
	g := map[string][]int{}
	for _, m := range ms {
		g[m.From] = append(g[m.From], m.Seq)
	}
	return g
}

func seqs(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i + 1
	}
	return s
}

// requireMerged calls Merge and fails the test at once if its result cannot work.
func requireMerged(t *testing.T, ctx context.Context, capacity int, inputs ...*Queue[Msg]) *Queue[Msg] {
	t.Helper()
	out := Merge(ctx, capacity, inputs...)
	require.NotNil(t, out, "step 4: Merge returned nil: make the output queue with New, start the forwarders, and return it")
	return out
}

func TestMerge_KeepsEachProducersOrderAndLosesNothing(t *testing.T) {
	type testCase struct {
		name      string
		producers int
		n         int // messages per producer
		capacity  int // the output's
	}
	run := func(t *testing.T, tc testCase) {
		inputs := make([]*Queue[Msg], tc.producers)
		for i := range inputs {
			inputs[i] = newQueue(t, 2)
		}
		out := requireMerged(t, t.Context(), tc.capacity, inputs...)
		sent := make(chan error, tc.producers)
		want := map[string][]int{}
		for i, in := range inputs {
			from := fmt.Sprintf("M%d", i+1)
			want[from] = seqs(tc.n)
			go func() { // each producer sends its stream, then closes its queue
				defer in.Close()
				for _, m := range stream(from, tc.n) {
					if err := in.Send(t.Context(), m); err != nil {
						sent <- fmt.Errorf("%s: Send(%v): %w", from, m, err)
						return
					}
				}
				sent <- nil
			}()
		}

		got := drain(t, out, tc.producers*tc.n+1, "step 4: the output must be closed once every input is closed and drained")
		if diff := cmp.Diff(want, bySender(got.msgs)); diff != "" {
			t.Errorf("step 4: M3 received the wrong messages from the merged queue (sequence numbers per producer, -want +got):\n%s\n"+
				"each producer's messages, all of them, in the order it sent them: "+
				"one goroutine per input that sends each message before it receives the next, and nothing sent on a goroutine of its own", diff)
		}
		require.ErrorIs(t, got.err, ErrClosed,
			"step 4: after every input was closed and drained, Receive on the output returned %v; the output must be closed (ErrClosed)", got.err)
		for range tc.producers {
			select {
			case err := <-sent:
				require.NoError(t, err, "step 4: a producer's Send failed: Merge must not close its inputs")
			case <-time.After(wait):
				require.FailNow(t, "step 4: a producer was still blocked sending to its input 2s after the output closed")
			}
		}
	}
	tests := []testCase{
		{name: "no input: the output is closed at once", producers: 0, capacity: 1},
		{name: "one producer", producers: 1, n: 50, capacity: 1},
		{name: "M1 and M2 into an unbuffered output", producers: 2, n: 50, capacity: 0},
		{name: "three producers, output capacity 4", producers: 3, n: 100, capacity: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestMerge_ClosesTheOutputOnlyWhenEveryInputIsClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel() // whatever happens, no Receive stays blocked
		m1, m2 := newQueue(t, 4), newQueue(t, 4)
		out := requireMerged(t, ctx, 4, m1, m2)

		require.NoError(t, m1.Send(ctx, msg("M1", 1)), "step 1: Send into a queue with room")
		require.NoError(t, m1.Send(ctx, msg("M1", 2)), "step 1: Send into a queue with room")
		m1.Close() // M1 is done
		require.NoError(t, m2.Send(ctx, msg("M2", 1)), "step 1: Send into a queue with room")
		synctest.Wait()

		var got []Msg
		for range 3 {
			r := goReceive(ctx, out)
			synctest.Wait()
			res, ok := r.returned()
			require.True(t, ok, "step 4: Receive on the output blocked, with %v received, although M1 and M2 had sent 3 messages", got)
			require.NoError(t, res.err,
				"step 4: Receive on the output returned %v after %v, although M2's queue is still open and M2 had sent a message: "+
					"the output must stay open until every input is closed", res.err, got)
			got = append(got, res.msg)
		}
		if diff := cmp.Diff(map[string][]int{"M1": {1, 2}, "M2": {1}}, bySender(got)); diff != "" {
			t.Errorf("step 4: the output carried the wrong messages (sequence numbers per producer, -want +got):\n%s", diff)
		}

		pending := goReceive(ctx, out)
		synctest.Wait()
		res, ok := pending.returned()
		require.False(t, ok, "step 4: M1's queue is closed but M2's is still open, and Receive on the output returned %+v: "+
			"the output must stay open until every input is closed; only when the last forwarder returns may it be closed", res)
		require.NoError(t, m2.Send(ctx, msg("M2", 2)), "step 1: Send into a queue with room")
		synctest.Wait()
		res, ok = pending.returned()
		require.True(t, ok, "step 4: M2 sent a message, but Receive on the output stayed blocked")
		assert.Equal(t, received{msg: msg("M2", 2)}, res, "step 4: the output must deliver M2's second message")

		m2.Close() // M2 is done too
		last := goReceive(ctx, out)
		synctest.Wait()
		res, ok = last.returned()
		require.True(t, ok, "step 4: every input is closed and drained, but Receive on the output still blocks: close the output when the last forwarder returns")
		require.ErrorIs(t, res.err, ErrClosed, "step 4: every input is closed and drained: Receive on the output must return ErrClosed")
	})
}

func TestMerge_CancelStopsForwardingAndClosesTheOutput(t *testing.T) {
	type testCase struct {
		name        string
		readerStays bool // whether M3 keeps receiving after the cancel
	}
	run := func(t *testing.T, tc testCase) {
		m1, m2 := newQueue(t, 8), newQueue(t, 8)
		for i := 1; i <= 8; i++ {
			sendNow(t, m1, msg("M1", i), "step 1")
			sendNow(t, m2, msg("M2", i), "step 1")
		}
		// M1 and M2 never close their queues: only the cancel can stop Merge.
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		out := requireMerged(t, ctx, 1, m1, m2)
		first := drain(t, out, 2, "step 4: Receive on the output of Merge")
		require.NoError(t, first.err, "step 4: Receive on the output failed before the cancel")
		require.Len(t, first.msgs, 2, "step 4: Receive on the output must return the inputs' messages")

		cancel()
		if !tc.readerStays {
			// M3 has gone. The forwarders are blocked on the full output, or
			// on their inputs: the cancel must release them. goleak checks it
			// when the tests end.
			return
		}
		rest := drain(t, out, 40, "step 4: after a cancel, the output must be closed once the forwarders stop")
		require.ErrorIs(t, rest.err, ErrClosed,
			"step 4: after the cancel, Receive on the output returned %v after %d more messages; "+
				"the forwarders must stop (they pass ctx to Receive and Send) and the output must then be closed", rest.err, len(rest.msgs))
		for from, got := range bySender(append(first.msgs, rest.msgs...)) {
			assert.Equal(t, seqs(len(got)), got, "step 4: %s's messages came out of order or with a gap", from)
		}
	}
	tests := []testCase{
		{name: "M3 keeps receiving: the output closes", readerStays: true},
		{name: "M3 has gone: no forwarder is left behind", readerStays: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
