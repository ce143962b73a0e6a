package bridges

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine started by the tests is still
// alive when they have all finished: that is how a pump left blocked on a send
// after a cancel is found (step 2).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every real-time wait in these tests: a broken step fails, never
// hangs. The tests in a synctest bubble need no timeout: synctest.Wait says
// when everything has settled.
const wait = 2 * time.Second

var (
	errFirst  = errors.New("M1: connection reset")
	errSecond = errors.New("M1: second error")
	errLate   = errors.New("M1: late error")
)

func msg(seq int) Msg { return Msg{Seq: seq, Text: fmt.Sprintf("record %d", seq)} }

// msgsUpTo returns messages 1..n.
func msgsUpTo(n int) []Msg {
	var ms []Msg
	for i := 1; i <= n; i++ {
		ms = append(ms, msg(i))
	}
	return ms
}

// startBridge calls ToChannel and fails the test at once if its result
// cannot work, before anything could block on it.
func startBridge(t *testing.T, ctx context.Context, src *FakeSource) (<-chan Msg, <-chan error) {
	t.Helper()
	msgs, errs := ToChannel(ctx, src)
	require.NotNil(t, msgs, "step 1: ToChannel returned a nil msgs channel: make one, return it, and close it when the stream ends")
	require.NotNil(t, errs, "step 1: ToChannel returned a nil errs channel: make one with room for one error (make(chan error, 1)) and return it")
	require.True(t, src.Started(), "step 1: ToChannel returned without calling src.Start: start the source before returning, the caller may emit at once")
	return msgs, errs
}

// The source's side

// call is one callback the source makes.
type call struct {
	name string
	do   func()
}

func emit(src *FakeSource, seqs ...int) []call {
	var cs []call
	for _, seq := range seqs {
		cs = append(cs, call{fmt.Sprintf("onData(%d)", seq), func() { src.Emit(msg(seq)) }})
	}
	return cs
}

func fail(src *FakeSource, err error) []call {
	return []call{{fmt.Sprintf("onError(%q)", err), func() { src.Fail(err) }}}
}

func closeSource(src *FakeSource) []call {
	return []call{{"onClose()", src.Close}}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i + 1
	}
	return s
}

// sourceRun plays the source: it makes its calls one after another on a
// goroutine of its own, as a real source calls back from its own goroutine.
type sourceRun struct {
	calls    []call
	returned atomic.Int32  // how many calls have returned
	progress chan struct{} // one token as each call returns; buffered, never blocks
	finished chan any      // once all calls returned or one panicked: the panic, or nil
}

func runSource(groups ...[]call) *sourceRun {
	r := &sourceRun{finished: make(chan any, 1)}
	for _, g := range groups {
		r.calls = append(r.calls, g...)
	}
	r.progress = make(chan struct{}, len(r.calls))
	go func() {
		var p any
		defer func() { r.finished <- p }()
		defer func() { p = recover() }()
		for _, c := range r.calls {
			c.do()
			r.returned.Add(1)
			r.progress <- struct{}{}
		}
	}()
	return r
}

// done is how many calls have returned so far.
func (r *sourceRun) done() int { return int(r.returned.Load()) }

// blockedIn names the first call that has not returned.
func (r *sourceRun) blockedIn() string {
	if n := r.done(); n < len(r.calls) {
		return r.calls[n].name
	}
	return "nothing"
}

// requireReturned waits until n calls have returned, and fails the test if
// one panicked or that takes more than 2s.
func (r *sourceRun) requireReturned(t *testing.T, n int, what string) {
	t.Helper()
	deadline := time.After(wait)
	for r.done() < n {
		select {
		case <-r.progress:
		case p := <-r.finished:
			r.finished <- p // put it back for requireFinished
			requireNoPanic(t, p, r.blockedIn(), what)
		case <-deadline:
			require.FailNow(t, what, "after 2s the source is still blocked in %s", r.blockedIn())
		}
	}
}

// requireFinished waits until every call has returned, and fails the test if
// one panicked or one is still blocked after 2s.
func (r *sourceRun) requireFinished(t *testing.T, what string) {
	t.Helper()
	select {
	case p := <-r.finished:
		r.finished <- p
		requireNoPanic(t, p, r.blockedIn(), what)
	case <-time.After(wait):
		require.FailNow(t, what, "after 2s the source is still blocked in %s", r.blockedIn())
	}
}

