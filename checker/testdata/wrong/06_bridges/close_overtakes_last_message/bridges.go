// Known-wrong answer for exercise 06: onClose takes a shortcut past the pump's events,
// so with a slow reader the close overtakes the last message (status: failed).
// See the WRONG comments below.

package bridges

import (
	"context"
	"sync"
)

// event is one callback of the source, as the pump goroutine receives it.
type event struct {
	kind eventKind
	msg  Msg   // kind data
	err  error // kind failure
}

type eventKind int

const (
	data eventKind = iota
	failure
	closing
)

// ToChannel starts src and turns its callbacks into a stream: every message
// on msgs, in order; the source's first error (or ctx.Err() after a
// cancellation) on errs; both channels closed when the stream ends.
// Cancelling ctx stops the source and ends the stream.
func ToChannel(ctx context.Context, src Source) (msgs <-chan Msg, errs <-chan error) {
	out := make(chan Msg)
	errc := make(chan error, 1) // room for the one error: the pump never waits on it
	events := make(chan event)  // unbuffered: a callback returns once the pump has its event
	done := make(chan struct{}) // closed when the stream has ended
	// WRONG: onClose closes its own channel instead of queueing behind
	// the messages. The pump may still hold the last message when it does.
	closed := make(chan struct{})
	var closeOnce sync.Once

	// Decision 1: the callbacks never touch out. They hand their event to
	// the pump, the one goroutine that sends on out and the only one that
	// closes it, so no send can ever meet a closed channel. Data, error and
	// close travel through the same channel, so onClose cannot overtake the
	// last message. Once done is closed, a late callback returns at once.
	deliver := func(ev event) {
		select {
		case events <- ev:
		case <-done:
		}
	}
	stop := src.Start(
		func(m Msg) { deliver(event{kind: data, msg: m}) },
		func(err error) { deliver(event{kind: failure, err: err}) },
		func() { closeOnce.Do(func() { close(closed) }) },
	)

	go func() {
		err, cancelled := pump(ctx, events, closed, out)
		// done first: a source's stop may wait for its callbacks in flight,
		// and those may be waiting in deliver.
		close(done)
		if cancelled {
			stop()
		}
		if err != nil {
			errc <- err
		}
		close(errc) // before out: a reader whose range loop ends finds errs ready
		close(out)
	}()
	return out, errc
}

// pump forwards the source's events until onClose or cancellation. It
// returns the error to report (the source's first error, else ctx.Err() if
// cancelled) and whether ctx ended the stream.
func pump(ctx context.Context, events <-chan event, closed <-chan struct{}, out chan<- Msg) (err error, cancelled bool) {
	var srcErr error
	onCancel := func() (error, bool) {
		if srcErr != nil {
			return srcErr, true
		}
		return ctx.Err(), true
	}
	for {
		select {
		case <-ctx.Done():
			return onCancel()
		case <-closed:
			return srcErr, false
		case ev := <-events:
			switch ev.kind {
			case data:
				// Decision 2: never a bare `out <- ev.msg`. If the reader
				// has gone, only ctx can end this send; without the select
				// this goroutine would wait for ever: a leak.
				select {
				case out <- ev.msg:
				case <-closed: // WRONG: the close wins while the reader is slow
					return srcErr, false
				case <-ctx.Done():
					return onCancel()
				}
			case failure:
				if srcErr == nil {
					srcErr = ev.err
				}
			case closing:
				return srcErr, false
			}
		}
	}
}

// FromChannel turns a channel into callbacks: on one goroutine of its own, it
// calls onData for each message received from in, in order, then onDone
// exactly once: onDone(nil) when in is closed, onDone(ctx.Err()) when ctx is
// cancelled first. It returns at once, and calls nothing after onDone.
func FromChannel(ctx context.Context, in <-chan Msg, onData func(Msg), onDone func(error)) {
	// Decision: every callback, onDone included, is made by this one
	// goroutine. So they never overlap, come in order, and onDone, made
	// just before the goroutine returns, is necessarily the last. Calling
	// onDone from anywhere else (a context.AfterFunc, say) would race the
	// onData calls still under way.
	go func() {
		for {
			if err := ctx.Err(); err != nil { // cancelled: deliver nothing more
				onDone(err)
				return
			}
			select {
			case <-ctx.Done():
				onDone(ctx.Err())
				return
			case m, ok := <-in:
				if !ok {
					onDone(nil)
					return
				}
				onData(m)
			}
		}
	}()
}
