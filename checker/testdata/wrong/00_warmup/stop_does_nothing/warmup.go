// Known-wrong answer for exercise 00 (see the WRONG comment below).

package warmup

// Greet returns "hello, " followed by name.
func Greet(name string) string {
	return "hello, " + name
}

// ParallelSum returns the total of nums, computed by workers goroutines, each
// summing one chunk of nums. workers < 1 means 1.
func ParallelSum(nums []int, workers int) int {
	workers = max(workers, 1)
	// Decision 1: share nothing. Each goroutine sums its chunk into its own
	// local variable and sends that one number; only this goroutine adds
	// the partial sums, so no variable is written by two goroutines.
	partials := make(chan int, workers) // buffered: no sender ever waits
	for w := range workers {
		// Chunk w is nums[w*n/workers : (w+1)*n/workers]: the sizes differ by
		// at most one, and a chunk is empty when workers > len(nums).
		chunk := nums[w*len(nums)/workers : (w+1)*len(nums)/workers]
		go func() {
			sum := 0
			for _, n := range chunk {
				sum += n
			}
			partials <- sum
		}()
	}
	total := 0
	for range workers { // exactly one receive per goroutine started
		total += <-partials
	}
	return total
}

// StartTicker starts a goroutine that sends 1, 2, 3, … on out until stop is
// called.
//
// WRONG (known answer, STATUS leak): stop does nothing, so the goroutine stays
// blocked in out <- n forever once nobody receives. Every test passes; only
// goleak.VerifyTestMain finds the goroutine when the package ends.
func StartTicker(out chan<- int) (stop func()) {
	go func() {
		for n := 1; ; n++ {
			out <- n
		}
	}()
	return func() {}
}