func requireNoPanic(t *testing.T, p any, in, what string) {
	t.Helper()
	if p == nil {
		return
	}
	why := ""
	if s := fmt.Sprint(p); strings.Contains(s, "send on closed channel") {
		why = "\nA callback sent on a channel that was already closed; that panics even inside a select. " +
			"Let the callbacks hand their events to your pump and select on a channel that is closed, never sent on, when the stream ends (step 2)."
	} else if strings.Contains(s, "close of closed channel") {
		why = "\nA channel was closed twice: let one goroutine, the pump, close each channel, once (step 2)."
	}
	require.FailNow(t, what, "the source's %s panicked: %v%s", in, p, why)
}

// The reader's side, in real time

// receiveAll receives from msgs until it is closed, within 2s in all.
func receiveAll(t *testing.T, msgs <-chan Msg, what string) []Msg {
	t.Helper()
	var got []Msg
	deadline := time.After(wait)
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				return got
			}
			got = append(got, m)
		case <-deadline:
			require.FailNow(t, what, "msgs was still open after 2s; received %v", got)
		}
	}
}

// receiveErrs receives from errs until it is closed, within 2s, and returns
// the errors (a nil value, if sent, is left out).
func receiveErrs(t *testing.T, errs <-chan error, what string) []error {
	t.Helper()
	var got []error
	deadline := time.After(wait)
	for {
		select {
		case err, ok := <-errs:
			if !ok {
				return got
			}
			if err != nil {
				got = append(got, err)
			}
		case <-deadline:
			require.FailNow(t, what, "errs was still open 2s after msgs closed; received %v: close errs when the stream ends", got)
		}
	}
}

func requireStopped(t *testing.T, src *FakeSource, what string) {
	t.Helper()
	select {
	case <-src.Stopped():
	case <-time.After(wait):
		require.FailNow(t, what, "stop had not been called 2s after the cancel")
	}
}

// The reader's side, in a synctest bubble

// takeSlowly is a slow reader: before each receive it lets every other
// goroutine run until it is blocked. It receives until msgs is closed, or
// until there is nothing to receive although everything else is blocked, and
// never blocks itself.
func takeSlowly(msgs <-chan Msg, limit int) (got []Msg, closed bool) {
	for len(got) < limit {
		synctest.Wait()
		select {
		case m, ok := <-msgs:
			if !ok {
				return got, true
			}
			got = append(got, m)
		default:
			return got, false
		}
	}
	return got, false
}

// Step 1

