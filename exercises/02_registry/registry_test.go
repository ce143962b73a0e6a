package registry

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package if a goroutine started by the tests is still
// alive when they have all finished.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds the waits of these tests: a broken step fails, never hangs.
// (The step 4 tests that call Emit directly are the exception; see there.)
const wait = 2 * time.Second

// call is one call of a test handler: which handler, and the Seq of the
// reading it got.
type call struct {
	Handler string
	Seq     int
}

// recorder records the calls of the handlers it makes, in the order they
// happen. Its mutex makes it safe to call from any goroutine.
type recorder struct {
	mu    sync.Mutex
	calls []call
}

// record notes that the handler name got r.
func (rec *recorder) record(name string, r Reading) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.calls = append(rec.calls, call{Handler: name, Seq: r.Seq})
}

// handler returns a new handler named name that records its calls.
func (rec *recorder) handler(name string) Handler {
	return func(r Reading) { rec.record(name, r) }
}

// take returns the calls recorded so far and forgets them.
func (rec *recorder) take() []call {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	calls := rec.calls
	rec.calls = nil
	return calls
}

// callsOf lists, in order, the calls that the handlers named names got with
// reading seq.
func callsOf(seq int, names ...string) []call {
	calls := make([]call, len(names))
	for i, n := range names {
		calls[i] = call{Handler: n, Seq: seq}
	}
	return calls
}

// emptyIsNil lets cmp.Diff treat a nil and an empty slice alike.
var emptyIsNil = cmpopts.EquateEmpty()

// requireCalledAtAll stops a step 4 test early, with a message that points to
// the earlier steps, when an Emit called no handler at all.
func requireCalledAtAll(t *testing.T, calls []call, emit string) {
	t.Helper()
	if len(calls) == 0 {
		require.FailNow(t, "step 1: "+emit+" called no handler at all",
			"steps 1 to 3 come first: Emit must call every subscribed handler")
	}
}

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace ("goroutine 7 [running]:"). The tests use it only to
// show that a handler ran on the caller's goroutine; real code never should.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1])
}

// Step 1

func TestEmit_CallsEveryHandlerInSubscriptionOrder(t *testing.T) {
	reg := NewRegistry()
	var rec recorder
	for _, name := range []string{"M2.log", "M3.sum", "M2.alarm", "M3.chart"} {
		reg.Subscribe(rec.handler(name))
	}

	reg.Emit(Reading{Seq: 1, Value: 20.5})
	reg.Emit(Reading{Seq: 2, Value: 21})

	want := append(callsOf(1, "M2.log", "M3.sum", "M2.alarm", "M3.chart"),
		callsOf(2, "M2.log", "M3.sum", "M2.alarm", "M3.chart")...)
	if diff := cmp.Diff(want, rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 1: after subscribing M2.log, M3.sum, M2.alarm, M3.chart and emitting readings 1 and 2, "+
			"the handlers got the wrong calls (-want +got):\n%s\n"+
			"Emit must call every handler, in the order they were subscribed", diff)
	}
}

func TestSubscribe_SameFuncTwiceIsCalledTwice(t *testing.T) {
	reg := NewRegistry()
	var rec recorder
	twice := rec.handler("twice")
	reg.Subscribe(twice)
	reg.Subscribe(rec.handler("other"))
	reg.Subscribe(twice)

	reg.Emit(Reading{Seq: 1})

	want := callsOf(1, "twice", "other", "twice")
	if diff := cmp.Diff(want, rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 1: after subscribing the same func twice (first and third), one Emit made the wrong calls "+
			"(-want +got):\n%s\n"+
			"each Subscribe is a subscription of its own, even of a func already subscribed", diff)
	}
}

func TestEmit_PassesTheReadingOnTheCallersGoroutineBeforeReturning(t *testing.T) {
	reg := NewRegistry()
	caller := goroutineID()

	var got []Reading // plain variables: only safe because the handler runs on this goroutine
	var strangers []string
	unsubscribe := reg.Subscribe(func(r Reading) {
		got = append(got, r)
		if id := goroutineID(); id != caller {
			strangers = append(strangers, id)
		}
	})
	require.NotNil(t, unsubscribe,
		"step 1: Subscribe returned a nil unsubscribe; return a func (for now one that does nothing: func() {})")

	reg.Emit(Reading{Seq: 7, Value: -3.25})

	if diff := cmp.Diff([]Reading{{Seq: 7, Value: -3.25}}, got, emptyIsNil); diff != "" {
		t.Errorf("step 1: when Emit(Reading{Seq: 7, Value: -3.25}) returned, the handler had got (-want +got):\n%s\n"+
			"call each handler with the reading itself, before Emit returns", diff)
	}
	assert.Empty(t, strangers,
		"step 1: the handler ran on goroutine(s) %v, not on the caller's goroutine %s: "+
			"call it directly, start no goroutine", strangers, caller)
}

