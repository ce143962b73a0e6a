// Package sharedstate is exercise 11: shared memory, the ordinary way. The
// goroutines of one process already share one address space, so M1 can
// simply write its readings into a structure that M2 and M3 read. No kernel
// is involved, nothing is copied on the way and there is nothing to open or
// close: the cost moves into synchronisation. Every access to memory that
// another goroutine may write must be ordered with that write, by a lock, an
// atomic operation or a channel; two accesses that nothing orders, one of
// them a write, are a data race, and a racy program has no meaning you can
// rely on. Go's race detector finds them, and the tests run under it.
//
// You build the three tools of shared memory, one per step: a mutex around a
// structure, atomic counters, and a condition that goroutines wait for.
// Edit sharedstate.go at every // TODO, in step order, and run `make check`
// after each step. The types, the method signatures and ErrClosed are given.
//
// # Step 1: a structure guarded by a mutex
//
// Stats holds one Summary per sensor: how many readings, their sum, the
// smallest and the largest. M1 calls Add(sensor, v); M2 calls Get(sensor);
// M3 calls Snapshot(), which returns every sensor's Summary. Keep a
// map[string]Summary, and guard it with a sync.Mutex that every method
// holds for its whole access to the map: Add for the whole read-update-write
// of one Summary, Get and Snapshot for their reads too, because a read that
// races with a write is a data race as much as two writes are. A
// sync.RWMutex, whose readers take RLock and may overlap, passes as well.
// Min and Max start at the first reading, not at 0.
//
// Snapshot returns a copy of the map made under the lock (maps.Clone), and an
// empty map, not nil, when there is no reading yet. Never the map itself:
// the lock guards only what happens while it is held, and once Snapshot has
// returned, the caller would read and write the Stats's own map with no lock
// at all while Add writes it under the lock. Nothing orders the two. The copy
// is whole here because Summary holds plain numbers; a value holding a
// slice, a map or a pointer would need those copied too.
//
// The tests check: the summaries after a series of Adds; Get of a known and
// of an unknown sensor; that a Snapshot is the caller's own (writing to it
// changes nothing in the Stats, later Adds change nothing in it); then two
// goroutines at once, M1 adding while a second M1 adds, while M2 calls Get,
// while M3 calls Snapshot; and a caller writing to its snapshot while
// another goroutine adds. The race detector reports an unguarded map, a Get
// or a Snapshot that reads without the lock, and a Snapshot that returns the
// map itself, on every run. (These tests run their goroutines on one
// processor, runtime.GOMAXPROCS(1): the race detector needs no parallelism,
// and an unguarded map is then reported as a race instead of sometimes
// crashing first with "concurrent map writes".)
//
// # Step 2: counters with sync/atomic
//
// A mutex for one number is more than you need: the processor can add to a
// word, or swap it, in one indivisible step. Counter counts events: Inc adds
// one and returns the new count, Load reads it. Use an atomic.Int64 and its
// Add(1), which returns the new value: every Inc then gets a number of its
// own. n++ on a plain int64 is three steps, a load, an add and a store;
// goroutines interleave them and lose increments, and the race detector
// reports it.
//
// Peak keeps the largest value observed so far. Observe(v) must raise the
// peak only if v is larger, and report whether it did. "Load, compare,
// Store" is three steps again: another goroutine can raise the peak between
// your Load and your Store, and your Store lowers it. CompareAndSwap(old, new)
// stores new only if the value is still old and says whether it did: load,
// return false if v is not larger, CompareAndSwap, and loop when it fails
// because somebody moved the peak meanwhile.
//
// The tests check: 8 goroutines calling Inc at once get every number from 1
// to 4000 exactly once while another goroutine's Load never goes down;
// Observe's results and the peak for several series; 8 goroutines observing
// 1..2000 at once leave the peak at 2000.
//
// # Step 3: waiting for a condition with sync.Cond
//
// M2 needs to wait until M1 has produced at least n items. Polling the count
// in a loop burns a processor; sleeping between polls is late. A sync.Cond
// lets a goroutine sleep until another one says "something changed". Build
// Progress: a count and a closed flag, guarded by a sync.Mutex, and a
// sync.Cond made with sync.NewCond(&p.mu). Advance(k) adds k and wakes the
// waiters; WaitFor(n) waits until the count is at least n; Close wakes
// everybody for good.
//
// Three rules make a Cond correct, and the tests hold you to each:
//
//   - Wait in a for loop, never an if: for p.count < n && !p.closed {
//     p.cond.Wait() }. Wait unlocks the mutex, sleeps, and locks it again
//     before it returns; waking means only that something changed, maybe not
//     what this waiter waits for, so check again.
//   - Broadcast, not Signal, when waiters wait for different things. Signal
//     wakes one waiter, the one that has waited longest: if its target is
//     still ahead it goes back to sleep, and a waiter whose target is reached
//     sleeps on.
//   - Give every wait a way out. Close sets closed and broadcasts, and the
//     loop stops on closed: WaitFor then returns the count and ErrClosed (or
//     nil, if the target is reached anyway). Without it, a waiter whose
//     target never comes is blocked for ever: a leaked goroutine. After
//     Close, Advance does nothing; a second Close does nothing either.
//
// The tests check, in a testing/synctest bubble, where synctest.Wait()
// returns once every other goroutine is blocked (sync.Cond.Wait counts), so
// that the test knows a waiter really sleeps: WaitFor(5) still waits after
// Advance(2) and returns (5, nil) after Advance(3); waiters for 10, 3 and 3
// started in that order, then Advance(3), wakes both waiters for 3 and not
// the one for 10; Close releases waiters for 5 and 10 with (2, ErrClosed);
// after Close, WaitFor returns at once. And, outside the bubble, 4 goroutines
// advancing while 8 wait for targets up to the total. Each bubble closes its
// Progress as it ends: if Close wakes nobody, a waiter is still blocked then,
// and synctest stops the tests with a panic: "deadlock: main bubble
// goroutine has exited but blocked goroutines remain".
//
// # Read more
//
//   - The Go memory model: https://go.dev/ref/mem
//   - The race detector: https://go.dev/doc/articles/race_detector
//   - sync.Mutex and sync.RWMutex: https://pkg.go.dev/sync#Mutex
//   - maps.Clone: https://pkg.go.dev/maps#Clone
//   - atomic.Int64: https://pkg.go.dev/sync/atomic#Int64
//   - sync.Cond: https://pkg.go.dev/sync#Cond
//   - testing/synctest: https://pkg.go.dev/testing/synctest
package sharedstate
