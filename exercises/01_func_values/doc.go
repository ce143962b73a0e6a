// Package funcvalues is exercise 01: callbacks, the way threads of one
// process are meant to talk. Module M1 (a Store) owns a large slice of
// readings; module M2 wants to compute on them. Instead of M1 sending M2 a
// copy of the data, M2 hands M1 a function and M1 calls it: the computation
// travels to the data. Nothing is copied, no channel or kernel object is
// involved: it is one function calling another, on the same goroutine.
//
// Edit funcvalues.go at every // TODO, in step order, and run `make check`
// after each step. Store, NewStore, Change and Audit are given: note that
// NewStore keeps the very slice it is given, it does not copy it.
//
// # Step 1: Each, the callee sees the caller's data
//
// Write (*Store).Each(fn): call fn(i, v) for every reading, in index order.
// Call fn directly, on the goroutine that called Each, and return only after
// the last call. A function value is called like any function: fn(i, v).
//
// The tests check: the (index, value) pairs fn saw, in order; that every
// call happened before Each returned, on the caller's goroutine.
//
// # Step 2: Apply, the computation moves to the data
//
// Write (*Store).Apply(fn): replace every reading, in place, by fn(reading).
// Write into the slice the store holds; do not build a new one. That is the
// point of a callback: M2's computation runs where M1's data already is.
//
// The tests check: the slice the caller passed to NewStore sees the new
// values (a copy would leave it unchanged), and Apply allocates nothing
// (testing.AllocsPerRun reports 0 allocations per call).
//
// # Step 3: OnChange and Set, M1 calls M2 back
//
// Write (*Store).OnChange(h): remember h as the store's change handler;
// a later OnChange replaces it, and OnChange(nil) unregisters it.
// Write (*Store).Set(i, v): store v at index i and, only if the value really
// changed, call the handler with (i, old, new), before Set returns. With no
// handler registered, Set just stores: calling a nil function value panics,
// so check it first.
//
// The tests check: the value is stored; the handler sees exactly the changes
// (setting a reading to the value it already has is not a change); it runs
// synchronously on the caller's goroutine; OnChange(nil) stops the calls.
//
// # Step 4: Connect, a method value is a callback with a receiver
//
// Write (*Audit).Record(i, old, new): append Change{i, old, new} to
// a.Changes. Then write Connect(s, a): register a.Record with s.OnChange.
// The expression a.Record, without calling it, is a method value: a function
// value that has captured the receiver a. Because a is a *Audit, the handler
// holds the pointer, so every call appends to the Audit the caller owns. Had
// it captured a copy of the Audit, the caller's Audit would stay empty.
//
// The tests check: Record appends in order; after Connect, each change made
// with Set shows up in the caller's Audit, and nothing else does.
//
// # Step 5: Max, a closure carries the callback's state
//
// Write Max(s): the largest reading, computed with s.Each and a closure.
// Declare a local variable for the running maximum and pass Each a function
// literal that updates it: the closure captures the variable itself, not its
// value, so after Each returns the variable holds the answer. Start it at
// math.Inf(-1), which is also what Max returns for an empty store (starting at
// 0 would be wrong when every reading is negative).
//
// The tests check: Max for positive, negative and single readings, and
// math.Inf(-1) for an empty store.
//
// # Read more
//
//   - Function values: https://go.dev/tour/moretypes/24
//   - Closures: https://go.dev/tour/moretypes/25
//   - Function types: https://go.dev/ref/spec#Function_types
//   - Method values: https://go.dev/ref/spec#Method_values
//   - Slices share their array: https://go.dev/blog/slices-intro
//   - testing.AllocsPerRun: https://pkg.go.dev/testing#AllocsPerRun
package funcvalues