func TestToChannel_DeliversTheCallbacksInOrderThenCloses(t *testing.T) {
	type testCase struct {
		name     string
		calls    func(src *FakeSource) [][]call
		wantMsgs []Msg
		wantErrs []error
	}
	run := func(t *testing.T, tc testCase) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		src := NewFakeSource()
		msgs, errs := startBridge(t, ctx, src)
		r := runSource(tc.calls(src)...)

		got := receiveAll(t, msgs, "step 1: msgs must be closed after onClose")
		r.requireFinished(t, "step 1: every callback must return once the reader has taken its message")
		if diff := cmp.Diff(tc.wantMsgs, got); diff != "" {
			t.Errorf("step 1: msgs carried the wrong messages (-want +got):\n%s\n"+
				"every message, once, in the order of the onData calls", diff)
		}
		gotErrs := receiveErrs(t, errs, "step 1: errs must be closed when the stream ends")
		assert.Equal(t, tc.wantErrs, gotErrs,
			"step 1: errs carried the wrong errors: want the source's first error, if any, once, then errs closed")
	}
	tests := []testCase{
		{
			name:     "twenty messages then close",
			calls:    func(src *FakeSource) [][]call { return [][]call{emit(src, seq(20)...), closeSource(src)} },
			wantMsgs: msgsUpTo(20),
		},
		{
			name:  "no message, just close",
			calls: func(src *FakeSource) [][]call { return [][]call{closeSource(src)} },
		},
		{
			name: "an error between messages",
			calls: func(src *FakeSource) [][]call {
				return [][]call{emit(src, 1, 2), fail(src, errFirst), emit(src, 3), closeSource(src)}
			},
			wantMsgs: msgsUpTo(3),
			wantErrs: []error{errFirst},
		},
		{
			name: "two errors: only the first is reported",
			calls: func(src *FakeSource) [][]call {
				return [][]call{emit(src, 1), fail(src, errFirst), fail(src, errSecond), emit(src, 2), closeSource(src)}
			},
			wantMsgs: msgsUpTo(2),
			wantErrs: []error{errFirst},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestToChannel_SlowReaderBlocksTheSourceAfterOneMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		src := NewFakeSource()
		msgs, _ := startBridge(t, ctx, src)
		r := runSource(emit(src, 1, 2, 3), closeSource(src))

		synctest.Wait() // nobody reads: the source runs until it blocks
		assert.Equal(t, 1, r.done(),
			"step 1: with nobody reading, %d onData call(s) returned, want exactly 1 (the source is now blocked in %s): "+
				"the bridge holds one message the reader has not taken, and onData blocks while it holds one; "+
				"more is an unbounded buffer (or dropped messages), less means onData waits for the reader itself",
			r.done(), r.blockedIn())

		got, _ := takeSlowly(msgs, 1)
		synctest.Wait()
		assert.Equal(t, 2, r.done(),
			"step 1: after the reader took %v, %d onData call(s) had returned, want 2: taking one message must let the source go on by one",
			got, r.done())

		rest, closed := takeSlowly(msgs, 10)
		if diff := cmp.Diff(msgsUpTo(3), append(got, rest...)); diff != "" {
			t.Errorf("step 1: a slow reader received the wrong messages (-want +got):\n%s", diff)
		}
		assert.True(t, closed, "step 1: msgs was not closed after onClose (the source is blocked in %s)", r.blockedIn())
	})
}

func TestToChannel_SlowReaderGetsTheLastMessageBeforeTheClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		src := NewFakeSource()
		msgs, _ := startBridge(t, ctx, src)
		// The source calls onClose as soon as onData(5) has returned, while
		// the bridge still holds message 5 and the reader has not taken it.
		r := runSource(emit(src, seq(5)...), closeSource(src))

		got, closed := takeSlowly(msgs, 10)
		if diff := cmp.Diff(msgsUpTo(5), got); diff != "" {
			t.Errorf("step 1: with a slow reader, the messages before onClose were not all delivered (-want +got):\n%s\n"+
				"onClose arrived while the bridge still held the last message, and the close won: "+
				"send data and close through the same channel to one goroutine, so the close cannot overtake a message", diff)
		}
		assert.True(t, closed, "step 1: msgs was not closed after onClose (the source is blocked in %s)", r.blockedIn())
	})
}

// Step 2

func TestToChannel_CancelStopsTheSourceAndReportsTheContextError(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	src := NewFakeSource()
	msgs, errs := startBridge(t, ctx, src)
	runSource(emit(src, 1)).requireFinished(t, "step 1: with nobody reading, onData for the first message must return: the bridge may hold one message")

	select {
	case m, ok := <-msgs:
		require.True(t, ok, "step 1: msgs was closed before the source closed")
		require.Equal(t, msg(1), m, "step 1: the first message received is wrong")
	case <-time.After(wait):
		require.FailNow(t, "step 1: the message emitted never arrived on msgs within 2s")
	}

	cancel()
	requireStopped(t, src, "step 2: cancelling ctx must call the source's stop")
	rest := receiveAll(t, msgs, "step 2: cancelling ctx must close msgs")
	assert.Empty(t, rest, "step 2: after the cancel, msgs delivered messages nobody emitted")
	gotErrs := receiveErrs(t, errs, "step 2: cancelling ctx must close errs")
	require.Len(t, gotErrs, 1, "step 2: after a cancel, errs must carry ctx.Err() once, got %v", gotErrs)
	assert.ErrorIs(t, gotErrs[0], context.Canceled, "step 2: after a cancel, errs must carry ctx.Err()")

	runSource(emit(src, 99), closeSource(src)).requireFinished(t,
		"step 2: callbacks arriving after the cancel ended the stream must return at once and do nothing")
}

