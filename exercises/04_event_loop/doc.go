// Package eventloop is exercise 04: the event loop, the "main thread" pattern
// of GUI toolkits and node.js. Module M1 owns some state. Instead of M2 and M3
// touching that state from their own goroutines (and needing a lock), they
// post functions to M1's loop: one goroutine that runs the posted callbacks
// one at a time, in order. Every callback runs on that one goroutine, so M1's
// state has exactly one owner and needs no lock at all. The data stays where
// it is; the computation is sent to the goroutine that owns it.
//
// Edit eventloop.go at every // TODO, in step order, and run `make check`
// after each step. ErrStopped and the helper goroutineID are given; the
// fields of Loop are yours to choose.
//
// # Step 1: Start and Post, one goroutine runs the callbacks in order
//
// Write Start: make a Loop, start its goroutine, and return the Loop. Write
// (*Loop).Post(fn): queue fn for the loop goroutine and return nil at once.
// The loop goroutine takes the callbacks off the queue in the order they were
// posted and calls each one, one at a time, never two at once: the next
// starts only after the previous has returned. Every callback runs on that
// same goroutine; never start a goroutine per callback.
//
// A callback may Post more callbacks: they join the end of the queue and run
// after the current callback has returned, not inside it. So Post must never
// block, not even when a callback posts ten thousand callbacks at once: a
// channel with a buffer is not enough (once it is full, the loop goroutine
// would wait on itself for ever). Keep the queue in a slice guarded by a
// sync.Mutex, and wake the loop goroutine when something arrives, for example
// with a sync.Cond, or a channel of capacity 1 that Post sends on without
// blocking (select with a default case).
//
// The tests check: callbacks run in posting order; all on one goroutine that
// is not the caller's; from many posters at once they never overlap and each
// poster's callbacks keep their order; a callback's posts run after it; Post
// does not block when a callback posts 10 000 callbacks.
//
// # Step 2: Stop drains the queue, then ends the loop goroutine
//
// Write (*Loop).Stop: from now on Post returns ErrStopped (and queues
// nothing); everything posted before Stop still runs, in order; then the loop
// goroutine returns, and only then does Stop return. Stop is idempotent: a
// second call, or calls from many goroutines at once, return once the loop
// goroutine has exited, and never panic. A Post that races with Stop either
// returns nil, and then its callback runs before Stop returns, or returns
// ErrStopped: it never panics and never loses a callback.
//
// Mark the loop stopped under the same mutex that guards the queue: then
// "stopped" and "queued" can never disagree. The loop goroutine returns when
// the queue is empty and the loop is stopped, and closes a done channel as it
// returns; Stop waits for that channel. (Closing the queue channel in Stop,
// while posters may still send on it, is what makes Post panic.)
//
// The tests check: with the loop busy and callbacks waiting, Stop does not
// return until all of them have run, and Post already returns ErrStopped;
// after Stop, Post returns ErrStopped and the callback never runs; Stop twice
// and concurrently; many goroutines posting while Stop is called: no panic,
// and every accepted callback ran, in its poster's order.
//
// # Step 3: Sync runs fn on the loop and waits for it
//
// Write (*Loop).Sync(fn): post fn and wait until the loop goroutine has run
// it, then return nil. Because fn joins the queue like any callback, it runs
// after everything posted before it, and never while another callback runs.
// After Stop, Sync returns ErrStopped without running fn. Hint: post a
// closure that calls fn and then closes a channel Sync is waiting on.
//
// The tests check: fn ran on the loop goroutine before Sync returned; it ran
// after every callback posted before it; Sync waits while another callback
// is still running; Sync after Stop returns ErrStopped.
//
// # Step 4: Sync and Stop from inside the loop
//
// A callback that calls Sync is running on the loop goroutine. Your step 3
// Sync would post fn and wait for the loop goroutine to run it, but the loop
// goroutine is the one waiting: it never gets to fn, and the program hangs
// for ever. It is a classic: dispatch_sync onto the main queue from the main
// queue does exactly this on Apple's platforms.
//
// There are two honest answers: run fn inline, right there, or refuse with an
// error such as ErrReentrant. This exercise runs it inline, because that
// keeps Sync's promise exactly: when Sync returns, fn has run on the loop
// goroutine, alone (the callback that called Sync is paused inside the call,
// so nothing else is running). A refusal would push the problem onto every
// caller: a helper that uses Sync would need a second code path for the days
// it is called from a callback. GLib's g_main_context_invoke and Android's
// Handler.runWithScissors make the same choice. The price, which you should
// know: an inline fn runs before callbacks that are already queued, so
// "Sync runs after everything posted before it" holds only for Sync from
// outside the loop.
//
// So Sync must know whether it is called on the loop goroutine. Go does not
// expose goroutine ids, on purpose: code that depends on which goroutine runs
// it is usually a mistake. This is the rare exception, so goroutineID is
// given: let the loop goroutine record its own id before Start returns, and
// let Sync compare. A flag such as "a callback is running" is not the same
// thing: it is also true while another goroutine calls Sync, and running that
// goroutine's fn inline would run it beside the current callback.
//
// Stop has the same problem: a callback cannot wait for its own goroutine to
// exit. Stop called on the loop goroutine marks the loop stopped and returns
// at once; the loop goroutine finishes what was queued and then exits.
//
// The tests check: a callback's Sync returns nil after running fn inline, on
// the loop goroutine, and the loop still works afterwards; a callback's Stop
// returns, the callbacks queued before it still run, and the loop ends. The
// first test does not bound its wait: a Sync that deadlocks makes the whole
// test binary hit its time limit, and the checker reports a timeout with the
// goroutines that were stuck.
//
// # Read more
//
//   - sync.Mutex and sync.Cond: https://pkg.go.dev/sync
//   - The Go memory model: https://go.dev/ref/mem
//   - testing/synctest, used by the tests to know when the loop is idle:
//     https://pkg.go.dev/testing/synctest and https://go.dev/blog/synctest
//   - The event loop in node.js:
//     https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick
//   - Why Go has no goroutine ids: https://go.dev/doc/faq#no_goroutine_id
package eventloop
