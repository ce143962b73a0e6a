package sharedstate

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
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

// wait bounds the waits of the tests that run outside a synctest bubble: a
// broken step fails, never hangs.
const wait = 2 * time.Second

// sensors are the sensor names the concurrent tests use.
var sensors = []string{"temp", "hum", "wind"}

// reading is one call of Add.
type reading struct {
	sensor string
	v      float64
}

// describe lists readings the way a failure message shows them.
func describe(readings []reading) string {
	if len(readings) == 0 {
		return "no reading"
	}
	parts := make([]string, len(readings))
	for i, r := range readings {
		parts[i] = fmt.Sprintf("%s=%g", r.sensor, r.v)
	}
	return strings.Join(parts, ", ")
}

// oneProcessor makes the calling test run its goroutines on one processor,
// taking turns, until it ends. The race detector needs no parallelism: it
// reports two accesses that nothing orders whenever they happen. And an
// unguarded map is then reported as a race on every run, instead of now and
// then crashing the test first with "concurrent map writes".
func oneProcessor(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
}

// Step 1

func TestStats_AddSummarisesEachSensor(t *testing.T) {
	type testCase struct {
		name     string
		readings []reading
		want     map[string]Summary
	}
	run := func(t *testing.T, tc testCase) {
		s := NewStats()
		for _, r := range tc.readings {
			s.Add(r.sensor, r.v)
		}
		got := s.Snapshot()
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("step 1: after Add of %s, Snapshot() returned the wrong summaries (-want +got):\n%s\n"+
				"Add updates the reading's sensor only: Count, Sum, and Min and Max, which start at the first reading "+
				"(not at 0); Snapshot returns every sensor, and an empty map (not nil) when there is none",
				describe(tc.readings), diff)
		}
	}
	tests := []testCase{
		{
			name:     "one reading",
			readings: []reading{{"temp", 20.5}},
			want:     map[string]Summary{"temp": {Count: 1, Sum: 20.5, Min: 20.5, Max: 20.5}},
		},
		{
			name:     "three readings of one sensor",
			readings: []reading{{"temp", 20}, {"temp", 22.5}, {"temp", 19}},
			want:     map[string]Summary{"temp": {Count: 3, Sum: 61.5, Min: 19, Max: 22.5}},
		},
		{
			name:     "readings below zero",
			readings: []reading{{"frost", -1.5}, {"frost", -3}},
			want:     map[string]Summary{"frost": {Count: 2, Sum: -4.5, Min: -3, Max: -1.5}},
		},
		{
			name:     "readings above zero",
			readings: []reading{{"hum", 40}, {"hum", 45}},
			want:     map[string]Summary{"hum": {Count: 2, Sum: 85, Min: 40, Max: 45}},
		},
		{
			name:     "two sensors interleaved",
			readings: []reading{{"temp", 20}, {"hum", 40}, {"temp", 21}, {"hum", 38}, {"temp", 19.5}},
			want: map[string]Summary{
				"temp": {Count: 3, Sum: 60.5, Min: 19.5, Max: 21},
				"hum":  {Count: 2, Sum: 78, Min: 38, Max: 40},
			},
		},
		{name: "no reading", readings: nil, want: map[string]Summary{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestStats_GetReturnsOneSensorsSummary(t *testing.T) {
	s := NewStats()
	s.Add("temp", 20)
	s.Add("hum", 40)
	s.Add("temp", 22)

	got, ok := s.Get("temp")
	require.True(t, ok, "step 1: Get(\"temp\") after two Adds of temp reported no reading (ok false)")
	if diff := cmp.Diff(Summary{Count: 2, Sum: 42, Min: 20, Max: 22}, got); diff != "" {
		t.Errorf("step 1: after Add of temp=20, hum=40, temp=22, Get(\"temp\") returned the wrong Summary "+
			"(-want +got):\n%s", diff)
	}
	_, ok = s.Get("wind")
	assert.False(t, ok, "step 1: Get(\"wind\") of a sensor that has no reading must report ok false")
}

func TestStats_SnapshotIsTheCallersOwnCopy(t *testing.T) {
	s := NewStats()
	empty := s.Snapshot()
	require.NotNil(t, empty,
		"step 1: Snapshot() of an empty Stats returned nil: return an empty map, which the caller may write to")
	empty["ghost"] = Summary{Count: 1}

	s.Add("temp", 20)
	snap := s.Snapshot()
	require.NotNil(t, snap, "step 1: Snapshot() returned nil")
	// The caller changes its snapshot; then M1 carries on.
	snap["temp"] = Summary{Count: 99}
	snap["gust"] = Summary{Count: 1}
	s.Add("temp", 30)
	s.Add("hum", 50)

	want := map[string]Summary{
		"temp": {Count: 2, Sum: 50, Min: 20, Max: 30},
		"hum":  {Count: 1, Sum: 50, Min: 50, Max: 50},
	}
	if diff := cmp.Diff(want, s.Snapshot()); diff != "" {
		t.Errorf("step 1: a caller wrote to the maps two Snapshots had returned; "+
			"then the Stats itself held (-want +got):\n%s\n"+
			"Snapshot must return a copy: a caller writing to its map must not change the Stats", diff)
	}
	wantSnap := map[string]Summary{"temp": {Count: 99}, "gust": {Count: 1}}
	if diff := cmp.Diff(wantSnap, snap); diff != "" {
		t.Errorf("step 1: a map Snapshot returned changed when Add was called afterwards (-want +got):\n%s\n"+
			"Snapshot must return a copy, which later Adds leave alone, not the Stats's own map", diff)
	}
}

func TestStats_TwoGoroutinesAtOnce(t *testing.T) {
	// Each case runs two goroutines, M1 adding and one other, at the same
	// time on one Stats. Two at a time, not more: the race detector needs
	// no more to see two accesses that nothing orders, and an unguarded map
	// then gets a race report, never the crash a third goroutine could
	// cause by touching the map while the report holds up the second.
	const adds, reads = 100, 100
	type role struct {
		name string
		// do makes the calls; it returns what a reader saw that it never
		// should.
		do func(s *Stats, w int) []string
	}
	value := func(w, i int) float64 { return float64((w + i) % 10) } // whole numbers: sums exact in any order
	adder := role{name: "adds", do: func(s *Stats, w int) []string {
		for i := range adds {
			s.Add(sensors[i%len(sensors)], value(w, i))
		}
		return nil
	}}
	getter := role{name: "calls Get", do: func(s *Stats, _ int) []string {
		var seen []string
		last := 0
		for range reads {
			sum, ok := s.Get("temp")
			switch {
			case !ok:
				seen = append(seen, "Get(\"temp\") reported no reading")
			case sum.Count < last:
				seen = append(seen, fmt.Sprintf("Get(\"temp\").Count went down from %d to %d", last, sum.Count))
			default:
				last = sum.Count
			}
		}
		return seen
	}}
	snapshotter := role{name: "calls Snapshot", do: func(s *Stats, _ int) []string {
		var seen []string
		for range reads / 10 {
			snap := s.Snapshot()
			if len(snap) != len(sensors) {
				seen = append(seen, fmt.Sprintf("Snapshot() returned %d sensors, want %d", len(snap), len(sensors)))
			}
			for name, sum := range snap {
				if sum.Count < 1 || sum.Min > sum.Max {
					seen = append(seen, fmt.Sprintf("Snapshot()[%q] was %+v", name, sum))
				}
			}
		}
		return seen
	}}

	type testCase struct {
		name   string
		second role // the goroutine running beside M1, which adds
	}
	run := func(t *testing.T, tc testCase) {
		oneProcessor(t)
		s := NewStats()
		want := map[string]Summary{}
		record := func(sensor string, v float64) { // what Add must do, for want
			sum := want[sensor]
			if sum.Count == 0 || v < sum.Min {
				sum.Min = v
			}
			if sum.Count == 0 || v > sum.Max {
				sum.Max = v
			}
			sum.Count++
			sum.Sum += v
			want[sensor] = sum
		}
		// Every sensor gets its first reading before the goroutines start,
		// so that the map does not grow while they run.
		for _, name := range sensors {
			s.Add(name, 0)
			record(name, 0)
		}
		roles := []role{adder, tc.second}
		for w, r := range roles {
			if r.name == adder.name {
				for i := range adds {
					record(sensors[i%len(sensors)], value(w, i))
				}
			}
		}

		start := make(chan struct{})
		problems := make(chan []string, len(roles))
		for w, r := range roles {
			go func() {
				<-start
				problems <- r.do(s, w)
			}()
		}
		close(start)
		var seen []string
		for g := range roles {
			select {
			case p := <-problems:
				seen = append(seen, p...)
			case <-time.After(wait):
				require.FailNow(t, "step 1: two goroutines calling Stats at once did not finish within 2s",
					"%d of 2 are still busy: does a method lock the mutex and return without unlocking it? "+
						"(defer s.mu.Unlock() right after Lock)", len(roles)-g)
			}
		}

		if diff := cmp.Diff(want, s.Snapshot()); diff != "" {
			t.Errorf("step 1: one goroutine added %d readings while another %s, at once; "+
				"then Snapshot() returned the wrong summaries (-want +got):\n%s\n"+
				"hold the mutex in Add for the whole read-update-write of the sensor's Summary",
				adds, tc.second.name, diff)
		}
		if len(seen) > 0 {
			t.Errorf("step 1: a goroutine that %s while another added saw what it never should: %s",
				tc.second.name, strings.Join(seen[:min(len(seen), 3)], "; "))
		}
	}
	tests := []testCase{
		{name: "M1 adds while another M1 adds", second: adder},
		{name: "M1 adds while M2 calls Get", second: getter},
		{name: "M1 adds while M3 calls Snapshot", second: snapshotter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestStats_CallerWritingItsSnapshotDoesNotRaceWithAdd(t *testing.T) {
	const adds, writes = 150, 150
	oneProcessor(t)
	s := NewStats()
	for _, name := range sensors {
		s.Add(name, 1)
	}
	snap := s.Snapshot()
	require.Len(t, snap, len(sensors),
		"step 1: Snapshot() after one Add of each of %v returned %v", sensors, snap)

	// M1 carries on adding while M3, which took the snapshot, writes to it.
	// With a copy, the two touch different maps. With the Stats's own map,
	// M3 writes it without the lock while Add writes it under the lock:
	// nothing orders the two, and the race detector reports it.
	added := make(chan struct{})
	go func() {
		defer close(added)
		for i := range adds {
			s.Add(sensors[i%len(sensors)], 2)
		}
	}()
	for i := range writes {
		name := sensors[i%len(sensors)]
		sum := snap[name]
		sum.Count = -1 // M3 marks the sensor as seen
		snap[name] = sum
	}
	select {
	case <-added:
	case <-time.After(wait):
		require.FailNow(t, "step 1: 150 Adds on another goroutine did not return within 2s",
			"does Add lock a mutex that nothing unlocks?")
	}

	want := map[string]Summary{}
	for _, name := range sensors {
		n := 1 + adds/len(sensors)
		want[name] = Summary{Count: n, Sum: float64(1 + 2*(n-1)), Min: 1, Max: 2}
	}
	if diff := cmp.Diff(want, s.Snapshot()); diff != "" {
		t.Errorf("step 1: while a caller wrote to its snapshot, another goroutine made %d Adds; "+
			"then the Stats held (-want +got):\n%s\n"+
			"Snapshot must return a copy made under the lock, never the Stats's own map", adds, diff)
	}
}

// Step 2

func TestCounter_IncGivesEveryCallItsOwnNumber(t *testing.T) {
	const goroutines, incs = 8, 500
	const total = goroutines * incs
	var c Counter

	start := make(chan struct{})
	numbers := make(chan []int64, goroutines)
	loads := make(chan []string, 1)
	for range goroutines { // M1s
		go func() {
			got := make([]int64, 0, incs)
			defer func() { numbers <- got }()
			<-start
			for range incs {
				got = append(got, c.Inc())
			}
		}()
	}
	go func() { // M2 watches the count grow
		var seen []string
		defer func() { loads <- seen }()
		<-start
		last := int64(0)
		for range incs {
			n := c.Load()
			if n < last || n > total {
				seen = append(seen, fmt.Sprintf("Load() returned %d after %d", n, last))
			}
			last = n
		}
	}()
	close(start)
	times := make([]int, total+1) // times[n]: how many Incs returned n
	outside := 0
	for g := range goroutines + 1 {
		select {
		case got := <-numbers:
			for _, n := range got {
				if n < 1 || n > total {
					outside++
				} else {
					times[n]++
				}
			}
		case seen := <-loads:
			assert.Empty(t, seen, "step 2: Load, called while Incs ran, must never go down nor pass %d", total)
		case <-time.After(wait):
			require.FailNow(t, "step 2: goroutines calling Inc and Load did not finish within 2s",
				"%d of %d are still busy", goroutines+1-g, goroutines+1)
		}
	}

	twice, never := 0, 0
	for n := 1; n <= total; n++ {
		switch {
		case times[n] == 0:
			never++
		case times[n] > 1:
			twice++
		}
	}
	if outside+twice+never > 0 {
		t.Errorf("step 2: %d goroutines called Inc %d times each: %d calls returned a number outside 1..%d, "+
			"%d numbers were returned more than once and %d never; "+
			"each Inc must return the count its own increment made, the value atomic.Int64.Add(1) returns",
			goroutines, incs, outside, total, twice, never)
	}
	assert.Equal(t, int64(total), c.Load(),
		"step 2: after %d Incs from %d goroutines at once, Load() must be %d", total, goroutines, total)
}

func TestPeak_ObserveKeepsTheLargest(t *testing.T) {
	type testCase struct {
		name   string
		values []int64
		want   []bool // what each Observe returns
		peak   int64  // Load after them all
	}
	run := func(t *testing.T, tc testCase) {
		var p Peak
		var got []bool
		for _, v := range tc.values {
			got = append(got, p.Observe(v))
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("step 2: Observe of %v, in turn, returned the wrong results (-want +got):\n%s\n"+
				"Observe reports true only when v is larger than the peak before it", tc.values, diff)
		}
		assert.Equal(t, tc.peak, p.Load(), "step 2: after Observe of %v, in turn, Load() must be %d", tc.values, tc.peak)
	}
	tests := []testCase{
		{name: "up and down", values: []int64{3, 1, 4, 1, 5, 9, 2, 6},
			want: []bool{true, false, true, false, true, true, false, false}, peak: 9},
		{name: "the same value twice", values: []int64{5, 5}, want: []bool{true, false}, peak: 5},
		{name: "only falling", values: []int64{7, 3, 0}, want: []bool{true, false, false}, peak: 7},
		{name: "zero on a new Peak", values: []int64{0}, want: []bool{false}, peak: 0},
		{name: "nothing observed", values: nil, want: nil, peak: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestPeak_ObserveFromManyGoroutinesKeepsTheLargest(t *testing.T) {
	const goroutines, each = 8, 250
	const top = goroutines * each
	var p Peak

	start := make(chan struct{})
	topRaised := make(chan bool, 1)
	done := make(chan struct{}, goroutines)
	for g := range goroutines {
		go func() {
			defer func() { done <- struct{}{} }()
			<-start
			// Goroutine g observes g+1, g+1+goroutines, …: between them
			// they observe 1..top, interleaved.
			for v := int64(g + 1); v <= top; v += goroutines {
				if raised := p.Observe(v); v == top {
					topRaised <- raised
				}
			}
		}()
	}
	close(start)
	for g := range goroutines {
		select {
		case <-done:
		case <-time.After(wait):
			require.FailNow(t, "step 2: goroutines calling Observe did not finish within 2s",
				"%d of %d are still busy: does the CompareAndSwap loop ever end? "+
					"Return false as soon as v is not larger than the peak you loaded", goroutines-g, goroutines)
		}
	}

	assert.True(t, <-topRaised,
		"step 2: Observe(%d), the largest value, returned false: nothing larger was ever observed, "+
			"so it raised the peak, whatever the order of the calls", top)
	if got := p.Load(); got != top {
		why := "nothing was recorded"
		if got > 0 {
			why = "the peak was lowered again: between a Load and a Store, another goroutine raised it. " +
				"Use CompareAndSwap, and try again when it fails"
		}
		t.Errorf("step 2: %d goroutines observed 1..%d at once; then Load() returned %d, want %d: %s",
			goroutines, top, got, top, why)
	}
}

// Step 3
//
// The tests of single waiters run in a synctest bubble: synctest.Wait()
// returns once every goroutine of the bubble has returned or is blocked,
// in sync.Cond.Wait among others, so the tests know a waiter is really
// waiting before they call Advance or Close. Each bubble closes its Progress
// as it ends, which must release every waiter still blocked: a goroutine
// still blocked when the bubble ends makes synctest panic.

// result is what one WaitFor returned.
type result struct {
	Count int
	Err   error
}

func (r result) String() string { return fmt.Sprintf("(%d, %v)", r.Count, r.Err) }

// equateErrors lets cmp compare errors with errors.Is.
var equateErrors = cmpopts.EquateErrors()

// waiter calls p.WaitFor(n) on a new goroutine; its result arrives on the
// channel returned.
func waiter(p *Progress, n int) <-chan result {
	res := make(chan result, 1)
	go func() {
		count, err := p.WaitFor(n)
		res <- result{count, err}
	}()
	return res
}

// waiterNow calls waiter in a synctest bubble and returns once the new
// goroutine has returned or is blocked: when several wait, the tests know
// in which order they started waiting.
func waiterNow(p *Progress, n int) <-chan result {
	res := waiter(p, n)
	synctest.Wait()
	return res
}

// requireStillWaiting fails the test if the waiter res has returned.
func requireStillWaiting(t *testing.T, res <-chan result, format string, args ...any) {
	t.Helper()
	select {
	case r := <-res:
		require.FailNow(t, fmt.Sprintf(format, args...), "it returned %v", r)
	default:
	}
}

// requireReturned fails the test unless the waiter res has returned want.
func requireReturned(t *testing.T, res <-chan result, want result, format string, args ...any) {
	t.Helper()
	select {
	case r := <-res:
		if diff := cmp.Diff(want, r, equateErrors); diff != "" {
			require.FailNow(t, fmt.Sprintf(format, args...), "it returned the wrong result (-want +got):\n%s", diff)
		}
	default:
		require.FailNow(t, fmt.Sprintf(format, args...), "it is still blocked")
	}
}

func TestProgress_WaitForBlocksUntilTheCountIsReached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewProgress()
		defer p.Close()

		res := waiter(p, 5)
		synctest.Wait()
		requireStillWaiting(t, res, "step 3: WaitFor(5) on a new Progress returned before any Advance: "+
			"it must block until the count reaches 5")

		p.Advance(2)
		synctest.Wait()
		requireStillWaiting(t, res, "step 3: after Advance(2), WaitFor(5) returned at count 2. "+
			"Waking up does not mean the target is reached: call Wait in a for loop that checks the count again")

		p.Advance(3)
		synctest.Wait()
		requireReturned(t, res, result{5, nil}, "step 3: after Advance(2) and Advance(3), WaitFor(5) must return "+
			"(5, nil): Advance must wake the waiters (Broadcast)")

		requireReturned(t, waiterNow(p, 3), result{5, nil}, "step 3: at count 5, WaitFor(3) must return (5, nil) at once")
		requireReturned(t, waiterNow(p, 5), result{5, nil}, "step 3: at count 5, WaitFor(5) must return (5, nil) at once")
	})
}

func TestProgress_AdvanceWakesEveryWaiterWhoseTargetIsReached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewProgress()
		defer p.Close()

		// M3 waits for 10 items first; then M2 waits for 3, twice.
		far := waiterNow(p, 10)
		near := []<-chan result{waiterNow(p, 3), waiterNow(p, 3)}
		requireStillWaiting(t, far, "step 3: WaitFor(10) on a new Progress returned before any Advance")
		for _, res := range near {
			requireStillWaiting(t, res, "step 3: WaitFor(3) on a new Progress returned before any Advance")
		}

		p.Advance(3)
		synctest.Wait()
		for i, res := range near {
			requireReturned(t, res, result{3, nil}, "step 3: three goroutines were waiting, for 10, 3 and 3; "+
				"after Advance(3), waiter %d of the two for 3 must return (3, nil). Signal wakes one waiter, "+
				"and not necessarily one whose target is reached: Advance must Broadcast", i+1)
		}
		requireStillWaiting(t, far, "step 3: after Advance(3), WaitFor(10) returned at count 3. "+
			"Every waiter wakes on Broadcast: call Wait in a for loop that checks its own target again")

		p.Advance(7)
		synctest.Wait()
		requireReturned(t, far, result{10, nil}, "step 3: after Advance(3) and Advance(7), WaitFor(10) must return (10, nil)")
	})
}

func TestProgress_CloseReleasesEveryWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewProgress()
		defer p.Close()

		p.Advance(2)
		waiters := []<-chan result{waiterNow(p, 5), waiterNow(p, 10)}
		for _, res := range waiters {
			requireStillWaiting(t, res, "step 3: at count 2, WaitFor(5) and WaitFor(10) must block")
		}

		p.Close()
		synctest.Wait()
		for i, n := range []int{5, 10} {
			requireReturned(t, waiters[i], result{2, ErrClosed}, "step 3: WaitFor(%d) was waiting at count 2 "+
				"when Close was called; it must return (2, ErrClosed). Close must set the flag and Broadcast, "+
				"and the for loop in WaitFor must stop when the Progress is closed", n)
		}

		requireReturned(t, waiterNow(p, 3), result{2, ErrClosed},
			"step 3: after Close, at count 2, WaitFor(3) must return (2, ErrClosed) at once")
		requireReturned(t, waiterNow(p, 2), result{2, nil},
			"step 3: after Close, at count 2, WaitFor(2) must return (2, nil): its target is reached")
		p.Advance(5)
		requireReturned(t, waiterNow(p, 2), result{2, nil},
			"step 3: Advance after Close must do nothing; then WaitFor(2) must still return (2, nil)")
		require.NotPanics(t, p.Close, "step 3: a second Close must do nothing")
	})
}