func TestToChannel_CancelWithNobodyReadingStopsAndUnblocksTheSource(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	src := NewFakeSource()
	startBridge(t, ctx, src) // the reader never reads: it has gone away
	r := runSource(emit(src, 1, 2, 3))
	r.requireReturned(t, 1, "step 1: with nobody reading, onData for the first message must return: the bridge may hold one message")

	// The bridge holds message 1 and the source is blocked in onData(2).
	cancel()
	requireStopped(t, src, "step 2: cancelling ctx must call the source's stop, even while nobody reads")
	r.requireFinished(t, "step 2: after the cancel, a callback waiting to hand over its message must return: "+
		"select on a channel that is closed when the stream ends")
	// Nobody will ever receive message 1. If the goroutine that held it is
	// still blocked sending it, goleak reports it when the package ends.
}

func TestToChannel_LateCallbacksAfterTheCloseDoNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	src := NewFakeSource()
	msgs, errs := startBridge(t, ctx, src)
	r := runSource(emit(src, 1), closeSource(src))
	got := receiveAll(t, msgs, "step 1: msgs must be closed after onClose")
	r.requireFinished(t, "step 1: every callback must return once the reader has taken its message")
	require.Equal(t, []Msg{msg(1)}, got, "step 1: msgs carried the wrong messages")
	require.Empty(t, receiveErrs(t, errs, "step 1: errs must be closed when the stream ends"),
		"step 1: errs carried an error although the source reported none")

	// The stream has ended. The source, racing its own shutdown, calls back
	// again.
	runSource(emit(src, 99), fail(src, errLate), closeSource(src)).requireFinished(t,
		"step 2: late callbacks after onClose must return at once and do nothing")
	m, open := <-msgs
	assert.False(t, open, "step 2: a late onData after onClose delivered %v", m)
	err, open := <-errs
	assert.False(t, open, "step 2: a late onError after onClose delivered %v", err)
}

// Step 3

// recorder holds the callbacks FromChannel made, in order, and the goroutines
// that made them. With hold set, onData blocks until release is called.
type recorder struct {
	mu         sync.Mutex
	calls      []string
	goroutines map[string]bool
	running    string // the onData under way, if any
	overlaps   []string
	hold       chan struct{}
	once       sync.Once
}

func newRecorder(hold bool) *recorder {
	r := &recorder{goroutines: map[string]bool{}}
	if hold {
		r.hold = make(chan struct{})
	}
	return r
}

func (r *recorder) record(c string) {
	r.calls = append(r.calls, c)
	r.goroutines[goroutineID()] = true
	if r.running != "" {
		r.overlaps = append(r.overlaps, fmt.Sprintf("%s while %s was still running", c, r.running))
	}
}

func (r *recorder) onData(m Msg) {
	c := fmt.Sprintf("onData(%d)", m.Seq)
	r.mu.Lock()
	r.record(c)
	r.running = c
	r.mu.Unlock()
	if r.hold != nil {
		<-r.hold
	}
	r.mu.Lock()
	r.running = ""
	r.mu.Unlock()
}

func (r *recorder) onDone(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(fmt.Sprintf("onDone(%v)", err))
}

func (r *recorder) release() { r.once.Do(func() { close(r.hold) }) }

// snapshot returns the calls so far, the number of goroutines that made them,
// and the overlaps seen.
func (r *recorder) snapshot() (calls []string, goroutines int, overlaps []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...), len(r.goroutines), append([]string(nil), r.overlaps...)
}

func onDataCalls(seqs ...int) []string {
	var cs []string
	for _, s := range seqs {
		cs = append(cs, fmt.Sprintf("onData(%d)", s))
	}
	return cs
}

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace. The tests use it only to show which goroutine made
// a callback; real code never should.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1])
}

// startFromChannel calls FromChannel on a new goroutine and reports whether
// it returned at once, while in is still open.
func startFromChannel(ctx context.Context, in <-chan Msg, rec *recorder) (returned bool) {
	ret := make(chan struct{})
	go func() {
		FromChannel(ctx, in, rec.onData, rec.onDone)
		close(ret)
	}()
	synctest.Wait()
	select {
	case <-ret:
		return true
	default:
		return false
	}
}

