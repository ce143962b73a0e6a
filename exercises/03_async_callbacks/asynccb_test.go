package asynccb

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine started by the tests is still
// alive when they have all finished: a Close that leaves its workers running
// passes every test below and is caught here.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every wait in these tests: a broken step fails, never hangs.
const wait = 2 * time.Second

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace ("goroutine 7 [running]:"). The tests use it only to
// show where a callback ran; real code never should.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1])
}

// gate is a channel that blocking jobs wait on; open releases them (once).
type gate struct {
	ch   chan struct{}
	once sync.Once
}

func newGate(t *testing.T) *gate {
	g := &gate{ch: make(chan struct{})}
	t.Cleanup(g.open) // a failing test still releases its jobs, so Close can return
	return g
}

func (g *gate) open() { g.once.Do(func() { close(g.ch) }) }

// newPool starts a pool and closes it when the test ends, after the test's
// gates (registered later, so cleaned up first) have opened.
func newPool(t *testing.T, workers int) *Pool {
	p := New(workers)
	t.Cleanup(func() { closeWithin(t, p, "Close, at the end of the test,") })
	return p
}

// mustDo calls p.Do and fails the test unless it accepts the job within wait.
func mustDo(t *testing.T, p *Pool, job func() (Result, error), done func(Result, error)) {
	t.Helper()
	res := make(chan error, 1)
	go func() { res <- p.Do(job, done) }()
	select {
	case err := <-res:
		require.NoError(t, err,
			"step 2: Do on an open pool returned %v, want nil: Do must put the job on the queue and return nil", err)
	case <-time.After(wait):
		require.FailNow(t, "step 2: Do did not return within 2s",
			"Do must hand the job to a worker through the queue and return; "+
				"it must not run the job itself, and the queue (QueueSize jobs) was not full")
	}
}

// closeWithin calls p.Close and fails the test if it panics or takes longer
// than wait.
func closeWithin(t *testing.T, p *Pool, what string) {
	t.Helper()
	select {
	case v := <-callClose(p, nil):
		require.Nil(t, v, "step 3: %s panicked: %v\n"+
			"close the queue exactly once: a second close of a channel panics", what, v)
	case <-time.After(wait):
		require.FailNow(t, fmt.Sprintf("step 3: %s did not return within 2s", what),
			"Close waits for the workers; a worker exits when the queue is closed and empty. "+
				"Is the queue closed? Is a worker stuck?")
	}
}

// callClose calls p.Close on a new goroutine once start is closed (at once if
// start is nil), and delivers what Close panicked with (nil if it returned).
func callClose(p *Pool, start <-chan struct{}) <-chan any {
	res := make(chan any, 1)
	go func() {
		var v any
		defer func() { res <- v }()
		defer func() { v = recover() }()
		if start != nil {
			<-start
		}
		p.Close()
	}()
	return res
}

// receive receives one value from ch, failing the test if it takes longer
// than wait.
func receive[T any](t *testing.T, ch <-chan T, format string, args ...any) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(wait):
		require.FailNow(t, fmt.Sprintf(format, args...), "waited 2s")
		panic("unreachable")
	}
}

func ok(v int) func() (Result, error) {
	return func() (Result, error) { return Result{Value: v}, nil }
}

func ignore(Result, error) {}

// Steps 1 and 2

func TestDo_ReturnsAndRunsTheJobLaterOnAWorker(t *testing.T) {
	p := newPool(t, 1)
	g := newGate(t)
	caller := goroutineID()
	jobOn, doneOn := make(chan string, 1), make(chan string, 1)

	mustDo(t, p,
		func() (Result, error) {
			jobOn <- goroutineID()
			<-g.ch // still running when Do returns
			return Result{Value: 7}, nil
		},
		func(Result, error) { doneOn <- goroutineID() })

	worker := receive(t, jobOn, "step 1: the job never ran: New must start workers that take jobs from the queue")
	g.open()
	ranDone := receive(t, doneOn, "step 2: the job returned but done was never called: "+
		"the worker calls done(result, err) after the job")

	assert.NotEqual(t, caller, worker,
		"step 2: the job ran on the goroutine that called Do (%s); it must run on a worker goroutine", caller)
	assert.Equal(t, worker, ranDone,
		"step 2: the job ran on goroutine %s but done on %s: the worker that ran the job calls done", worker, ranDone)
}

