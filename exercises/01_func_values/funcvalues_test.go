package funcvalues

import (
	"bytes"
	"math"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace ("goroutine 7 [running]:"). The tests use it only to
// show that a callback ran on the caller's goroutine; real code never should.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(bytes.Fields(buf)[1])
}

// visit is one call of an Each callback.
type visit struct {
	I int
	V float64
}

// Step 1

func TestEach_VisitsEveryReadingInOrder(t *testing.T) {
	s := NewStore([]float64{2.5, -1, 7, 0, 3})

	var got []visit
	s.Each(func(i int, v float64) { got = append(got, visit{i, v}) })

	want := []visit{{0, 2.5}, {1, -1}, {2, 7}, {3, 0}, {4, 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 1: Each called fn with the wrong (index, value) pairs (-want +got):\n%s", diff)
	}
}

func TestEach_CallsBackOnTheCallersGoroutineBeforeReturning(t *testing.T) {
	readings := []float64{1, 2, 3, 4}
	s := NewStore(readings)
	caller := goroutineID()

	calls := 0 // a plain variable: only safe because fn runs on this goroutine
	var strangers []string
	s.Each(func(int, float64) {
		calls++
		if id := goroutineID(); id != caller {
			strangers = append(strangers, id)
		}
	})

	require.Equal(t, len(readings), calls,
		"step 1: when Each returned, fn had been called %d times, want %d (once per reading, before Each returns)",
		calls, len(readings))
	assert.Empty(t, strangers,
		"step 1: fn ran on goroutine(s) %v, not on the caller's goroutine %s: call fn(i, v) directly, start no goroutine",
		strangers, caller)
}

// Step 2

func TestApply_ChangesTheCallersSliceInPlace(t *testing.T) {
	readings := []float64{1, 2, 3, -4}
	s := NewStore(readings)

	s.Apply(func(v float64) float64 { return v * 10 })

	want := []float64{10, 20, 30, -40}
	if diff := cmp.Diff(want, readings); diff != "" {
		t.Errorf("step 2: after Apply(v*10), the slice the caller gave NewStore is wrong (-want +got):\n%s\n"+
			"Apply must write fn(v) into the store's own slice; a new slice is a copy the caller never sees", diff)
	}
}

func TestApply_AllocatesNothing(t *testing.T) {
	readings := make([]float64, 1000)
	s := NewStore(readings)
	addOne := func(v float64) float64 { return v + 1 }

	// AllocsPerRun calls Apply once to warm up, then 10 times to measure.
	allocs := testing.AllocsPerRun(10, func() { s.Apply(addOne) })

	require.Equal(t, 11.0, readings[0],
		"step 2: after 11 calls of Apply(v+1) on zeros, reading 0 of the caller's slice is %v, want 11: "+
			"Apply must write into the store's own slice, in place", readings[0])
	assert.Zero(t, allocs,
		"step 2: Apply made %v allocation(s) per call, want 0: "+
			"write into s.readings directly, make no new slice", allocs)
}

// Step 3

func TestSet_StoresTheValue(t *testing.T) {
	readings := []float64{1, 2, 3}
	s := NewStore(readings)

	assert.NotPanics(t, func() { s.Set(1, 9) },
		"step 3: Set panicked on a store with no handler: check that the handler is not nil before calling it")

	want := []float64{1, 9, 3}
	if diff := cmp.Diff(want, readings); diff != "" {
		t.Errorf("step 3: after Set(1, 9), the readings are wrong (-want +got):\n%s", diff)
	}
}

func TestSet_CallsTheHandlerOnlyWhenTheValueChanges(t *testing.T) {
	s := NewStore([]float64{1, 2, 3})
	var got []Change
	s.OnChange(func(i int, old, new float64) { got = append(got, Change{i, old, new}) })

	s.Set(0, 5) // a change
	s.Set(0, 5) // the same value again: not a change
	s.Set(2, 3) // the value it already has: not a change
	s.Set(0, 6) // a change

	want := []Change{{Index: 0, Old: 1, New: 5}, {Index: 0, Old: 5, New: 6}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 3: after Set(0,5), Set(0,5), Set(2,3), Set(0,6) on [1 2 3], "+
			"the handler saw the wrong changes (-want +got):\n%s\n"+
			"call it only when the new value differs from the old one, with (i, old, new)", diff)
	}
}

