// Exercise 05: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package iterators

import "iter"

// Log is module M1: it records readings, in order, and lets other modules
// range over them.
type Log struct {
	readings []int
}

// NewLog returns a Log holding readings. It keeps the slice it is given.
func NewLog(readings ...int) *Log {
	return &Log{readings: readings}
}

// Record appends one reading to the log.
func (l *Log) Record(v int) {
	l.readings = append(l.readings, v)
}

// START READINGS OMIT

// Readings returns an iterator over the log's readings, in order:
//
//	for v := range log.Readings() { ... }
//
// The loop body is the yield function. When the loop stops early (break,
// return), yield returns false and the iterator must return at once.
func (l *Log) Readings() iter.Seq[int] {
	return func(yield func(int) bool) {
		// TODO(step 1): yield every reading in order; return as soon as
		// yield returns false, and never call yield again after that.
	}
}

// END READINGS OMIT

// START PRODUCE OMIT

// Produce returns an iterator over sample(0), sample(1), …, sample(n-1).
// Each loop over it starts one producer goroutine that calls sample, in
// order, and sends each result on a channel; the iterator receives them and
// yields them on the loop's own goroutine. When the loop ends, however it
// ends (done, break, or a panic in its body), the producer has returned.
func Produce(n int, sample func(i int) int) iter.Seq[int] {
	return func(yield func(int) bool) {
		// TODO(step 2): start the producer goroutine here (not in Produce:
		// every loop gets its own), yield what it sends, and when the loop
		// ends, tell the producer to stop and wait until it has returned.
	}
}

// END PRODUCE OMIT

// Filter returns an iterator over the values of seq for which keep is true.
func Filter[V any](seq iter.Seq[V], keep func(V) bool) iter.Seq[V] {
	return func(yield func(V) bool) {
		// TODO(step 3): range over seq, yield the values keep accepts, and
		// stop ranging over seq as soon as yield returns false.
	}
}

// Map returns an iterator over f(v) for every value v of seq.
func Map[V, W any](seq iter.Seq[V], f func(V) W) iter.Seq[W] {
	return func(yield func(W) bool) {
		// TODO(step 3): yield f(v) for every v of seq; stop when yield
		// returns false.
	}
}

// Take returns an iterator over the first n values of seq (all of them if
// seq has fewer; none if n <= 0). It takes no more than n values from seq.
func Take[V any](seq iter.Seq[V], n int) iter.Seq[V] {
	return func(yield func(V) bool) {
		// TODO(step 3): yield the first n values of seq, then stop ranging
		// over seq; stop early too when yield returns false.
	}
}

// START ZIP OMIT

// Zip returns an iterator over pairs (a, b): the first value of as with the
// first of bs, the second with the second, and so on, until either runs out.
//
//	for a, b := range Zip(as, bs) { ... }
//
// It pulls from as and bs with iter.Pull. However the loop ends (either
// iterator runs out, break, or a panic in the loop body), Zip calls both
// stop functions, so that neither iterator is left suspended.
func Zip[A, B any](as iter.Seq[A], bs iter.Seq[B]) iter.Seq2[A, B] {
	return func(yield func(A, B) bool) {
		// TODO(step 4): next, stop := iter.Pull(...) for as and for bs, here
		// inside the iterator; defer both stops; then yield pairs until
		// either next reports false or yield returns false.
	}
}

// END ZIP OMIT
