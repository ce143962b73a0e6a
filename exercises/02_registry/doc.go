// Package registry is exercise 02: one module emits, many subscribe, from many
// goroutines at once. Module M1 produces readings; modules M2 and M3 want to
// hear about each one. Each of them hands M1's Registry a function, a Handler,
// and M1 calls every handler with every Reading it emits: the callback of
// exercise 01, now with many subscribers that come and go while M1 runs.
//
// The catch is concurrency. M2 and M3 run on their own goroutines, so
// Subscribe, the unsubscribe functions and Emit are called from many
// goroutines at the same time; and a handler, which runs inside Emit, may
// itself call Subscribe or unsubscribe. The registry must stay correct,
// race-free and deadlock-free through all of it.
//
// Edit registry.go at every // TODO, in step order, and run `make check`
// after each step. Reading, Handler and the method signatures are given.
//
// # Step 1: Subscribe and Emit
//
// Give Registry a list of subscriptions, in subscription order. Subscribe(h)
// appends one; Emit(r) calls every subscribed handler with r, in the order
// they were subscribed, directly, on the goroutine that called Emit, and
// returns after the last call. Subscribing the same function twice makes two
// subscriptions: Emit then calls it twice. For now Subscribe may return an
// unsubscribe that does nothing, func() {}, but never nil.
//
// The tests check: the (handler, reading) calls of two Emits, in order; that
// the same function subscribed twice is called twice; that each handler gets
// the whole Reading, on the caller's goroutine, before Emit returns.
//
// # Step 2: unsubscribe removes exactly its own subscription
//
// The function Subscribe returns must remove that subscription, and only it:
// the other subscriptions keep their order, and a later Subscribe is not
// affected. Calling it a second time is safe and does nothing.
//
// Function values cannot be compared (== works only against nil), and the same
// function may be subscribed twice anyway, so do not search for the handler.
// Give each subscription an identity of its own instead: a pointer to a small
// struct holding the handler is one, a number from a counter is another. The
// unsubscribe closure captures it and removes that subscription if it is
// still there.
//
// The tests check: removing the first, a middle, the last and every
// subscription; one of two subscriptions of the same function; a second call
// of the same unsubscribe, also after a new Subscribe.
//
// # Step 3: many goroutines at once
//
// Subscribe, unsubscribe and Emit are called from many goroutines at the same
// time, so the list is shared memory. Guard it with a sync.Mutex in the
// Registry and hold it for every access: the writes in Subscribe and
// unsubscribe, and the read in Emit too. A read that races with a write is a
// data race as much as two writes are.
//
// The tests check: goroutines that subscribe, emit and unsubscribe at the same
// time, and call the same unsubscribe at the same time, lose no subscription
// and leave none behind; Emits from many goroutines each call every handler.
// The race detector checks the rest: it reports an unguarded slice or map,
// or an Emit that reads the list without the mutex, on every run of these
// tests. (Unguarded access can also crash first, with "concurrent map writes"
// or a nil pointer: the same bug, the same fix.)
//
// # Step 4: handlers that call back into the registry
//
// A handler may unsubscribe itself, or subscribe another handler, from inside
// Emit. If Emit holds the mutex while it calls the handlers, that call waits
// for a mutex its own goroutine holds: a sync.Mutex is not reentrant, so it
// waits forever, and the test times out. The same lock would also make every
// other goroutine's Subscribe wait for the slowest handler.
//
// So Emit must not hold the lock while it calls the handlers. Under the lock,
// take a snapshot: a copy of the list, not the same slice (removing from the
// list would otherwise shift the elements under the loop that walks it).
// Unlock, then call the handlers from the snapshot. This decides what a
// handler sees, and the tests hold you to it:
//
//   - An Emit calls exactly the handlers of its snapshot, each once, in order,
//     whatever those handlers subscribe or unsubscribe meanwhile.
//   - A handler subscribed during an Emit is first called by the next Emit.
//   - A handler unsubscribed during an Emit may still be called by that Emit,
//     the one already in progress (it is in its snapshot). Once unsubscribe
//     has returned, no Emit that starts later calls it.
//   - Subscribe and unsubscribe never wait for a handler to return.
//
// The tests check: a handler that unsubscribes itself, one that subscribes
// another, one that unsubscribes another; and, while one goroutine's Emit is
// inside a slow handler, that another Emit calls every handler and that an
// unsubscribe returns, without waiting. The first three call Emit with no
// safety net: if it deadlocks, the checker stops the tests after the
// exercise's time limit (10 seconds) and shows where the goroutine is blocked.
//
// # Read more
//
//   - Function types and comparison: https://go.dev/ref/spec#Comparison_operators
//   - sync.Mutex: https://pkg.go.dev/sync#Mutex
//   - The race detector: https://go.dev/doc/articles/race_detector
//   - The Go memory model: https://go.dev/ref/mem
//   - slices.Clone: https://pkg.go.dev/slices#Clone
package registry