func TestProgress_ManyProducersAndWaitersAtOnce(t *testing.T) {
	const producers, advances = 4, 50
	const total = producers * advances
	const waiters = 8 // waiting for total/8, 2*total/8, …, total
	p := NewProgress()
	defer p.Close() // releases any waiter a failed check leaves behind

	start := make(chan struct{})
	type outcome struct {
		target int
		result
	}
	outcomes := make(chan outcome, waiters)
	produced := make(chan struct{}, producers)
	for w := range waiters { // M2s and M3s
		target := (w + 1) * total / waiters
		go func() {
			<-start
			count, err := p.WaitFor(target)
			outcomes <- outcome{target, result{count, err}}
		}()
	}
	for range producers { // M1s
		go func() {
			defer func() { produced <- struct{}{} }()
			<-start
			for range advances {
				p.Advance(1)
			}
		}()
	}
	close(start)

	var wrong []string
	for g := range producers + waiters {
		select {
		case <-produced:
		case o := <-outcomes:
			if o.Err != nil || o.Count < o.target || o.Count > total {
				wrong = append(wrong, fmt.Sprintf("WaitFor(%d) returned %v", o.target, o.result))
			}
		case <-time.After(wait):
			require.FailNow(t, "step 3: goroutines calling Advance and WaitFor at once did not finish within 2s",
				"%d of %d are still busy, though the count reached %d and no target was above it: "+
					"a waiter was never woken (Advance must Broadcast), or a lock was never unlocked",
				producers+waiters-g, producers+waiters, total)
		}
	}
	if len(wrong) > 0 {
		t.Errorf("step 3: %d goroutines waited for targets up to %d while %d goroutines advanced the count to %d; "+
			"%d waiters got a wrong result: %s. Each must block until the count reaches its target, "+
			"then return that count (or more) and a nil error",
			waiters, total, producers, total, len(wrong), strings.Join(wrong[:min(len(wrong), 3)], "; "))
	}
}
