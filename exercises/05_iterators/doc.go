// Package iterators is exercise 05: range-over-func, the callback protocol
// built into Go's for statement (Go 1.23 and later).
//
// Module M1 has values; module M2 wants to loop over them. M1 writes an
// iterator, a function of type iter.Seq[V], func(yield func(V) bool), and M2
// writes an ordinary loop:
//
//	for v := range m1.Readings() {
//		use(v) // M2's loop body
//	}
//
// The compiler turns M2's loop body into the yield function and calls M1's
// iterator with it. M1 calls yield(v) once per value: the computation (M2's
// loop body) is handed to the data (M1's iterator), as with every callback in
// this part of the course. yield returns true to ask for more, and false when
// the loop has stopped early (break, return, goto out of the loop, or a
// panic). After false the iterator must return at once and never call yield
// again: if it does, Go panics with "range function continued iteration
// after function for loop body returned false".
//
// Edit iterators.go at every // TODO, in step order, and run `make check`
// after each step. Log, NewLog and Record are given.
//
// # Step 1: Readings, an iterator over M1's data
//
// Write (*Log).Readings: the function it returns yields every reading, in
// order, and returns as soon as yield returns false. Read l.readings inside
// that function: an iter.Seq is only a function value, and nothing happens
// until a loop calls it.
//
// The tests check: the values yielded, in order; a loop that breaks after two
// values sees exactly two (calling yield again panics, and the checker shows
// your line); a reading recorded after Readings() was called, but before the
// loop ran, is yielded too.
//
// # Step 2: Produce, an iterator backed by a producer goroutine
//
// M1's sensor is slow, so M1 samples on a goroutine of its own, one reading
// ahead of M2's loop. Write Produce(n, sample): each loop over the iterator it
// returns starts one producer goroutine that calls sample(0), …, sample(n-1)
// in order and sends each result on a channel; the iterator receives them and
// calls yield itself, so M2's loop body runs on M2's goroutine and only
// sample runs on the producer.
//
// The trap: when the loop breaks, nobody receives from that channel again.
// A producer blocked in `ch <- v` then waits forever: a leaked goroutine,
// once per early break. No test can see it; goleak reports it when the
// package ends. So the producer must select between sending and a quit
// channel, and the iterator must, however it ends, close quit and wait for
// the producer to return (a done channel it closes). "However it ends"
// includes a panic in the loop body, which passes up through the iterator:
// do the cleanup in a defer.
//
// The tests check: the samples in order (none for n = 0); sample runs on one
// goroutine that is not the loop's, the loop body on the loop's; each loop
// over the same iterator starts afresh (so start the goroutine inside the
// function Produce returns, not in Produce); a loop that breaks, and one
// whose body panics, see the right values and the panic; goleak checks that
// no producer is left.
//
// # Step 3: Filter, Map, Take: adapters that pass the early exit through
//
// Write Filter(seq, keep), Map(seq, f) and Take(seq, n). Each returns an
// iterator that ranges over seq and yields to its own caller. When its yield
// returns false, it must return from its loop over seq at once: that makes
// seq's yield return false in turn, so the early exit travels all the way
// back to M1 (and a producer behind it stops). An adapter that ignores yield's
// result keeps calling it, and Go panics. Take must stop after yielding the
// nth value without pulling another from seq (values may be expensive, as
// Produce's are), and must not even start seq when n <= 0.
//
// The tests check: the values each adapter yields; how many values Take and
// each adapter took from seq, also when the loop breaks early; a chain of
// adapters over Produce, ended by Take and by a break (goleak checks that the
// producer stopped).
//
// # Step 4: Zip, from push to pull without a leak
//
// A for loop can range over one iterator at a time. To walk two in step,
// turn them into pull iterators: next, stop := iter.Pull(seq) gives a next()
// that returns (v, true) for each value and (zero, false) at the end. To do
// this, iter.Pull runs seq on a goroutine of its own, suspended between calls
// of next. If seq has not finished, only stop ends it: forget stop and that
// goroutine stays, and so does everything seq holds (with Produce behind it,
// a producer goroutine). goleak reports both.
//
// Write Zip(as, bs), an iter.Seq2 over the pairs (a, b), until either runs
// out. Its caller cannot forget stop, because Zip never hands out next or
// stop: inside the function Zip returns, call iter.Pull on both, defer both
// stops right away, then yield pairs until either next reports false or
// yield returns false.
//
// The tests check: the pairs when both have the same length, when as or bs
// runs out first, and when as is empty; a loop that breaks and one whose body
// panics. goleak checks that nothing is left behind.
//
// # Read more
//
//   - Range over function types: https://go.dev/blog/range-functions
//   - The spec, for statements with range: https://go.dev/ref/spec#For_range
//   - Package iter (Seq, Seq2, Pull): https://pkg.go.dev/iter
//   - slices.Collect and slices.Values: https://pkg.go.dev/slices
//   - Defer, panic and recover: https://go.dev/blog/defer-panic-and-recover
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package iterators
