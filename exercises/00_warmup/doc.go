// Package warmup is exercise 00: the edit–check loop, and a data race and a
// goroutine leak that you cause on purpose, so that you know what the reports
// look like before you meet them by accident.
//
// Edit warmup.go (every edit point is marked // TODO with its step) and run
// `make check` after each step. The checker runs the tests in
// warmup_test.go with the race detector on and with goleak watching for
// goroutines that are still alive when the tests end.
//
// # Step 1: the edit–check loop
//
// Make Greet return "hello, " followed by name: Greet("gopher") is
// "hello, gopher". Run `make check` and watch the step 1 test turn green.
// That is the loop for the whole course: read the step, edit, check.
//
// The tests check: Greet for a few names, including the empty one.
//
// # Step 2: a data race, on purpose
//
// ParallelSum(nums, workers) splits nums into workers chunks of about the
// same size, starts one goroutine per chunk, and returns the total of all the
// numbers. workers < 1 means 1; more workers than numbers must work too
// (some chunks are then empty), and so must an empty slice (total 0).
//
// First write it the naive way: one variable total, and every goroutine
// adds its numbers straight into it (total += n), with a sync.WaitGroup so
// that ParallelSum waits for the goroutines before returning total. Run
// `make check`. The sum may even look right, but the checker prints
// "WARNING: DATA RACE": two accesses to the same variable, each with its
// file:line, from two goroutines with nothing ordering them. Read it: it points
// at your total += n twice.
//
// Then fix it: let each goroutine compute its own partial sum in a local
// variable and send it on a channel, and let ParallelSum receive exactly one
// partial sum per goroutine and add them up. (A sync.Mutex around total += n
// is also race-free, but the channel version shares nothing at all.)
//
// The tests check: the total for several slices and worker counts, including
// 0 and negative workers, more workers than numbers, and an empty slice.
// The race detector checks the rest.
//
// # Step 3: a goroutine leak, on purpose
//
// StartTicker(out) starts one goroutine that sends 1, 2, 3, … on out, one
// number each time someone receives, until stop is called. It returns stop.
// Calling stop must end that goroutine, and stop returns only after the
// goroutine has exited, even when nobody is receiving from out at that moment.
// Calling stop a second time (even at the same time from two goroutines) is
// safe and does nothing.
//
// First return a stop that does nothing: func() {}. Run `make check`. Every
// test passes, yet the exercise is not done: goleak reports "found
// unexpected goroutines", shows your goroutine blocked on its send to out,
// and names the line that created it ("created by ... StartTicker"). Nobody
// will ever receive again, so that goroutine stays blocked, holding its memory,
// for the life of the program: a leak.
//
// Then fix it: give the goroutine a quit channel and let it select between
// sending the next number and <-quit; stop closes quit and then waits for a
// second channel, done, that the goroutine closes as it returns. Closing a
// channel twice panics, so make the close happen once (sync.Once).
//
// The tests check: the numbers 1, 2, 3, 4, 5 in order; that stop returns
// while the goroutine is blocked on a send nobody receives; that stop can be
// called twice, also concurrently. Only goleak, at the end of the whole
// package, checks that the goroutine has really gone.
//
// # Read more
//
//   - Goroutines and channels: https://go.dev/tour/concurrency/1
//   - The race detector: https://go.dev/doc/articles/race_detector
//   - The Go memory model: https://go.dev/ref/mem
//   - sync.WaitGroup, sync.Mutex, sync.Once: https://pkg.go.dev/sync
//   - Select: https://go.dev/ref/spec#Select_statements
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package warmup