// Step 2

func TestUnsubscribe_RemovesExactlyItsOwnSubscription(t *testing.T) {
	type testCase struct {
		name string
		// subs are the handlers to subscribe, in order; a name that appears
		// twice is the same func subscribed twice.
		subs []string
		// unsub are the subscriptions whose unsubscribe to call, in order, as
		// indexes into subs; an index that appears twice is a second call of
		// the same unsubscribe.
		unsub []int
		// want are the handlers the next Emit must call, in order.
		want []string
	}
	run := func(t *testing.T, tc testCase) {
		reg := NewRegistry()
		var rec recorder
		handlers := map[string]Handler{}
		unsubscribes := make([]func(), len(tc.subs))
		for i, name := range tc.subs {
			if handlers[name] == nil {
				handlers[name] = rec.handler(name)
			}
			unsubscribes[i] = reg.Subscribe(handlers[name])
		}
		reg.Emit(Reading{Seq: 1})
		if diff := cmp.Diff(callsOf(1, tc.subs...), rec.take(), emptyIsNil); diff != "" {
			t.Fatalf("step 1: after subscribing %v, Emit made the wrong calls (-want +got):\n%s", tc.subs, diff)
		}

		var did []string
		for _, i := range tc.unsub {
			did = append(did, fmt.Sprintf("%s (subscription %d)", tc.subs[i], i+1))
			require.NotNil(t, unsubscribes[i], "step 2: Subscribe returned a nil unsubscribe")
			require.NotPanics(t, unsubscribes[i],
				"step 2: the unsubscribe of %s panicked; calling it again must be safe", did[len(did)-1])
		}
		reg.Emit(Reading{Seq: 2})

		if diff := cmp.Diff(callsOf(2, tc.want...), rec.take(), emptyIsNil); diff != "" {
			t.Errorf("step 2: subscribed %v, then called unsubscribe of %s; the next Emit made the wrong calls "+
				"(-want +got):\n%s\n"+
				"unsubscribe must remove its own subscription and no other, and do nothing the second time",
				tc.subs, strings.Join(did, ", then "), diff)
		}
	}
	tests := []testCase{
		{name: "the middle one", subs: []string{"a", "b", "c"}, unsub: []int{1}, want: []string{"a", "c"}},
		{name: "the first one", subs: []string{"a", "b", "c"}, unsub: []int{0}, want: []string{"b", "c"}},
		{name: "the last one", subs: []string{"a", "b", "c"}, unsub: []int{2}, want: []string{"a", "b"}},
		{name: "every one", subs: []string{"a", "b", "c"}, unsub: []int{2, 0, 1}, want: nil},
		{name: "the same unsubscribe twice", subs: []string{"a", "b", "c"}, unsub: []int{1, 1}, want: []string{"a", "c"}},
		{name: "the first of two subscriptions of one func", subs: []string{"f", "b", "f"}, unsub: []int{0}, want: []string{"b", "f"}},
		{name: "the second of two subscriptions of one func", subs: []string{"f", "b", "f"}, unsub: []int{2}, want: []string{"f", "b"}},
		{name: "one subscription of a func twice, the other stays", subs: []string{"f", "b", "f"}, unsub: []int{0, 0}, want: []string{"b", "f"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestUnsubscribe_AgainLaterLeavesNewSubscriptionsAlone(t *testing.T) {
	reg := NewRegistry()
	var rec recorder
	reg.Subscribe(rec.handler("a"))
	unsubscribeB := reg.Subscribe(rec.handler("b"))

	unsubscribeB()
	reg.Subscribe(rec.handler("c"))
	unsubscribeB() // again, after c took the end of the list
	reg.Emit(Reading{Seq: 1})

	if diff := cmp.Diff(callsOf(1, "a", "c"), rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 2: subscribed a and b, unsubscribed b, subscribed c, unsubscribed b again; "+
			"Emit made the wrong calls (-want +got):\n%s\n"+
			"a second unsubscribe must do nothing, even when the list has changed since the first: "+
			"remove your own subscription if it is still there, not whatever now sits where it was", diff)
	}
}

// Step 3

func TestRegistry_ManyGoroutinesSubscribeEmitAndUnsubscribeAtOnce(t *testing.T) {
	const goroutines, rounds = 8, 50
	const emitters, emits = 2, 10
	const final = -1 // the Seq of the last Emit, made once every goroutine is done
	// One processor for this test: the goroutines take turns instead of
	// running in parallel. The race detector needs no parallelism, it reports
	// two accesses that nothing orders whenever they happen; and an unguarded
	// list is then reported as a race on every run, instead of crashing the
	// test now and then on a half-written slice header or map first.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	reg := NewRegistry()
	var rec recorder

	// Until the final Emit the handlers ignore every reading: they touch no
	// shared memory, so nothing they do can order the goroutines' accesses to
	// the registry and hide a race from the race detector.
	onlyFinal := func(name string) Handler {
		return func(r Reading) {
			if r.Seq == final {
				rec.record(name, r)
			}
		}
	}
	// shared is subscribed now and unsubscribed by every goroutine at once.
	unsubscribeShared := reg.Subscribe(onlyFinal("shared"))
	keepers := make([]Handler, goroutines)
	var want []string
	for g := range keepers {
		name := fmt.Sprintf("keeper %d", g)
		keepers[g] = onlyFinal(name)
		want = append(want, name)
	}

	start := make(chan struct{})
	done := make(chan struct{}, goroutines+emitters)
	// The emitters only emit. Emit is all they call, so if Emit reads the
	// list without the mutex, nothing orders their reads after the others'
	// writes, and the race detector sees it.
	for range emitters {
		go func() {
			defer func() { done <- struct{}{} }()
			<-start
			for i := range emits {
				reg.Emit(Reading{Seq: i})
			}
		}()
	}
	for g := range goroutines {
		go func() {
			defer func() { done <- struct{}{} }()
			<-start
			reg.Subscribe(keepers[g]) // stays subscribed
			for i := range rounds {
				unsubscribe := reg.Subscribe(func(Reading) {})
				reg.Emit(Reading{Seq: i})
				unsubscribe()
				unsubscribe() // a second call must remove nothing else
			}
			unsubscribeShared()
		}()
	}
	close(start)
	for g := range goroutines + emitters {
		select {
		case <-done:
		case <-time.After(wait):
			require.FailNow(t, "step 3: goroutines calling Subscribe, Emit and unsubscribe did not finish within 2s",
				"%d of %d are still busy: is one waiting for a lock that is never unlocked?",
				goroutines+emitters-g, goroutines+emitters)
		}
	}

	reg.Emit(Reading{Seq: final})
	var got []string
	for _, c := range rec.take() {
		got = append(got, c.Handler)
	}
	slices.Sort(got) // the keepers subscribed in whatever order the goroutines ran
	if diff := cmp.Diff(want, got, emptyIsNil); diff != "" {
		t.Errorf("step 3: %d goroutines each subscribed one keeper, subscribed, emitted and unsubscribed %d more "+
			"handlers, and unsubscribed one shared subscription, while %d more goroutines emitted, all at the same time; "+
			"then one Emit called the wrong handlers (-want +got):\n%s\n"+
			"a subscription lost, left behind or doubled is what unguarded concurrent access does: "+
			"guard the list with a sync.Mutex, in Subscribe, unsubscribe and Emit", goroutines, rounds, emitters, diff)
	}
}

func TestEmit_FromManyGoroutinesAtOnceEachCallsEveryHandler(t *testing.T) {
	const goroutines, emits, handlers = 8, 20, 4
	reg := NewRegistry()
	counts := make([]atomic.Int64, handlers)
	for h := range counts {
		reg.Subscribe(func(Reading) { counts[h].Add(1) })
	}

	start := make(chan struct{})
	done := make(chan struct{}, goroutines)
	for range goroutines {
		go func() {
			defer func() { done <- struct{}{} }()
			<-start
			for i := range emits {
				reg.Emit(Reading{Seq: i})
			}
		}()
	}
	close(start)
	for g := range goroutines {
		select {
		case <-done:
		case <-time.After(wait):
			require.FailNow(t, "step 3: goroutines calling Emit at the same time did not finish within 2s",
				"%d of %d are still busy: does one Emit wait for another?", goroutines-g, goroutines)
		}
	}

	want := make([]int64, handlers)
	got := make([]int64, handlers)
	for h := range counts {
		want[h] = goroutines * emits
		got[h] = counts[h].Load()
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 3: %d goroutines each emitted %d readings at the same time to %d handlers; "+
			"the calls each handler got are wrong (-want +got):\n%s\n"+
			"every Emit must call every handler, even while other Emits run: "+
			"Emit only reads the list, it must not take it away from the others", goroutines, emits, handlers, diff)
	}
}

// Step 4
//
// The first three tests call Emit directly, with no safety net on purpose. A
// registry that holds its lock while it calls the handlers deadlocks here: the
// handler's call back into the registry waits for a lock its own goroutine
// holds. Then the checker stops the tests at the exercise's time limit and
// lists the goroutines blocked in registry.go, which says more than a bounded
// wait that failed and left a goroutine blocked behind it.

func TestEmit_HandlerCanUnsubscribeItself(t *testing.T) {
	reg := NewRegistry()
	var rec recorder
	reg.Subscribe(rec.handler("a"))
	var unsubscribeSelf func()
	unsubscribeSelf = reg.Subscribe(func(r Reading) {
		rec.record("self", r)
		unsubscribeSelf()
	})
	reg.Subscribe(rec.handler("c"))
	reg.Subscribe(rec.handler("d"))

	reg.Emit(Reading{Seq: 1})
	got := rec.take()
	requireCalledAtAll(t, got, "Emit(1)")
	if diff := cmp.Diff(callsOf(1, "a", "self", "c", "d"), got, emptyIsNil); diff != "" {
		t.Errorf("step 4: Emit(1) to a, self, c, d, where self unsubscribes itself when called, "+
			"made the wrong calls (-want +got):\n%s\n"+
			"that Emit must still call every handler of its snapshot exactly once: "+
			"if removing self shifted the slice Emit was walking, Emit needs a copy of the list, not the same slice", diff)
	}

	reg.Emit(Reading{Seq: 2})
	if diff := cmp.Diff(callsOf(2, "a", "c", "d"), rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 4: self unsubscribed itself during Emit(1), yet Emit(2) made the wrong calls (-want +got):\n%s\n"+
			"an unsubscribe made inside a handler must remove the subscription for every later Emit", diff)
	}
}

func TestEmit_HandlerCanSubscribeAnother(t *testing.T) {
	reg := NewRegistry()
	var rec recorder
	reg.Subscribe(rec.handler("a"))
	subscribed := false // a plain variable: the handler runs on this goroutine
	reg.Subscribe(func(r Reading) {
		rec.record("adder", r)
		if !subscribed {
			subscribed = true
			reg.Subscribe(rec.handler("new"))
		}
	})
	reg.Subscribe(rec.handler("c"))

	reg.Emit(Reading{Seq: 1})
	got := rec.take()
	requireCalledAtAll(t, got, "Emit(1)")
	if diff := cmp.Diff(callsOf(1, "a", "adder", "c"), got, emptyIsNil); diff != "" {
		t.Errorf("step 4: Emit(1) to a, adder, c, where adder subscribes a handler new when first called, "+
			"made the wrong calls (-want +got):\n%s\n"+
			"an Emit calls the handlers of its snapshot, taken when it started: new is first called by the next Emit",
			diff)
	}

	reg.Emit(Reading{Seq: 2})
	if diff := cmp.Diff(callsOf(2, "a", "adder", "c", "new"), rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 4: adder subscribed new during Emit(1); Emit(2) made the wrong calls (-want +got):\n%s\n"+
			"a Subscribe made inside a handler must add new at the end of the list for every later Emit", diff)
	}
}

