package warmup

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine started by the tests is still
// alive when they have all finished: that is how step 3's leak is found.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every wait in these tests: a broken step fails, never hangs.
const wait = 2 * time.Second

// Step 1

func TestGreet_SaysHelloToTheName(t *testing.T) {
	for _, name := range []string{"gopher", "M1", ""} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			want := "hello, " + name
			got := Greet(name)
			assert.Equal(t, want, got,
				"step 1: Greet(%q) = %q, want %q", name, got, want)
		})
	}
}

// Step 2

func TestParallelSum_AddsEveryNumberOnce(t *testing.T) {
	type testCase struct {
		name    string
		nums    []int
		workers int
		want    int
	}
	run := func(t *testing.T, tc testCase) {
		got := ParallelSum(tc.nums, tc.workers)
		assert.Equal(t, tc.want, got,
			"step 2: ParallelSum(%s, %d workers) = %d, want %d",
			describe(tc.nums), tc.workers, got, tc.want)
	}
	tests := []testCase{
		{name: "1..100 with 4 workers", nums: oneTo(100), workers: 4, want: 5050},
		{name: "1..10 with 3 workers, chunks of unequal size", nums: oneTo(10), workers: 3, want: 55},
		{name: "1..1000 with 7 workers", nums: oneTo(1000), workers: 7, want: 500500},
		{name: "one worker", nums: oneTo(10), workers: 1, want: 55},
		{name: "as many workers as numbers", nums: oneTo(8), workers: 8, want: 36},
		{name: "zero workers means one", nums: oneTo(10), workers: 0, want: 55},
		{name: "negative workers means one", nums: oneTo(10), workers: -3, want: 55},
		{name: "negative numbers", nums: []int{5, -2, 7, -1}, workers: 2, want: 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestParallelSum_MoreWorkersThanNumbersAndEmptySlice(t *testing.T) {
	got := ParallelSum([]int{1, 2, 3}, 10)
	require.Equal(t, 6, got,
		"step 2: ParallelSum([1 2 3], 10 workers) = %d, want 6 (some chunks are empty)", got)

	got = ParallelSum(nil, 4)
	assert.Equal(t, 0, got,
		"step 2: ParallelSum(empty slice, 4 workers) = %d, want 0", got)
}

// oneTo returns 1, 2, …, n.
func oneTo(n int) []int {
	nums := make([]int, n)
	for i := range nums {
		nums[i] = i + 1
	}
	return nums
}

// describe shortens 1..n to "1..n" in failure messages.
func describe(nums []int) string {
	if len(nums) > 4 && nums[0] == 1 && nums[len(nums)-1] == len(nums) {
		return fmt.Sprintf("1..%d", len(nums))
	}
	return fmt.Sprint(nums)
}

// Step 3
//
// None of these tests looks for the goroutine after stop: a leaked ticker
// passes them all, and goleak.VerifyTestMain reports it when the package ends.

func TestStartTicker_SendsOneTwoThreeInOrder(t *testing.T) {
	out := make(chan int)
	stop := StartTicker(out)
	t.Cleanup(func() { requireStopReturns(t, stop, "stop") })

	got := receive(t, out, 5)
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5}, got); diff != "" {
		t.Errorf("step 3: the first numbers StartTicker sent are wrong (-want +got):\n%s", diff)
	}
}

func TestStartTicker_StopReturnsWhileNobodyReceives(t *testing.T) {
	out := make(chan int)
	stop := StartTicker(out)
	t.Cleanup(func() { requireStopReturns(t, stop, "stop") })

	receive(t, out, 1)
	// Nobody receives from out any more: the ticker goroutine is (or soon
	// will be) blocked sending 2. stop must still be able to end it.
	requireStopReturns(t, stop, "stop, while the ticker was blocked sending on out with nobody receiving,")
}

func TestStartTicker_StopTwiceIsSafeEvenConcurrently(t *testing.T) {
	out := make(chan int)
	stop := StartTicker(out)
	t.Cleanup(func() { requireStopReturns(t, stop, "stop") })

	receive(t, out, 1)

	var start sync.WaitGroup
	start.Add(1)
	results := make([]<-chan any, 2)
	for i := range results {
		results[i] = callStop(stop, &start)
	}
	start.Done() // both goroutines call stop now
	for i, res := range results {
		select {
		case p := <-res:
			require.Nil(t, p,
				"step 3: stop panicked when called twice at the same time (call %d): %v\n"+
					"closing a channel twice panics: make the close happen once (sync.Once)", i+1, p)
		case <-time.After(wait):
			require.FailNow(t, "step 3: stop did not return within 2s when called twice at the same time",
				"call %d is still blocked: does the second call wait for something only the first receives?", i+1)
		}
	}
	requireStopReturns(t, stop, "stop, called a third time after the ticker had stopped,")
}

// receive receives n numbers from out, failing the test if any takes longer
// than wait.
func receive(t *testing.T, out <-chan int, n int) []int {
	t.Helper()
	var got []int
	for len(got) < n {
		select {
		case v := <-out:
			got = append(got, v)
		case <-time.After(wait):
			require.FailNow(t, "step 3: StartTicker sent nothing within 2s",
				"received %v so far, want %d number(s) counting 1, 2, 3, …: "+
					"does StartTicker start a goroutine that sends on out?", got, n)
		}
	}
	return got
}

// callStop calls stop on a new goroutine once start is released, and
// delivers what stop panicked with (nil if it returned normally).
func callStop(stop func(), start *sync.WaitGroup) <-chan any {
	res := make(chan any, 1)
	go func() {
		var p any
		defer func() { res <- p }()
		defer func() { p = recover() }()
		start.Wait()
		stop()
	}()
	return res
}

// requireStopReturns calls stop and fails the test if it panics or takes
// longer than wait.
func requireStopReturns(t *testing.T, stop func(), what string) {
	t.Helper()
	var start sync.WaitGroup
	select {
	case p := <-callStop(stop, &start):
		require.Nil(t, p, "step 3: %s panicked: %v\n"+
			"calling stop again must be safe: closing a channel twice panics (sync.Once helps)", what, p)
	case <-time.After(wait):
		require.FailNow(t, fmt.Sprintf("step 3: %s did not return within 2s", what),
			"is the ticker goroutine stuck in `out <- n`? Let it select between the send and a quit channel that stop closes.")
	}
}