// outcome is what done saw for one job, and how often.
type outcome struct {
	Value int
	Err   string
	Calls int
}

func TestDo_CallsDoneOnceWithEachJobsResultOrError(t *testing.T) {
	const jobs = 60
	p := newPool(t, 3)
	errs := make([]error, jobs)
	var mu sync.Mutex
	got := map[int]outcome{}
	calls := make(chan struct{}, 2*jobs)

	for i := range jobs {
		job := ok(i * 10)
		if i%3 == 0 {
			errs[i] = fmt.Errorf("job %d failed", i)
			job = func() (Result, error) { return Result{}, errs[i] }
		}
		mustDo(t, p, job, func(r Result, err error) {
			mu.Lock()
			o := got[i]
			o.Calls++
			o.Value = r.Value
			if err != nil {
				o.Err = err.Error()
			}
			if errs[i] != nil && err != errs[i] {
				o.Err = fmt.Sprintf("not the job's own error value: %v", err)
			}
			got[i] = o
			mu.Unlock()
			calls <- struct{}{}
		})
	}
	for n := range jobs {
		receive(t, calls, "step 2: after %d of %d done calls, no more came: "+
			"every accepted job's done must be called once", n, jobs)
	}
	closeWithin(t, p, "Close")

	want := map[int]outcome{}
	for i := range jobs {
		if errs[i] != nil {
			want[i] = outcome{Err: errs[i].Error(), Calls: 1}
		} else {
			want[i] = outcome{Value: i * 10, Calls: 1}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 2: what done saw for each of %d jobs is wrong (-want +got):\n%s\n"+
			"each job's done must be called exactly once, with the job's own result and error", jobs, diff)
	}
}