func TestEmit_HandlerCanUnsubscribeAnother(t *testing.T) {
	reg := NewRegistry()
	var rec recorder
	var unsubscribeC func()
	reg.Subscribe(func(r Reading) {
		rec.record("a", r)
		if r.Seq == 1 {
			unsubscribeC()
		}
	})
	reg.Subscribe(rec.handler("b"))
	unsubscribeC = reg.Subscribe(rec.handler("c"))

	reg.Emit(Reading{Seq: 1})
	// c is in Emit(1)'s snapshot, so Emit(1) may still call it, once (doc.go).
	got := rec.take()
	requireCalledAtAll(t, got, "Emit(1)")
	got = slices.DeleteFunc(got, func(c call) bool { return c == call{Handler: "c", Seq: 1} })
	if diff := cmp.Diff(callsOf(1, "a", "b"), got, emptyIsNil); diff != "" {
		t.Errorf("step 4: Emit(1) to a, b, c, where a unsubscribes c, made the wrong calls, "+
			"not counting c (-want +got):\n%s", diff)
	}

	reg.Emit(Reading{Seq: 2})
	if diff := cmp.Diff(callsOf(2, "a", "b"), rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 4: a unsubscribed c during Emit(1), yet Emit(2) made the wrong calls (-want +got):\n%s\n"+
			"once unsubscribe has returned, no Emit that starts later may call c", diff)
	}
}

