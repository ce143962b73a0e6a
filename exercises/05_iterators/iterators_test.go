package iterators

import (
	"bytes"
	"iter"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine is still alive when the tests
// have finished. A producer that nobody stopped (step 2) and an iter.Pull
// that nobody stopped (step 4) pass every test below and are found only here.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every loop over an iterator that uses goroutines: a broken
// iterator fails its test, never hangs it.
const wait = 2 * time.Second

// within runs loop on a new goroutine and fails the test if it has not
// returned within wait. loop must not call t's methods (it is not the test's
// goroutine): it collects, the test asserts afterwards.
func within(t *testing.T, step, what string, loop func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		loop()
	}()
	select {
	case <-done:
	case <-time.After(wait):
		require.FailNow(t, step+": "+what+" did not end within 2s",
			"does the iterator wait for a goroutine that it never told to stop, "+
				"or for a value that nobody will ever send?")
	}
}

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace ("goroutine 7 [running]:"). The tests use it only to
// show where a function ran; real code never should.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1])
}

// upTo returns 1, 2, …, n.
func upTo(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i + 1
	}
	return s
}

// counted is a well-behaved iterator over vals that counts in *pulled how
// many values it has yielded: what an adapter took from it.
func counted(vals []int, pulled *int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, v := range vals {
			*pulled++
			if !yield(v) {
				return
			}
		}
	}
}

// firstN ranges over seq, keeps the values the loop body saw, and breaks
// after n of them. If the iterator calls the loop body again after the break,
// Go panics: "range function continued iteration after function for loop
// body returned false".
func firstN(seq iter.Seq[int], n int) []int {
	var seen []int
	for v := range seq {
		seen = append(seen, v)
		if len(seen) == n {
			break
		}
	}
	return seen
}

func identity(i int) int { return i }

// errBody is what a loop body panics with in the tests that check the
// iterator still cleans up when the loop body panics.
type errBody struct{}

// Step 1

