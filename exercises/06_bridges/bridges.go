// Exercise 06: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step. Source, Msg and
// FakeSource are given in source.go.

package bridges

import "context"

// START TOCHANNEL OMIT

// ToChannel starts src and turns its callbacks into a stream: every message
// on msgs, in order; the source's first error (or ctx.Err() after a
// cancellation) on errs; both channels closed when the stream ends.
// Cancelling ctx stops the source and ends the stream.
func ToChannel(ctx context.Context, src Source) (msgs <-chan Msg, errs <-chan error) {
	// TODO(step 1): make the two channels, start src with three callbacks
	// that hand what they get to one goroutine of yours, and let that
	// goroutine send the messages on, in order, closing both channels after
	// onClose. The bridge may hold one message the reader has not taken yet;
	// onData must block while it holds one.

	// TODO(step 2): when ctx is cancelled, end the stream: stop the source,
	// report ctx.Err() on errs and close both channels, even if nobody is
	// reading any more. No send may wait for ever, and a callback arriving
	// after the end must return at once and do nothing.
	return nil, nil
}

// END TOCHANNEL OMIT

// START FROMCHANNEL OMIT

// FromChannel turns a channel into callbacks: on one goroutine of its own, it
// calls onData for each message received from in, in order, then onDone
// exactly once: onDone(nil) when in is closed, onDone(ctx.Err()) when ctx is
// cancelled first. It returns at once, and calls nothing after onDone.
func FromChannel(ctx context.Context, in <-chan Msg, onData func(Msg), onDone func(error)) {
	// TODO(step 3): start one goroutine that receives from in or notices
	// ctx.Done(), calls onData for each message and onDone once at the end.
}

// END FROMCHANNEL OMIT