func TestSet_CallsTheHandlerOnTheCallersGoroutineBeforeReturning(t *testing.T) {
	s := NewStore([]float64{1})
	caller := goroutineID()

	called := false // a plain variable: only safe because h runs on this goroutine
	var ranOn string
	s.OnChange(func(int, float64, float64) {
		called = true
		ranOn = goroutineID()
	})
	s.Set(0, 2)

	require.True(t, called,
		"step 3: Set(0, 2) changed the value but the handler had not been called when Set returned")
	assert.Equal(t, caller, ranOn,
		"step 3: the handler ran on goroutine %s, not on the caller's goroutine %s: call it directly", ranOn, caller)
}

func TestOnChange_NilUnregistersTheHandler(t *testing.T) {
	readings := []float64{1}
	s := NewStore(readings)
	calls := 0
	s.OnChange(func(int, float64, float64) { calls++ })

	s.Set(0, 2)
	require.Equal(t, 1, calls,
		"step 3: Set(0, 2) on [1] called the registered handler %d times, want 1", calls)

	s.OnChange(nil)
	assert.NotPanics(t, func() { s.Set(0, 3) },
		"step 3: Set panicked after OnChange(nil): calling a nil function value panics, check it first")
	assert.Equal(t, 1, calls,
		"step 3: after OnChange(nil), Set still called the old handler (%d calls in all, want 1)", calls)
	assert.Equal(t, 3.0, readings[0],
		"step 3: after OnChange(nil), Set(0, 3) must still store the value; reading 0 is %v", readings[0])
}

// Step 4

func TestAuditRecord_AppendsEachChangeInOrder(t *testing.T) {
	a := &Audit{}

	a.Record(2, 1, 5)
	a.Record(0, 3, 4)

	want := []Change{{Index: 2, Old: 1, New: 5}, {Index: 0, Old: 3, New: 4}}
	if diff := cmp.Diff(want, a.Changes); diff != "" {
		t.Errorf("step 4: after Record(2, 1, 5) and Record(0, 3, 4), a.Changes is wrong (-want +got):\n%s", diff)
	}
}

func TestConnect_RecordsEveryChangeInTheCallersAudit(t *testing.T) {
	s := NewStore([]float64{1, 2, 3})
	var audit Audit // owned by the caller, M2

	Connect(s, &audit)
	s.Set(1, 20)
	s.Set(1, 20) // not a change
	s.Set(2, -3)

	want := []Change{{Index: 1, Old: 2, New: 20}, {Index: 2, Old: 3, New: -3}}
	if diff := cmp.Diff(want, audit.Changes); diff != "" {
		t.Errorf("step 4: after Connect(s, &audit) and Set(1,20), Set(1,20), Set(2,-3), "+
			"the caller's audit recorded the wrong changes (-want +got):\n%s\n"+
			"register the method value a.Record: it captures the pointer a, "+
			"so Record appends to the caller's Audit, not to a copy", diff)
	}
}

// Step 5

func TestMax_ReturnsTheLargestReading(t *testing.T) {
	type testCase struct {
		name     string
		readings []float64
		want     float64
	}
	run := func(t *testing.T, tc testCase) {
		got := Max(NewStore(tc.readings))
		assert.Equal(t, tc.want, got,
			"step 5: Max(%v) = %v, want %v", tc.readings, got, tc.want)
	}
	tests := []testCase{
		{name: "positive readings", readings: []float64{3, 9, 2}, want: 9},
		{name: "the largest is last", readings: []float64{1, 2, 3.5}, want: 3.5},
		{name: "every reading negative", readings: []float64{-5, -2, -9}, want: -2},
		{name: "a single reading", readings: []float64{4.5}, want: 4.5},
		{name: "an empty store is -Inf", readings: nil, want: math.Inf(-1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