func TestEmitAndUnsubscribe_WhileAnotherEmitIsInsideAHandler(t *testing.T) {
	reg := NewRegistry()
	var rec recorder
	entered := make(chan struct{}) // closed by slow when Emit(1) calls it
	release := make(chan struct{}) // closed by the test: slow may return
	reg.Subscribe(func(r Reading) {
		rec.record("slow", r)
		if r.Seq == 1 {
			close(entered)
			<-release
		}
	})
	unsubscribeLate := reg.Subscribe(rec.handler("late"))

	emitted := inGoroutine(func() { reg.Emit(Reading{Seq: 1}) })
	releaseSlow := sync.OnceFunc(func() { close(release) })
	t.Cleanup(func() {
		releaseSlow() // lets Emit(1), and whatever waits for it, finish
		requireWithin(t, emitted, "step 4: Emit(1) did not return within 2s after its handler did")
	})
	select {
	case <-entered:
	case <-emitted:
		require.FailNow(t, "step 1: Emit(1) returned without calling the handler subscribed first")
	case <-time.After(wait):
		require.FailNow(t, "step 1: Emit(1), on another goroutine, did not call the first handler within 2s")
	}

	// Emit(1) is inside slow now, on its own goroutine, until the test
	// releases it. Neither another Emit nor unsubscribe may wait for it.
	rec.take()
	requireWithin(t, inGoroutine(func() { reg.Emit(Reading{Seq: 2}) }),
		"step 4: Emit(2) did not return within 2s while another goroutine's Emit(1) was inside a handler",
		"an Emit must not wait for another one's handlers: does Emit hold the lock while it calls them? "+
			"Unlock before calling the handlers, and call them from a copy of the list")
	if diff := cmp.Diff(callsOf(2, "slow", "late"), rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 4: Emit(2), made while another goroutine's Emit(1) was inside slow, "+
			"made the wrong calls (-want +got):\n%s\n"+
			"every Emit must call every subscribed handler, whatever other Emits are doing: "+
			"it reads the list, it must not take it away from the others", diff)
	}

	requireWithin(t, inGoroutine(unsubscribeLate),
		"step 4: unsubscribe did not return within 2s while another goroutine's Emit(1) was inside a handler",
		"unsubscribe must not wait for handlers: does Emit hold the lock while it calls them? "+
			"Unlock before calling the handlers, and call them from a copy of the list")

	releaseSlow()
	requireWithin(t, emitted, "step 4: Emit(1) did not return within 2s after its handler did")
	// late was in Emit(1)'s snapshot, so Emit(1) may have called it (doc.go).
	rec.take()

	reg.Emit(Reading{Seq: 3})
	if diff := cmp.Diff(callsOf(3, "slow"), rec.take(), emptyIsNil); diff != "" {
		t.Errorf("step 4: late was unsubscribed while another goroutine's Emit(1) was running, "+
			"yet Emit(3), started after, made the wrong calls (-want +got):\n%s\n"+
			"once unsubscribe has returned, no Emit that starts later may call late", diff)
	}
}

// inGoroutine runs f on a new goroutine and returns a channel closed when f
// has returned.
func inGoroutine(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return done
}

// requireWithin fails the test, with the message msgAndArgs, unless done is
// closed within wait.
func requireWithin(t *testing.T, done <-chan struct{}, msgAndArgs ...any) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(wait):
		require.FailNow(t, fmt.Sprint(msgAndArgs[0]), msgAndArgs[1:]...)
	}
}