func TestFromChannel_CallsBackInOrderThenDoneWithNil(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		in := make(chan Msg, 10)
		for _, m := range msgsUpTo(10) {
			in <- m
		}
		close(in)
		rec := newRecorder(false)
		test := goroutineID()

		FromChannel(ctx, in, rec.onData, rec.onDone)
		synctest.Wait()

		calls, goroutines, _ := rec.snapshot()
		want := append(onDataCalls(seq(10)...), "onDone(<nil>)")
		if diff := cmp.Diff(want, calls); diff != "" {
			t.Errorf("step 3: FromChannel over 10 messages and a closed channel made the wrong callbacks (-want +got):\n%s\n"+
				"onData for each message in order, then onDone(nil) once, when in is closed", diff)
		}
		assert.LessOrEqual(t, goroutines, 1,
			"step 3: the callbacks ran on %d different goroutines: make every call, onDone included, from the one goroutine FromChannel starts", goroutines)
		rec.mu.Lock()
		onTest := rec.goroutines[test]
		rec.mu.Unlock()
		assert.False(t, onTest,
			"step 3: the callbacks ran on the goroutine that called FromChannel: start a goroutine for them and return at once")
	})
}

func TestFromChannel_CancelCallsDoneOnceAndNothingAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		in := make(chan Msg, 10)
		closeIn := sync.OnceFunc(func() { close(in) })
		defer closeIn() // whatever FromChannel does, it can finish
		in <- msg(1)
		in <- msg(2)
		rec := newRecorder(false)

		require.True(t, startFromChannel(ctx, in, rec),
			"step 3: FromChannel did not return while in was still open: start a goroutine and return at once")
		calls, _, _ := rec.snapshot()
		require.Equal(t, onDataCalls(1, 2), calls,
			"step 3: with two messages waiting in in, FromChannel must call onData for each, in order, before anything is cancelled")

		cancel()
		synctest.Wait()
		calls, _, _ = rec.snapshot()
		if diff := cmp.Diff(append(onDataCalls(1, 2), "onDone(context canceled)"), calls); diff != "" {
			t.Errorf("step 3: after the cancel, the callbacks are wrong (-want +got):\n%s\n"+
				"when ctx is cancelled, call onDone(ctx.Err()) once", diff)
		}

		// More messages arrive and in is closed, after onDone.
		in <- msg(3)
		in <- msg(4)
		closeIn()
		synctest.Wait()
		after, _, _ := rec.snapshot()
		if diff := cmp.Diff(calls, after); diff != "" {
			t.Errorf("step 3: callbacks were made after onDone (-before +after):\n%s\n"+
				"onDone is the last call: make every call from the one goroutine, and return right after onDone", diff)
		}
	})
}

func TestFromChannel_DoneWaitsForTheRunningOnData(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		in := make(chan Msg, 1)
		defer close(in) // whatever FromChannel does, it can finish
		in <- msg(1)
		rec := newRecorder(true) // onData blocks until rec.release()
		defer rec.release()

		returned := startFromChannel(ctx, in, rec)
		calls, _, _ := rec.snapshot()
		require.Equal(t, onDataCalls(1), calls,
			"step 3: with one message waiting in in, FromChannel must call onData(1)")
		require.True(t, returned,
			"step 3: FromChannel did not return while onData(1) was running: start a goroutine for the callbacks and return at once")

		// onData(1) is running, blocked.
		cancel()
		synctest.Wait()
		calls, _, overlaps := rec.snapshot()
		assert.Equal(t, onDataCalls(1), calls,
			"step 3: ctx was cancelled while onData(1) was still running: onDone must wait until it returns")
		assert.Empty(t, overlaps, "step 3: callbacks overlapped: make them all from one goroutine")

		rec.release() // onData(1) returns
		synctest.Wait()
		calls, _, overlaps = rec.snapshot()
		if diff := cmp.Diff(append(onDataCalls(1), "onDone(context canceled)"), calls); diff != "" {
			t.Errorf("step 3: after the running onData returned, the callbacks are wrong (-want +got):\n%s\n"+
				"once onData returns, notice the cancel and call onDone(ctx.Err()), once", diff)
		}
		assert.Empty(t, overlaps, "step 3: callbacks overlapped: make them all from one goroutine")
	})
}
