// Package bridges is exercise 06: the two worlds of this course joined. Module
// M1 has a callback API, a Source: you hand it onData, onError and onClose,
// and it calls them from its own goroutine. Module M2 would rather range over
// a channel. You build the bridge both ways: callbacks to a channel
// (ToChannel), and a channel to callbacks (FromChannel), and both must stop
// cleanly when a context is cancelled.
//
// Edit bridges.go at every // TODO, in step order, and run `make check` after
// each step. source.go gives you Msg, the Source interface and FakeSource, the
// source the tests drive: its Emit, Fail and Close call your callbacks on the
// caller's goroutine and return when they return, so a callback that blocks
// blocks the source. FakeSource keeps calling your callbacks after Close and
// after stop, as a real source racing its stop might: that is how the tests
// send late callbacks.
//
// # Step 1: ToChannel, callbacks become a stream
//
// Write ToChannel(ctx, src): make msgs and errs, call src.Start before
// returning (the caller may emit at once), and return the two channels.
// msgs carries every message, in order. errs is buffered (capacity 1) and
// gets the source's first error, if any; later errors are dropped. After
// onClose the bridge closes errs, then msgs, so a reader can write
//
//	for m := range msgs { ... }
//	err := <-errs // nil if the source reported no error
//
// The decision this package makes about a slow reader: back-pressure, with
// room for exactly one message. The bridge takes a message from onData and
// holds it until the reader receives it; while it holds one, the next onData
// blocks, and so does the source. With nobody reading, onData for the first
// message returns and onData for the second blocks until the reader takes
// the first. Nothing is dropped, nothing piles up.
//
// A design that gets this right: the three callbacks send what they receive
// (a small event struct: a message, an error, or "closed") on one unbuffered
// channel to one goroutine of yours, the pump. The pump is the only goroutine
// that sends on msgs and the only one that closes it. Because data and close
// travel through the same channel, in order, onClose can never overtake the
// last message. Beware of a separate "closed" signal that the pump selects
// on: when the reader is slow, the last message is still waiting to be sent
// when onClose arrives, and select picks the close.
//
// The tests check: messages in order, then both channels closed; the first
// error, once; that a slow reader blocks the source after one held message;
// and, with a slow reader, that the last message arrives before the close.
//
// # Step 2: cancellation, and no callback does harm after the end
//
// Cancelling ctx ends the stream: the bridge calls the source's stop, reports
// ctx.Err() on errs (unless the source had reported an error), and closes
// both channels, whether or not anyone is still reading. Three traps:
//
//   - A bare send, msgs <- m, waits for ever once the reader has gone. Every
//     send of the pump must select on ctx.Done() as well; otherwise the pump
//     is leaked, and goleak reports it when the tests end.
//   - A callback blocked handing its event to the pump must return when the
//     stream ends: select on a channel the pump closes as it finishes.
//   - After the stream has ended, a late onData, onError or onClose must
//     return at once and do nothing. Sending on a closed channel panics, even
//     inside a select: let only the pump send on and close msgs, and let the
//     callbacks select on that "finished" channel, which is never sent on.
//
// Close that "finished" channel before you call stop: a real source's stop may
// wait for its callbacks in flight, and they may be waiting for the pump.
//
// The tests check: after a cancel, the source is stopped, errs reports
// context.Canceled and msgs closes; with nobody reading, cancel stops the
// source and unblocks the callback it was blocked in (goleak then checks that
// your pump has gone too); late onData, onError and onClose after the end
// return at once, panic-free, and change nothing.
//
// # Step 3: FromChannel, a stream becomes callbacks
//
// Write FromChannel(ctx, in, onData, onDone): start one goroutine and return.
// That goroutine receives from in and calls onData(m) for each message, in
// order, then onDone exactly once: onDone(nil) when in is closed,
// onDone(ctx.Err()) when ctx is cancelled first. It makes every call itself,
// so the callbacks never overlap and nothing comes after onDone. Calling
// onDone from anywhere else (context.AfterFunc, another goroutine) races the
// onData still under way: onDone while onData runs, onData after onDone, or
// onDone twice. A message already received when ctx is cancelled may still be
// delivered; after onDone, nothing is.
//
// The tests check: the messages in order on one goroutine, then onDone(nil)
// once; after a cancel, onDone(context.Canceled) once and nothing after it,
// even when more messages arrive and in is closed later; and that onDone
// waits for an onData that is still running.
//
// # Read more
//
//   - Go Concurrency Patterns: Pipelines and cancellation: https://go.dev/blog/pipelines
//   - Go Concurrency Patterns: Context: https://go.dev/blog/context
//   - context: https://pkg.go.dev/context
//   - Select: https://go.dev/ref/spec#Select_statements
//   - Close, and sending on a closed channel: https://go.dev/ref/spec#Close
//   - testing/synctest, used by some of the tests (in its bubbles a goroutine
//     waiting for a sync.Mutex does not count as blocked: do not hold a mutex
//     while you wait on a channel): https://pkg.go.dev/testing/synctest
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package bridges