func TestNew_RunsAsManyJobsAtOnceAsItHasWorkers(t *testing.T) {
	type testCase struct {
		name    string
		workers int
		want    int // jobs running at once
	}
	run := func(t *testing.T, tc testCase) {
		p := newPool(t, tc.workers)
		g := newGate(t)
		var running, most atomic.Int32
		started := make(chan struct{}, tc.want+3)
		for range tc.want + 3 {
			mustDo(t, p, func() (Result, error) {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				started <- struct{}{}
				<-g.ch
				running.Add(-1)
				return Result{}, nil
			}, ignore)
		}
		for n := range tc.want {
			receive(t, started, "step 1: New(%d) must run %d job(s) at once, but only %d started: "+
				"start one goroutine per worker, each taking jobs from the queue", tc.workers, tc.want, n)
		}
		g.open()
		closeWithin(t, p, "Close")
		assert.Equal(t, int32(tc.want), most.Load(),
			"step 1: New(%d) ran up to %d jobs at once, want %d: start exactly that many workers",
			tc.workers, most.Load(), tc.want)
	}
	tests := []testCase{
		{name: "one worker", workers: 1, want: 1},
		{name: "four workers", workers: 4, want: 4},
		{name: "zero workers means one", workers: 0, want: 1},
		{name: "negative workers means one", workers: -3, want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// Step 3

func TestClose_WaitsForRunningAndQueuedJobs(t *testing.T) {
	p := newPool(t, 2)
	g := newGate(t)
	var accepted, doneCalls atomic.Int32
	count := func(Result, error) { doneCalls.Add(1) }
	blocked := make(chan struct{}, 2)
	for range 2 { // both workers busy until the gate opens
		mustDo(t, p, func() (Result, error) { blocked <- struct{}{}; <-g.ch; return Result{}, nil }, count)
		accepted.Add(1)
	}
	for range 2 {
		receive(t, blocked, "step 1: New(2) must run two jobs at once")
	}
	for range 3 { // queued behind them
		mustDo(t, p, ok(1), count)
		accepted.Add(1)
	}

	// Close in the background, and report how many done calls had returned
	// when it returned.
	closing, closed := make(chan struct{}), make(chan int32, 1)
	go func() { close(closing); p.Close(); closed <- doneCalls.Load() }()
	receive(t, closing, "the goroutine calling Close did not start")

	// Give Close the time to stop accepting: poll Do until it says ErrClosed
	// (a few jobs may still be accepted meanwhile; the queue has room). If
	// Close has then already returned, it did not wait for the jobs.
	for range QueueSize - 8 {
		errc := make(chan error, 1)
		go func() { errc <- p.Do(ok(1), count) }()
		err := receive(t, errc, "step 3: Do, called while Close ran, did not return within 2s: "+
			"after Close, Do must return ErrClosed at once")
		if err == nil {
			accepted.Add(1)
			runtime.Gosched()
			continue
		}
		require.ErrorIs(t, err, ErrClosed, "step 3: Do during Close returned %v, want ErrClosed", err)
		select {
		case n := <-closed:
			require.FailNow(t, "step 3: Close returned while two jobs were still running",
				"%d of %d done calls had happened: Close must wait for every job it accepted, "+
					"running or queued, and for its done to return", n, accepted.Load())
		default:
		}
		break
	}
	g.open()
	n := receive(t, closed, "step 3: Close did not return within 2s after the jobs were released")
	assert.Equal(t, accepted.Load(), n,
		"step 3: when Close returned, %d of the %d accepted jobs had had their done called: "+
			"Close must wait until every running and queued job's done has returned; none may be dropped",
		n, accepted.Load())
	assert.Equal(t, accepted.Load(), doneCalls.Load(),
		"step 3: %d done calls for %d accepted jobs", doneCalls.Load(), accepted.Load())
}

func TestDo_AfterCloseReturnsErrClosed(t *testing.T) {
	p := newPool(t, 2)
	ran := make(chan struct{}, 1)
	mustDo(t, p, ok(1), func(Result, error) { ran <- struct{}{} })
	receive(t, ran, "step 2: done was never called")
	closeWithin(t, p, "Close")

	called := false
	err := p.Do(ok(2), func(Result, error) { called = true })

	require.ErrorIs(t, err, ErrClosed,
		"step 3: Do after Close returned %v, want ErrClosed: a closed pool accepts nothing", err)
	assert.False(t, called, "step 3: Do after Close called done: a job that was not accepted gets no done")
}

func TestClose_TwiceIsSafeEvenConcurrently(t *testing.T) {
	p := newPool(t, 3)
	ran := make(chan struct{}, 1)
	mustDo(t, p, ok(1), func(Result, error) { ran <- struct{}{} })
	receive(t, ran, "step 2: done was never called")

	start := make(chan struct{})
	results := make([]<-chan any, 8)
	for i := range results {
		results[i] = callClose(p, start)
	}
	close(start) // all call Close now
	for i, res := range results {
		select {
		case v := <-res:
			require.Nil(t, v, "step 3: Close panicked when called by 8 goroutines at once (call %d): %v\n"+
				"closing a channel twice panics: close the queue once (a flag under the lock, or sync.Once)", i+1, v)
		case <-time.After(wait):
			require.FailNow(t, "step 3: Close did not return within 2s when called by 8 goroutines at once",
				"call %d is still blocked: does a second Close wait for something that never happens?", i+1)
		}
	}
	closeWithin(t, p, "Close, called once more after the pool had closed,")
	assert.ErrorIs(t, p.Do(ok(1), ignore), ErrClosed, "step 3: Do after Close must return ErrClosed")
}

// TestDo_RacingCloseNeverPanics lets many goroutines call Do in a loop while
// Close runs. A Do that checks "closed" and then sends outside the lock sends
// on the closed queue sooner or later: "panic: send on closed channel".
func TestDo_RacingCloseNeverPanics(t *testing.T) {
	const rounds, submitters, most = 10, 32, 400
	// A slow job keeps the queue full, so that when Close comes, many Dos
	// are waiting to send on it.
	slow := func() (Result, error) { runtime.Gosched(); return Result{}, nil }
	for round := range rounds {
		p := newPool(t, 1)
		var doneCalls atomic.Int32
		flowing := make(chan error, submitters) // each submitter's first Do
		accepted := make([]int32, submitters)
		lastErr := make([]error, submitters)
		var wg sync.WaitGroup
		for s := range submitters {
			wg.Go(func() {
				for i := range most { // bounded, even if Do never says ErrClosed
					err := p.Do(slow, func(Result, error) { doneCalls.Add(1) })
					if i == 0 {
						flowing <- err
					}
					if err != nil {
						lastErr[s] = err
						return
					}
					accepted[s]++
				}
			})
		}
		for n := range submitters { // every submitter is calling Do now
			err := receive(t, flowing, "step 2: round %d: only %d of %d goroutines could call Do", round, n, submitters)
			require.NoError(t, err, "step 2: Do on an open pool returned %v, want nil", err)
		}
		closeWithin(t, p, "Close, while 32 goroutines were calling Do,")
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		receive(t, finished, "step 3: goroutines calling Do were still blocked 2s after Close returned: "+
			"Do must return ErrClosed after Close, not wait for the queue")

		var total int32
		for s := range submitters {
			total += accepted[s]
			if lastErr[s] != nil {
				require.ErrorIs(t, lastErr[s], ErrClosed,
					"step 3: round %d: Do returned %v while Close ran, want nil or ErrClosed", round, lastErr[s])
			}
		}
		require.Equal(t, total, doneCalls.Load(),
			"step 3: round %d: Do accepted %d jobs while Close ran, but done was called %d times by the time "+
				"Close returned: every accepted job runs, and its done returns, before Close returns",
			round, total, doneCalls.Load())
	}
}

// Step 4

func TestDo_PanickingJobBecomesAPanicError(t *testing.T) {
	p := newPool(t, 1) // one worker: if the panic killed it, nothing else would run
	boom := errors.New("boom")
	type seen struct {
		res Result
		err error
	}
	got := make(chan seen, 2)

	mustDo(t, p, func() (Result, error) { panic(boom) }, func(r Result, err error) { got <- seen{r, err} })
	first := receive(t, got, "step 4: done was not called for a job that panicked: "+
		"recover the panic in the worker and call done with a *PanicError")
	mustDo(t, p, ok(42), func(r Result, err error) { got <- seen{r, err} })
	second := receive(t, got, "step 4: after a job panicked, the pool ran no further job: the panic must not end the worker")

	var pe *PanicError
	require.ErrorAs(t, first.err, &pe,
		"step 4: done got err %v for a job that panicked, want a *PanicError", first.err)
	assert.Equal(t, boom, pe.Value,
		"step 4: the PanicError holds %v, want the value the job panicked with", pe.Value)
	assert.ErrorIs(t, first.err, boom, "step 4: errors.Is must see the panic value through the PanicError")
	assert.Equal(t, Result{}, first.res, "step 4: done got result %+v for a job that panicked, want the zero Result", first.res)
	assert.Equal(t, seen{res: Result{Value: 42}}, second,
		"step 4: the job after the panicking one got the wrong result or error")
}

func TestDo_PanickingDoneIsReportedAndTheWorkerKeepsWorking(t *testing.T) {
	type testCase struct {
		name    string
		handler bool
	}
	run := func(t *testing.T, tc testCase) {
		p := newPool(t, 1) // one worker: if the panic killed it, nothing else would run
		reported := make(chan any, 4)
		if tc.handler {
			p.OnDonePanic = func(v any) { reported <- v }
		}

		mustDo(t, p, ok(1), func(Result, error) { panic("M2's callback broke") })
		after := make(chan Result, 1)
		mustDo(t, p, ok(2), func(r Result, err error) { after <- r })
		r := receive(t, after, "step 4: after a done callback panicked, the next job's done never ran: "+
			"recover the panic around done, so the worker keeps taking jobs")
		assert.Equal(t, Result{Value: 2}, r, "step 4: the next job's done got the wrong result")

		closeWithin(t, p, "Close, after a done callback had panicked,")
		var got []any
		for len(reported) > 0 {
			got = append(got, <-reported)
		}
		if tc.handler {
			if diff := cmp.Diff([]any{"M2's callback broke"}, got); diff != "" {
				t.Errorf("step 4: OnDonePanic saw the wrong panic values (-want +got):\n%s\n"+
					"call p.OnDonePanic once with the value you recovered from done", diff)
			}
		}
	}
	tests := []testCase{
		{name: "reported to OnDonePanic", handler: true},
		{name: "dropped without a handler", handler: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
