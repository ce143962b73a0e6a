// Known-wrong answer for exercise 06: the callbacks send on msgs themselves,
// under a mutex that keeps the send and the close apart, but a late onData
// after the close still sends on the closed channel (status: failed: the
// tests catch the panic).
// See the WRONG comments below.

package bridges

import (
	"context"
	"sync"
)

// ToChannel starts src and turns its callbacks into a stream: every message
// on msgs, in order; the source's first error (or ctx.Err() after a
// cancellation) on errs; both channels closed when the stream ends.
// Cancelling ctx stops the source and ends the stream.
func ToChannel(ctx context.Context, src Source) (msgs <-chan Msg, errs <-chan error) {
	out := make(chan Msg, 1) // the one message the bridge may hold
	errc := make(chan error, 1)
	// mu orders every send on out before or after its close, so the two
	// never race. It does not stop a send that comes after the close.
	var (
		mu     sync.Mutex
		srcErr error
		ended  bool
	)
	end := func(err error) { // with mu held
		if ended {
			return
		}
		ended = true
		if err != nil {
			errc <- err
		}
		close(errc)
		close(out)
	}
	// START LATE OMIT
	onData := func(m Msg) {
		mu.Lock()
		defer mu.Unlock()
		select {
		case out <- m: // WRONG: after end has closed out, this panics
		case <-ctx.Done():
		}
	}
	onClose := func() {
		mu.Lock()
		defer mu.Unlock()
		end(srcErr)
	}
	// END LATE OMIT
	onError := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if srcErr == nil {
			srcErr = err
		}
	}
	stop := src.Start(onData, onError, onClose)
	context.AfterFunc(ctx, func() {
		stop()
		mu.Lock()
		defer mu.Unlock()
		if srcErr != nil {
			end(srcErr)
		} else {
			end(ctx.Err())
		}
	})
	return out, errc
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
