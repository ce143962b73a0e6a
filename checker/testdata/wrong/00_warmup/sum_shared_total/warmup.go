// Known-wrong answer for exercise 00 (see the WRONG comment below).

package warmup

import "sync"

// Greet returns "hello, " followed by name.
func Greet(name string) string {
	return "hello, " + name
}

// ParallelSum returns the total of nums, computed by workers goroutines, each
// summing one chunk of nums. workers < 1 means 1.
//
// WRONG (known answer, STATUS race): every goroutine adds straight into the
// shared variable total. The WaitGroup orders each goroutine before the final
// read, but not the goroutines among themselves, so two of them write total
// with nothing ordering the writes: the race detector reports it on every run
// with two or more non-empty chunks.
func ParallelSum(nums []int, workers int) int {
	workers = max(workers, 1)
	total := 0
	var wg sync.WaitGroup
	for w := range workers {
		chunk := nums[w*len(nums)/workers : (w+1)*len(nums)/workers]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, n := range chunk {
				total += n
			}
		}()
	}
	wg.Wait()
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
