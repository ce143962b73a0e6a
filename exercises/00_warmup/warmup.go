// Exercise 00: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package warmup

// Greet returns "hello, " followed by name.
func Greet(name string) string {
	// TODO(step 1): return "hello, " followed by name.
	return ""
}

// ParallelSum returns the total of nums, computed by workers goroutines, each
// summing one chunk of nums. workers < 1 means 1.
func ParallelSum(nums []int, workers int) int {
	// TODO(step 2): split nums into workers chunks, start one goroutine per
	// chunk, and return the total. Write the racy version first (doc.go),
	// read the race report, then fix it.
	return 0
}

// StartTicker starts a goroutine that sends 1, 2, 3, … on out until stop is
// called. stop returns only after that goroutine has exited; calling stop
// more than once is safe.
func StartTicker(out chan<- int) (stop func()) {
	// TODO(step 3): start the goroutine, and return a stop that ends it and
	// waits for it. Return a stop that does nothing first (doc.go), read the
	// leak report, then fix it.
	return func() {}
}