func TestReadings_YieldsEveryReadingInOrder(t *testing.T) {
	type testCase struct {
		name     string
		readings []int
	}
	run := func(t *testing.T, tc testCase) {
		got := slices.Collect(NewLog(tc.readings...).Readings())
		if diff := cmp.Diff(tc.readings, got); diff != "" {
			t.Errorf("step 1: ranging over NewLog(%v).Readings() yielded the wrong values (-want +got):\n%s",
				tc.readings, diff)
		}
	}
	tests := []testCase{
		{name: "five readings", readings: []int{3, 1, 4, 1, 5}},
		{name: "one reading", readings: []int{42}},
		{name: "negative readings", readings: []int{-2, 0, -7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestReadings_StopsAtOnceWhenTheLoopBreaks(t *testing.T) {
	l := NewLog(10, 20, 30, 40, 50)

	// If Readings calls yield again after it returned false, Go panics here.
	got := firstN(l.Readings(), 2)

	if diff := cmp.Diff([]int{10, 20}, got); diff != "" {
		t.Errorf("step 1: a loop over Readings() of [10 20 30 40 50] that breaks after 2 values "+
			"saw the wrong values (-want +got):\n%s", diff)
	}
	assert.Empty(t, firstN(NewLog().Readings(), 1),
		"step 1: an empty log must yield nothing")
}

func TestReadings_ReadsTheLogWhenTheLoopRuns(t *testing.T) {
	l := NewLog(1, 2, 3)
	seq := l.Readings() // nothing runs yet: seq is only a function
	l.Record(4)

	got := slices.Collect(seq)

	if diff := cmp.Diff([]int{1, 2, 3, 4}, got); diff != "" {
		t.Errorf("step 1: Readings() was called, then Record(4), then the loop ran; "+
			"it yielded the wrong values (-want +got):\n%s\n"+
			"read l.readings inside the function you return, when the loop calls it, not before", diff)
	}
}

// Step 2

func TestProduce_YieldsEverySampleInOrder(t *testing.T) {
	type testCase struct {
		name string
		n    int
		want []int
	}
	run := func(t *testing.T, tc testCase) {
		var got []int
		within(t, "step 2", "a loop over Produce", func() {
			got = slices.Collect(Produce(tc.n, func(i int) int { return i * i }))
		})
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("step 2: Produce(%d, i*i) yielded the wrong values (-want +got):\n%s", tc.n, diff)
		}
	}
	tests := []testCase{
		{name: "five samples", n: 5, want: []int{0, 1, 4, 9, 16}},
		{name: "one sample", n: 1, want: []int{0}},
		{name: "no samples", n: 0, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestProduce_SamplesOnAProducerGoroutineAndRunsTheBodyOnTheLoops(t *testing.T) {
	var (
		mu        sync.Mutex
		sampledOn []string // the goroutine of each sample call
		loopOn    string   // the goroutine running the for statement
		bodyOn    []string // the goroutine of each loop body call
	)
	sample := func(i int) int {
		mu.Lock()
		defer mu.Unlock()
		sampledOn = append(sampledOn, goroutineID())
		return i
	}
	within(t, "step 2", "a loop over Produce(4, sample)", func() {
		loopOn = goroutineID()
		for range Produce(4, sample) {
			bodyOn = append(bodyOn, goroutineID())
		}
	})

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, bodyOn, 4,
		"step 2: the loop body over Produce(4, sample) ran %d times, want 4", len(bodyOn))
	for i, g := range bodyOn {
		require.Equal(t, loopOn, g,
			"step 2: loop body call %d ran on goroutine %s, not on the loop's goroutine %s: "+
				"the producer sends, the iterator receives and calls yield itself", i, g, loopOn)
	}
	require.Len(t, sampledOn, 4,
		"step 2: sample was called %d times for Produce(4, sample), want 4", len(sampledOn))
	for i, g := range sampledOn {
		require.NotEqual(t, loopOn, g,
			"step 2: sample(%d) ran on the loop's own goroutine %s: call sample on the producer goroutine", i, g)
		require.Equal(t, sampledOn[0], g,
			"step 2: sample(0) ran on goroutine %s but sample(%d) on %s: one producer goroutine calls sample, in order",
			sampledOn[0], i, g)
	}
}

func TestProduce_StartsAFreshProducerForEachLoop(t *testing.T) {
	seq := Produce(3, identity)
	_ = Produce(3, identity) // never ranged over: it must start nothing

	var first, second []int
	within(t, "step 2", "two loops, one after the other, over the same Produce(3, i)", func() {
		first = slices.Collect(seq)
		second = slices.Collect(seq)
	})

	want := []int{0, 1, 2}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("step 2: the first loop over Produce(3, i) yielded the wrong values (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("step 2: the second loop over the same Produce(3, i) yielded the wrong values (-want +got):\n%s\n"+
			"start the producer inside the function Produce returns: each loop needs its own", diff)
	}
}

// The next two tests cannot see the producer goroutine: if it is still there
// after the loop, goleak reports it when the package ends.

func TestProduce_StopsTheProducerWhenTheLoopBreaks(t *testing.T) {
	var got []int
	within(t, "step 2", "a loop over Produce(1000, i) that breaks after 3 values", func() {
		got = firstN(Produce(1000, identity), 3)
	})

	if diff := cmp.Diff([]int{0, 1, 2}, got); diff != "" {
		t.Errorf("step 2: a loop over Produce(1000, i) that breaks after 3 values saw the wrong values (-want +got):\n%s", diff)
	}
}

func TestProduce_StopsTheProducerWhenTheLoopBodyPanics(t *testing.T) {
	var (
		calls     int
		recovered any
	)
	within(t, "step 2", "a loop over Produce(1000, i) whose body panics", func() {
		defer func() { recovered = recover() }()
		for range Produce(1000, identity) {
			calls++
			panic(errBody{})
		}
	})

	require.Equal(t, 1, calls,
		"step 2: the loop body over Produce(1000, i) ran %d times before it panicked, want once", calls)
	assert.Equal(t, errBody{}, recovered,
		"step 2: the loop body's panic did not come out of the for statement: let it pass through the iterator "+
			"(and stop the producer in a defer, which runs during the panic)")
}

// Step 3

func TestFilter_YieldsTheValuesKeepAccepts(t *testing.T) {
	even := func(v int) bool { return v%2 == 0 }

	got := slices.Collect(Filter(NewLog(upTo(10)...).Readings(), even))

	if diff := cmp.Diff([]int{2, 4, 6, 8, 10}, got); diff != "" {
		t.Errorf("step 3: Filter(1..10, even) yielded the wrong values (-want +got):\n%s", diff)
	}
}

func TestMap_YieldsFOfEachValue(t *testing.T) {
	label := func(v int) string { return string(rune('a' + v)) }

	got := slices.Collect(Map(NewLog(0, 1, 2, 25).Readings(), label))

	if diff := cmp.Diff([]string{"a", "b", "c", "z"}, got); diff != "" {
		t.Errorf("step 3: Map([0 1 2 25], int -> letter) yielded the wrong values (-want +got):\n%s", diff)
	}
}

func TestTake_YieldsTheFirstNAndPullsNoMore(t *testing.T) {
	type testCase struct {
		name       string
		vals       []int
		n          int
		want       []int
		wantPulled int
	}
	run := func(t *testing.T, tc testCase) {
		pulled := 0
		got := slices.Collect(Take(counted(tc.vals, &pulled), tc.n))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("step 3: Take(%v, %d) yielded the wrong values (-want +got):\n%s", tc.vals, tc.n, diff)
		}
		assert.Equal(t, tc.wantPulled, pulled,
			"step 3: Take(%v, %d) took %d value(s) from seq, want %d: "+
				"stop ranging over seq right after yielding the nth value, before pulling another",
			tc.vals, tc.n, pulled, tc.wantPulled)
	}
	tests := []testCase{
		{name: "the first 3 of 10", vals: upTo(10), n: 3, want: []int{1, 2, 3}, wantPulled: 3},
		{name: "the first 1", vals: upTo(10), n: 1, want: []int{1}, wantPulled: 1},
		{name: "more than there are", vals: upTo(3), n: 5, want: []int{1, 2, 3}, wantPulled: 3},
		{name: "zero takes nothing", vals: upTo(3), n: 0, want: nil, wantPulled: 0},
		{name: "negative takes nothing", vals: upTo(3), n: -1, want: nil, wantPulled: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestAdapters_PassTheLoopsEarlyExitThrough(t *testing.T) {
	type testCase struct {
		name       string
		adapt      func(iter.Seq[int]) iter.Seq[int]
		breakAfter int
		want       []int
		wantPulled int
	}
	run := func(t *testing.T, tc testCase) {
		pulled := 0
		// If the adapter calls yield again after it returned false, Go
		// panics here.
		got := firstN(tc.adapt(counted(upTo(10), &pulled)), tc.breakAfter)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("step 3: a loop over %s of 1..10 that breaks after %d value(s) saw the wrong values (-want +got):\n%s",
				tc.name, tc.breakAfter, diff)
		}
		assert.Equal(t, tc.wantPulled, pulled,
			"step 3: after the loop over %s broke, the adapter had taken %d value(s) from seq, want %d: "+
				"when yield returns false, return from your loop over seq at once, so seq stops too",
			tc.name, pulled, tc.wantPulled)
	}
	even := func(v int) bool { return v%2 == 0 }
	tests := []testCase{
		{
			name:       "Filter(even)",
			adapt:      func(s iter.Seq[int]) iter.Seq[int] { return Filter(s, even) },
			breakAfter: 2, want: []int{2, 4}, wantPulled: 4,
		},
		{
			name:       "Map(v*10)",
			adapt:      func(s iter.Seq[int]) iter.Seq[int] { return Map(s, func(v int) int { return v * 10 }) },
			breakAfter: 2, want: []int{10, 20}, wantPulled: 2,
		},
		{
			name:       "Take(5)",
			adapt:      func(s iter.Seq[int]) iter.Seq[int] { return Take(s, 5) },
			breakAfter: 2, want: []int{1, 2}, wantPulled: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// A producer left running by an adapter that ignored the early exit is found
// by goleak when the package ends.
func TestAdapters_ChainOverAProducerAndStopIt(t *testing.T) {
	even := func(v int) bool { return v%2 == 0 }
	times10 := func(v int) int { return v * 10 }

	var taken, broken []int
	within(t, "step 3", "a loop over Take(Map(Filter(Produce(…))))", func() {
		taken = slices.Collect(Take(Map(Filter(Produce(1000, identity), even), times10), 3))
		broken = firstN(Map(Filter(Produce(1000, identity), even), times10), 2)
	})

	if diff := cmp.Diff([]int{0, 20, 40}, taken); diff != "" {
		t.Errorf("step 3: Take(Map(Filter(Produce(1000, i), even), v*10), 3) yielded the wrong values (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 20}, broken); diff != "" {
		t.Errorf("step 3: a loop over Map(Filter(Produce(1000, i), even), v*10) that breaks after 2 values "+
			"saw the wrong values (-want +got):\n%s", diff)
	}
}

// Step 4

// pair is one (a, b) that Zip yielded.
type pair struct{ A, B int }

// zipped ranges over seq, keeping the pairs it yields, and breaks after
// limit pairs (limit < 0: never).
func zipped(seq iter.Seq2[int, int], limit int) []pair {
	var got []pair
	for a, b := range seq {
		got = append(got, pair{a, b})
		if len(got) == limit {
			break
		}
	}
	return got
}

// The producers in these tests cannot be seen once the loop is over: a Zip
// that does not call stop leaves them (and iter.Pull's own goroutines)
// behind, and goleak reports them when the package ends.

func TestZip_PairsValuesUntilEitherRunsOut(t *testing.T) {
	type testCase struct {
		name   string
		as, bs func() iter.Seq[int] // fresh iterators for each run
		want   []pair
	}
	run := func(t *testing.T, tc testCase) {
		var got []pair
		within(t, "step 4", "a loop over Zip("+tc.name+")", func() {
			got = zipped(Zip(tc.as(), tc.bs()), -1)
		})
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("step 4: Zip(%s) yielded the wrong pairs (-want +got):\n%s", tc.name, diff)
		}
	}
	log := func(vals ...int) func() iter.Seq[int] {
		return func() iter.Seq[int] { return NewLog(vals...).Readings() }
	}
	tens := func(n int) func() iter.Seq[int] {
		return func() iter.Seq[int] { return Produce(n, func(i int) int { return i * 10 }) }
	}
	tests := []testCase{
		{name: "[1 2 3], Produce(3, i*10)", as: log(1, 2, 3), bs: tens(3),
			want: []pair{{1, 0}, {2, 10}, {3, 20}}},
		{name: "[1 2], Produce(1000, i*10): as runs out first", as: log(1, 2), bs: tens(1000),
			want: []pair{{1, 0}, {2, 10}}},
		{name: "Produce(1000, i*10), [7 8]: bs runs out first", as: tens(1000), bs: log(7, 8),
			want: []pair{{0, 7}, {10, 8}}},
		{name: "[], Produce(1000, i*10): as is empty", as: log(), bs: tens(1000), want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestZip_StopsBothIteratorsWhenTheLoopBreaks(t *testing.T) {
	var got []pair
	within(t, "step 4", "a loop over Zip(Produce, Produce) that breaks after 2 pairs", func() {
		got = zipped(Zip(Produce(1000, identity), Produce(1000, func(i int) int { return -i })), 2)
	})

	if diff := cmp.Diff([]pair{{0, 0}, {1, -1}}, got); diff != "" {
		t.Errorf("step 4: a loop over Zip(Produce(1000, i), Produce(1000, -i)) that breaks after 2 pairs "+
			"saw the wrong pairs (-want +got):\n%s", diff)
	}
}

func TestZip_StopsBothIteratorsWhenTheLoopBodyPanics(t *testing.T) {
	var (
		calls     int
		recovered any
	)
	within(t, "step 4", "a loop over Zip(Produce, Produce) whose body panics", func() {
		defer func() { recovered = recover() }()
		for range Zip(Produce(1000, identity), Produce(1000, identity)) {
			calls++
			panic(errBody{})
		}
	})

	require.Equal(t, 1, calls,
		"step 4: the loop body over Zip(Produce, Produce) ran %d times before it panicked, want once", calls)
	assert.Equal(t, errBody{}, recovered,
		"step 4: the loop body's panic did not come out of the for statement: let it pass through Zip "+
			"(and call stop in a defer, which runs during the panic)")
}
