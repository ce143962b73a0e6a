package eventloop

import (
	"errors"
	"fmt"
	"slices"
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

// TestMain fails the package if a loop goroutine (or any goroutine the tests
// started) is still alive when every test has finished.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every wait in these tests but one (see
// TestSync_FromACallbackRunsFnInline): a broken step fails, never hangs.
// Inside a synctest bubble the clock is fake, so a wait that can never end
// fails at once instead of after 2s.
const wait = 2 * time.Second

// Step 1

func TestPost_RunsCallbacksInPostingOrder(t *testing.T) {
	l := startLoop(t)

	var got []int // a plain slice: only safe because one goroutine runs every callback
	for i := range 100 {
		requirePosted(t, l.Post(func() { got = append(got, i) }), "step 1")
	}
	waitForLoop(t, l, "step 1: after 100 posts")

	if diff := cmp.Diff(count(0, 100), got); diff != "" {
		t.Errorf("step 1: the callbacks ran in the wrong order, or not all of them ran (-want +got):\n%s\n"+
			"the loop goroutine must take them off the queue first in, first out, and run each one", diff)
	}
}

func TestPost_RunsEveryCallbackOnOneLoopGoroutine(t *testing.T) {
	l := startLoop(t)
	caller := goroutineID()

	var ids []uint64
	for range 20 {
		requirePosted(t, l.Post(func() { ids = append(ids, goroutineID()) }), "step 1")
	}
	waitForLoop(t, l, "step 1: after 20 posts")

	require.Len(t, ids, 20, "step 1: only %d of 20 posted callbacks ran", len(ids))
	distinct := slices.Compact(slices.Sorted(slices.Values(ids)))
	assert.Len(t, distinct, 1,
		"step 1: 20 callbacks ran on %d different goroutines %v, want all on the one loop goroutine: "+
			"start one goroutine in Start and call every fn on it, never `go fn()`", len(distinct), distinct)
	assert.NotContains(t, ids, caller,
		"step 1: a callback ran on the goroutine that posted it (%d): Post must queue fn for the loop goroutine, not call it", caller)
}

func TestPost_ManyPostersNeverOverlapAndEachKeepsItsOrder(t *testing.T) {
	const posters, each = 8, 200
	l := startLoop(t)

	type post struct{ Poster, Seq int }
	var got []post            // touched only by callbacks, so only by the loop goroutine
	running, overlaps := 0, 0 // the same
	start := make(chan struct{})
	errs := make(chan error, posters)
	var wg sync.WaitGroup
	for p := range posters {
		wg.Go(func() {
			<-start
			for s := range each {
				err := l.Post(func() {
					running++
					if running > 1 {
						overlaps++
					}
					got = append(got, post{p, s})
					running--
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	close(start) // all posters at once
	wg.Wait()
	close(errs)
	for err := range errs {
		requirePosted(t, err, "step 1")
	}
	// Every post above happened before this wait: the loop must have run
	// them all by the time it runs the callback waitForLoop posts.
	waitForLoop(t, l, fmt.Sprintf("step 1: after %d goroutines posted %d callbacks each", posters, each))

	require.Zero(t, overlaps, "step 1: callbacks overlapped %d times: run them one at a time, on one goroutine", overlaps)
	require.Len(t, got, posters*each, "step 1: %d of %d posted callbacks ran", len(got), posters*each)
	for p := range posters {
		var seqs []int
		for _, g := range got {
			if g.Poster == p {
				seqs = append(seqs, g.Seq)
			}
		}
		if diff := cmp.Diff(count(0, each), seqs); diff != "" {
			t.Errorf("step 1: poster %d's callbacks ran out of order (-want +got):\n%s\n"+
				"one queue, first in first out, keeps every poster's order", p, diff)
		}
	}
}

func TestPost_FromACallbackRunsAfterThatCallbackReturns(t *testing.T) {
	l := startLoop(t)

	var got []string
	bRan := make(chan struct{})
	requirePosted(t, l.Post(func() {
		got = append(got, "A starts")
		err := l.Post(func() {
			got = append(got, "B, posted by A, runs")
			close(bRan)
		})
		if err != nil {
			got = append(got, "A's Post failed: "+err.Error())
		}
		got = append(got, "A returns")
	}), "step 1")
	waitFor(t, bRan, "step 1: callback A posted callback B, and B did not run within 2s",
		"a callback may Post: Post must not wait for the loop goroutine, which is busy running the callback")

	want := []string{"A starts", "A returns", "B, posted by A, runs"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 1: callback A posted callback B; what ran is wrong (-want +got):\n%s\n"+
			"B joins the end of the queue and runs after A has returned, never inside A's Post", diff)
	}
}

func TestPost_NeverBlocksEvenWhenACallbackPostsTenThousand(t *testing.T) {
	const n = 10_000
	l := startLoop(t)

	ran := 0 // touched only on the loop goroutine
	posted := make(chan error, 1)
	requirePosted(t, l.Post(func() {
		for range n {
			if err := l.Post(func() { ran++ }); err != nil {
				posted <- err
				return
			}
		}
		posted <- nil
	}), "step 1")

	select {
	case err := <-posted:
		requirePosted(t, err, "step 1: inside a callback")
	case <-time.After(wait):
		require.FailNow(t, fmt.Sprintf("step 1: a callback posting %d callbacks was still inside Post after 2s", n),
			"Post blocked: a buffered channel fills up, and then the loop goroutine waits for itself for ever. "+
				"Keep the queue in a slice guarded by a sync.Mutex, so that Post never waits.")
	}
	waitForLoop(t, l, fmt.Sprintf("step 1: after a callback posted %d callbacks", n))
	assert.Equal(t, n, ran, "step 1: %d of the %d callbacks posted by a callback ran", ran, n)
}

// Step 2

func TestStop_RunsEverythingPostedBeforeItThenReturns(t *testing.T) {
	needStop(t)
	synctest.Test(t, func(t *testing.T) {
		l := startLoop(t)
		release := releaser(t)

		var got []int
		busy := make(chan struct{})
		requirePosted(t, l.Post(func() {
			close(busy)
			<-release.ch // keeps the loop busy until the test releases it
		}), "step 2")
		for i := range 10 {
			requirePosted(t, l.Post(func() { got = append(got, i) }), "step 2")
		}
		waitFor(t, busy, "step 2: the first posted callback did not start", "is the loop goroutine running (step 1)?")
		stopped := make(chan struct{})
		go func() {
			l.Stop()
			close(stopped)
		}()
		synctest.Wait() // Stop has been called; the loop is stuck in the first callback

		select {
		case <-stopped:
			require.FailNow(t, "step 2: Stop returned while the loop was busy and 10 callbacks were still queued",
				"Stop must wait until the loop goroutine has run everything posted before Stop, and has exited")
		default:
		}
		err := l.Post(func() { got = append(got, -1) })
		assert.ErrorIs(t, err, ErrStopped,
			"step 2: Post, called while Stop was waiting for the loop, returned %v, want ErrStopped", err)

		release.now()
		waitFor(t, stopped, "step 2: Stop did not return within 2s after the loop's busy callback returned",
			"the loop goroutine must run the rest of the queue, return, and let Stop know (close a done channel)")
		if diff := cmp.Diff(count(0, 10), got); diff != "" {
			t.Errorf("step 2: the callbacks posted before Stop that had run when Stop returned are wrong (-want +got):\n%s\n"+
				"Stop must drain the queue: the loop goroutine returns only when it is stopped AND the queue is empty", diff)
		}
	})
}

func TestStop_ThenPostReturnsErrStoppedAndNeverRuns(t *testing.T) {
	l := startLoop(t)
	stopWithin(t, l, "Stop")

	var ran atomic.Bool
	err := l.Post(func() { ran.Store(true) })
	require.ErrorIs(t, err, ErrStopped, "step 2: Post after Stop returned %v, want ErrStopped", err)
	assert.False(t, ran.Load(), "step 2: a callback posted after Stop ran anyway")
}

func TestStop_TwiceAndFromManyGoroutinesWaitsForTheLoop(t *testing.T) {
	needStop(t)
	synctest.Test(t, func(t *testing.T) {
		l := startLoop(t)
		release := releaser(t)

		ran := 0
		busy := make(chan struct{})
		requirePosted(t, l.Post(func() {
			close(busy)
			<-release.ch
		}), "step 2")
		for range 10 {
			requirePosted(t, l.Post(func() { ran++ }), "step 2")
		}
		waitFor(t, busy, "step 2: the first posted callback did not start", "is the loop goroutine running (step 1)?")
		results := make([]<-chan any, 5)
		for i := range results {
			results[i] = callStop(l)
		}
		synctest.Wait() // five Stops called, the loop is stuck in the first callback

		for i, res := range results {
			select {
			case p := <-res:
				require.FailNow(t, fmt.Sprintf("step 2: Stop call %d of 5 returned (panic: %v) while the loop was busy "+
					"and 10 callbacks were still queued", i+1, p),
					"every Stop call must wait for the loop goroutine to exit, not only the first one")
			default:
			}
		}
		release.now()
		for i, res := range results {
			select {
			case p := <-res:
				require.Nil(t, p, "step 2: Stop call %d of 5, at the same time as the others, panicked: %v\n"+
					"closing a channel twice panics: close things once, or only from the loop goroutine", i+1, p)
			case <-time.After(wait):
				require.FailNow(t, fmt.Sprintf("step 2: Stop call %d of 5, at the same time as the others, never returned", i+1),
					"does a second Stop wait for something that only the first one receives?")
			}
		}
		assert.Equal(t, 10, ran, "step 2: when Stop returned, %d of the 10 callbacks posted before it had run", ran)
		stopWithin(t, l, "Stop, called again after the loop had ended,")
	})
}

func TestStop_WhileManyGoroutinesPostNeverPanicsAndLosesNothing(t *testing.T) {
	const posters, maxPosts = 8, 5_000
	needStop(t)
	l := startLoop(t)

	type result struct {
		poster   int
		accepted int   // posts that returned nil
		err      error // an error other than ErrStopped, or a nil after ErrStopped
		panicked any
	}
	ran := make([][]int, posters) // ran[p]: poster p's callbacks, appended on the loop goroutine
	firstRan := make(chan struct{})
	var once sync.Once
	start := make(chan struct{})
	results := make(chan result, posters)
	for p := range posters {
		go func() {
			r := result{poster: p}
			defer func() {
				r.panicked = recover()
				results <- r
			}()
			<-start
			for s := range maxPosts {
				err := l.Post(func() {
					ran[p] = append(ran[p], s)
					once.Do(func() { close(firstRan) })
				})
				switch {
				case err == nil:
					r.accepted++
				case errors.Is(err, ErrStopped):
					if err := l.Post(func() {}); !errors.Is(err, ErrStopped) {
						r.err = fmt.Errorf("Post returned ErrStopped, then %v", err)
					}
					return
				default:
					r.err = err
					return
				}
			}
		}()
	}
	close(start)
	waitFor(t, firstRan, "step 2: none of the callbacks that 8 goroutines posted ran within 2s",
		"is the loop goroutine running the queue (step 1)?")
	stopWithin(t, l, "Stop, while 8 goroutines were posting,")

	for range posters {
		var r result
		select {
		case r = <-results:
		case <-time.After(wait):
			require.FailNow(t, "step 2: a goroutine was still inside Post 2s after Stop had returned",
				"Post must never wait; after Stop it returns ErrStopped at once")
		}
		require.Nil(t, r.panicked, "step 2: Post panicked while Stop ran: %v\n"+
			"never close a channel that posters may still send on: mark the loop stopped under the mutex that guards the queue",
			r.panicked)
		require.NoError(t, r.err, "step 2: Post, racing with Stop, must return nil or ErrStopped, and ErrStopped ever after")
		// Stop has returned, so the loop goroutine has exited: ran is ours now.
		got := ran[r.poster]
		if !slices.Equal(count(0, r.accepted), got) {
			t.Errorf("step 2: Post accepted %d callbacks from poster %d, but when Stop returned %d had run (first: %v); "+
				"want all of them, in order: Stop must not drop what was posted before it",
				r.accepted, r.poster, len(got), got[:min(10, len(got))])
		}
	}
}

// Step 3

func TestSync_RunsFnOnTheLoopGoroutineBeforeReturning(t *testing.T) {
	l := startLoop(t)
	loopID := loopGoroutine(t, l)

	// Atomics, not plain variables: this test must fail, not race, when
	// Sync returns before fn has run.
	var ran atomic.Bool
	var ranOn atomic.Uint64
	err := syncWithin(t, l, func() {
		ranOn.Store(goroutineID())
		ran.Store(true)
	})
	require.NoError(t, err, "step 3: Sync on a running loop returned an error")
	require.True(t, ran.Load(), "step 3: Sync returned before fn had run: it must wait until the loop goroutine has run fn")
	assert.Equal(t, loopID, ranOn.Load(),
		"step 3: fn ran on goroutine %d, not on the loop goroutine %d: post it, do not call it", ranOn.Load(), loopID)
}

func TestSync_RunsAfterEverythingPostedBeforeIt(t *testing.T) {
	needSync(t)
	l := startLoop(t)

	var got []int
	for i := range 50 {
		requirePosted(t, l.Post(func() { got = append(got, i) }), "step 3")
	}
	err := syncWithin(t, l, func() { got = append(got, 50) })
	require.NoError(t, err, "step 3: Sync on a running loop returned an error")

	if diff := cmp.Diff(count(0, 51), got); diff != "" {
		t.Errorf("step 3: after 50 posts and a Sync, what had run when Sync returned is wrong (-want +got):\n%s\n"+
			"Sync's fn joins the queue like any callback, behind everything posted before it", diff)
	}
}

func TestSync_WaitsWhileAnotherCallbackRuns(t *testing.T) {
	needSync(t)
	synctest.Test(t, func(t *testing.T) {
		l := startLoop(t)
		release := releaser(t)

		started := make(chan struct{})
		var loopID uint64
		requirePosted(t, l.Post(func() {
			loopID = goroutineID()
			close(started)
			<-release.ch
		}), "step 3")
		waitFor(t, started, "step 3: the first posted callback did not start", "is the loop goroutine running (step 1)?")

		type syncResult struct {
			err   error
			ran   bool
			ranOn uint64
		}
		res := make(chan syncResult, 1)
		go func() {
			var r syncResult
			r.err = l.Sync(func() {
				r.ran = true
				r.ranOn = goroutineID()
			})
			res <- r
		}()
		synctest.Wait() // Sync has been called; the loop is still inside the first callback

		select {
		case r := <-res:
			require.FailNow(t, fmt.Sprintf("step 3: Sync returned (error %v, fn ran: %t, on goroutine %d; the loop's is %d) "+
				"while another callback was still running on the loop", r.err, r.ran, r.ranOn, loopID),
				"Sync must queue fn behind the running callback and wait for it. "+
					"If fn ran on the calling goroutine, Sync took that goroutine for the loop's (step 4): "+
					"a flag like \"a callback is running\" cannot tell; compare goroutine ids.")
		default:
		}
		release.now()
		var r syncResult
		select {
		case r = <-res:
		case <-time.After(wait):
			require.FailNow(t, "step 3: Sync did not return after the running callback had returned",
				"the loop goroutine must go on to run the fn that Sync queued, and Sync must then return")
		}
		require.NoError(t, r.err, "step 3: Sync on a running loop returned an error")
		require.True(t, r.ran, "step 3: Sync returned nil, but fn never ran")
		assert.Equal(t, loopID, r.ranOn, "step 3: fn ran on goroutine %d, not on the loop goroutine %d", r.ranOn, loopID)
	})
}

func TestSync_AfterStopReturnsErrStoppedAndNeverRuns(t *testing.T) {
	l := startLoop(t)
	stopWithin(t, l, "Stop")

	var ran atomic.Bool
	err := syncWithin(t, l, func() { ran.Store(true) })
	require.ErrorIs(t, err, ErrStopped, "step 3: Sync after Stop returned %v, want ErrStopped", err)
	assert.False(t, ran.Load(), "step 3: Sync after Stop ran fn anyway")
}

// Step 4

func TestSync_FromACallbackRunsFnInline(t *testing.T) {
	needSync(t)
	l := startLoop(t)
	loopID := loopGoroutine(t, l)

	var got []string
	var innerErr error
	var innerOn uint64
	// No bound on this wait, on purpose. A Sync that posts fn and waits for
	// the loop goroutine, called ON the loop goroutine, waits for itself for
	// ever: then this test hangs until the test binary's time limit, and the
	// checker reports a timeout with the goroutines that were stuck.
	err := l.Sync(func() {
		got = append(got, "the callback calls Sync")
		innerErr = l.Sync(func() {
			innerOn = goroutineID()
			got = append(got, "fn runs")
		})
		got = append(got, "Sync returns to the callback")
	})
	require.NoError(t, err, "step 3: Sync on a running loop returned an error")
	require.NoError(t, innerErr,
		"step 4: Sync called from a callback returned an error: this exercise runs fn inline instead (doc.go, step 4)")
	want := []string{"the callback calls Sync", "fn runs", "Sync returns to the callback"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 4: a callback called Sync(fn); what ran is wrong (-want +got):\n%s\n"+
			"on the loop goroutine, Sync must run fn right there, before it returns", diff)
	}
	assert.Equal(t, loopID, innerOn, "step 4: the inline fn ran on goroutine %d, not on the loop goroutine %d", innerOn, loopID)

	ran := false
	err = syncWithin(t, l, func() { ran = true })
	require.NoError(t, err, "step 4: after a callback had called Sync, a Sync from outside returned an error")
	assert.True(t, ran, "step 4: after a callback had called Sync, the loop no longer runs what Sync posts")
}

func TestStop_FromACallbackReturnsAndTheLoopStillDrains(t *testing.T) {
	needStop(t)
	l := startLoop(t)

	var got []string // appended only on the loop goroutine; read after it has exited
	var postAfterStop error
	stopReturned := make(chan struct{})
	requirePosted(t, l.Post(func() {
		if err := l.Post(func() { got = append(got, "B, posted before Stop, runs") }); err != nil {
			got = append(got, "A's Post before Stop failed: "+err.Error())
		}
		got = append(got, "A calls Stop")
		l.Stop()
		got = append(got, "Stop returns to A")
		postAfterStop = l.Post(func() { got = append(got, "C, posted after Stop, runs") })
		close(stopReturned)
	}), "step 4")
	waitFor(t, stopReturned, "step 4: a callback that called Stop was still inside Stop after 2s",
		"on the loop goroutine, Stop cannot wait for that goroutine to exit: mark the loop stopped and return at once")
	stopWithin(t, l, "Stop, called by the test after a callback had called Stop,")

	want := []string{"A calls Stop", "Stop returns to A", "B, posted before Stop, runs"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 4: callback A posted B, then called Stop; what ran is wrong (-want +got):\n%s\n"+
			"Stop from a callback returns at once; the loop still runs what was queued before it, then ends", diff)
	}
	assert.ErrorIs(t, postAfterStop, ErrStopped,
		"step 4: Post after a callback's Stop returned %v, want ErrStopped", postAfterStop)
}

// Helpers

// startLoop starts a loop and stops it when the test ends. Inside a synctest
// bubble, the loop goroutine belongs to the bubble.
func startLoop(t *testing.T) *Loop {
	t.Helper()
	l := Start()
	require.NotNil(t, l, "step 1: Start returned nil, want a *Loop whose goroutine is running")
	t.Cleanup(func() { stopWithin(t, l, "Stop (when the test ended)") })
	return l
}

// needStop fails the test unless Stop already works (step 2). Tests that
// run in a synctest bubble call it first, outside the bubble: a loop
// goroutine still alive when a bubble ends makes synctest panic, and a failed
// test with a message teaches more than a panic. Tests that read the
// callbacks' state after Stop call it too: without a working Stop, that read
// would race with the loop goroutine.
func needStop(t *testing.T) {
	t.Helper()
	l := startLoop(t)
	stopWithin(t, l, "Stop")
	err := l.Post(func() {})
	require.ErrorIs(t, err, ErrStopped,
		"step 2: this test needs Stop: after Stop, Post returned %v, want ErrStopped", err)
}

// needSync fails the test unless Sync from outside the loop already works
// (step 3), so that a later step's test fails with a message rather than
// with a data race on state that only a working Sync would protect.
func needSync(t *testing.T) {
	t.Helper()
	needStop(t)
	l := startLoop(t)
	var ran atomic.Bool
	err := syncWithin(t, l, func() { ran.Store(true) })
	require.NoError(t, err, "step 3: this test needs Sync: Sync on a running loop returned an error")
	require.True(t, ran.Load(), "step 3: this test needs Sync: Sync returned before fn had run")
}

// requirePosted fails the test if Post returned an error on a running loop.
func requirePosted(t *testing.T, err error, step string) {
	t.Helper()
	require.NoError(t, err, "%s: Post on a running loop returned an error, want nil", step)
}

// waitForLoop posts a callback and waits until it has run: then every
// callback posted before it has run too.
func waitForLoop(t *testing.T, l *Loop, what string) {
	t.Helper()
	done := make(chan struct{})
	requirePosted(t, l.Post(func() { close(done) }), what)
	waitFor(t, done, what+", one more posted callback did not run within 2s",
		"does Start start a goroutine that takes each posted callback off the queue and calls it?")
}

// loopGoroutine returns the id of the loop goroutine, as a callback sees it.
func loopGoroutine(t *testing.T, l *Loop) uint64 {
	t.Helper()
	var id uint64
	done := make(chan struct{})
	requirePosted(t, l.Post(func() {
		id = goroutineID()
		close(done)
	}), "step 1")
	waitFor(t, done, "step 1: a posted callback did not run within 2s", "is the loop goroutine running (step 1)?")
	return id
}

// waitFor waits until ch is closed, failing the test after wait.
func waitFor(t *testing.T, ch <-chan struct{}, failure, advice string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(wait):
		require.FailNow(t, failure, advice)
	}
}

// syncWithin calls l.Sync(fn) on another goroutine and returns its error,
// failing the test if Sync takes longer than wait.
func syncWithin(t *testing.T, l *Loop, fn func()) error {
	t.Helper()
	res := make(chan error, 1)
	go func() { res <- l.Sync(fn) }()
	select {
	case err := <-res:
		return err
	case <-time.After(wait):
		require.FailNow(t, "step 3: Sync did not return within 2s",
			"Sync must post fn, and the loop goroutine must run it and then let Sync return")
		return nil
	}
}

// callStop calls l.Stop on a new goroutine and delivers what it panicked
// with (nil if it returned normally).
func callStop(l *Loop) <-chan any {
	res := make(chan any, 1)
	go func() {
		var p any
		defer func() { res <- p }()
		defer func() { p = recover() }()
		l.Stop()
	}()
	return res
}

// stopWithin calls l.Stop and fails the test if it panics or takes longer
// than wait.
func stopWithin(t *testing.T, l *Loop, what string) {
	t.Helper()
	select {
	case p := <-callStop(l):
		require.Nil(t, p, "step 2: %s panicked: %v\ncalling Stop again must be safe: close nothing twice", what, p)
	case <-time.After(wait):
		require.FailNow(t, fmt.Sprintf("step 2: %s did not return within 2s", what),
			"Stop must wake the loop goroutine, which returns once the queue is empty; is a callback still running?")
	}
}

// release lets a callback that blocks on ch return; now may be called more
// than once, and is called when the test ends in any case.
type release struct {
	ch  chan struct{}
	now func()
}

func releaser(t *testing.T) release {
	ch := make(chan struct{})
	r := release{ch: ch, now: sync.OnceFunc(func() { close(ch) })}
	t.Cleanup(r.now) // runs before the loop's Stop, registered earlier
	return r
}

// count returns from, from+1, …, to-1.
func count(from, to int) []int {
	s := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}
