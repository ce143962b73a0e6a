// Exercise 05, solved. The task is in exercises/05_iterators/doc.go.

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

// Readings returns an iterator over the log's readings, in order:
//
//	for v := range log.Readings() { ... }
//
// The loop body is the yield function. When the loop stops early (break,
// return), yield returns false and the iterator must return at once.
func (l *Log) Readings() iter.Seq[int] {
	return func(yield func(int) bool) {
		// Read l.readings now, when the loop runs, not when Readings was
		// called: a Seq is a function, and nothing happens until it is ranged.
		for _, v := range l.readings {
			if !yield(v) {
				return // the loop broke: calling yield again would panic
			}
		}
	}
}

// Produce returns an iterator over sample(0), sample(1), …, sample(n-1).
// Each loop over it starts one producer goroutine that calls sample, in
// order, and sends each result on a channel; the iterator receives them and
// yields them on the loop's own goroutine. When the loop ends, however it
// ends (done, break, or a panic in its body), the producer has returned.
func Produce(n int, sample func(i int) int) iter.Seq[int] {
	return func(yield func(int) bool) {
		values := make(chan int)    // producer -> loop, unbuffered: one step ahead
		quit := make(chan struct{}) // closed by the iterator: "stop now"
		done := make(chan struct{}) // closed by the producer as it returns
		go func() {
			defer close(done)
			defer close(values)
			for i := range n {
				v := sample(i)
				// Never block on the send alone: once the loop has broken,
				// nobody receives again, and only quit can free the producer.
				select {
				case values <- v:
				case <-quit:
					return
				}
			}
		}()
		// Decision: stop the producer in a defer. It runs however this
		// function ends: the producer ran out, the loop broke (yield returned
		// false), or the loop body panicked (the panic passes through here).
		// Waiting for done means that when the loop ends, sample is no
		// longer running and no goroutine is left behind.
		defer func() {
			close(quit)
			<-done
		}()
		for v := range values {
			if !yield(v) { // called here, on the loop's goroutine
				return
			}
		}
	}
}

// Filter returns an iterator over the values of seq for which keep is true.
func Filter[V any](seq iter.Seq[V], keep func(V) bool) iter.Seq[V] {
	return func(yield func(V) bool) {
		for v := range seq {
			// Returning from this loop body is what tells seq to stop:
			// the early exit passes through to whoever produces.
			if keep(v) && !yield(v) {
				return
			}
		}
	}
}

// Map returns an iterator over f(v) for every value v of seq.
func Map[V, W any](seq iter.Seq[V], f func(V) W) iter.Seq[W] {
	return func(yield func(W) bool) {
		for v := range seq {
			if !yield(f(v)) {
				return
			}
		}
	}
}

// Take returns an iterator over the first n values of seq (all of them if
// seq has fewer; none if n <= 0). It takes no more than n values from seq.
func Take[V any](seq iter.Seq[V], n int) iter.Seq[V] {
	return func(yield func(V) bool) {
		if n <= 0 {
			return // do not even start seq
		}
		taken := 0 // per loop: each range over Take starts again
		for v := range seq {
			if !yield(v) {
				return
			}
			// Count after yielding and stop at n, so the (n+1)th value is
			// never pulled from seq.
			if taken++; taken == n {
				return
			}
		}
	}
}

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
		// Decision: pull inside the iterator, and defer stop right after
		// each Pull. iter.Pull runs its iterator on a goroutine of its own
		// that stays suspended until the iterator finishes or stop is
		// called; with Produce behind it, a producer goroutine waits too.
		// The defers release both on every path: as or bs ran out, the
		// loop broke, or its body panicked.
		nextA, stopA := iter.Pull(as)
		defer stopA()
		nextB, stopB := iter.Pull(bs)
		defer stopB()
		for {
			a, ok := nextA()
			if !ok {
				return
			}
			b, ok := nextB()
			if !ok {
				return
			}
			if !yield(a, b) {
				return
			}
		}
	}
}
