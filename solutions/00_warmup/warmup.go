// Exercise 00, solved. The task is in exercises/00_warmup/doc.go.

package warmup

import "sync"

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
// called. stop returns only after that goroutine has exited; calling stop
// more than once is safe.
func StartTicker(out chan<- int) (stop func()) {
	quit := make(chan struct{}) // closed by stop: "please return"
	done := make(chan struct{}) // closed by the goroutine: "I have returned"
	go func() {
		defer close(done)
		for n := 1; ; n++ {
			// Decision 2: never block on out alone. A bare `out <- n` waits
			// forever once nobody receives; selecting on quit as well lets
			// stop end the goroutine wherever it is waiting.
			select {
			case out <- n:
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) }) // a second close would panic
		<-done                          // every caller waits for the exit
	}
}
