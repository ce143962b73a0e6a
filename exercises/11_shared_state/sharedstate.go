// Exercise 11: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package sharedstate

import "errors"

// Step 1: a structure shared by goroutines, guarded by a mutex.

// START SUMMARY OMIT

// Summary aggregates the readings of one sensor.
type Summary struct {
	Count    int     // how many readings
	Sum      float64 // their sum
	Min, Max float64 // the smallest and the largest; 0 while Count is 0
}

// END SUMMARY OMIT

// Stats is the table M1 writes and M2 and M3 read: one Summary per sensor.
// Add, Get and Snapshot may be called from many goroutines at once.
type Stats struct {
	// TODO(step 1): the summaries, one per sensor name, and a sync.Mutex
	// (or sync.RWMutex) that guards them.
}

// NewStats returns an empty Stats.
func NewStats() *Stats {
	// TODO(step 1): make the map.
	return &Stats{}
}

// START STATS OMIT

// Add records one reading v of the named sensor (M1 calls it).
func (s *Stats) Add(sensor string, v float64) {
	// TODO(step 1): update the sensor's Summary, under the lock.
}

// Get returns the Summary of one sensor, and false if it has no reading yet.
func (s *Stats) Get(sensor string) (Summary, bool) {
	// TODO(step 1): read it under the lock.
	return Summary{}, false
}

// Snapshot returns every sensor's Summary. The map is the caller's own: it
// may keep it, read it and change it while other goroutines call Add.
func (s *Stats) Snapshot() map[string]Summary {
	// TODO(step 1): return a copy of the map made under the lock, never the
	// map itself; an empty map, not nil, when there is no reading yet.
	return nil
}

// END STATS OMIT

// Step 2: counters without a lock, with sync/atomic.

// START COUNTER OMIT

// Counter counts events; M1 calls Inc, M2 and M3 call Load, all at once.
// The zero Counter is ready to use; do not copy a Counter once used.
type Counter struct {
	// TODO(step 2): an atomic.Int64.
}

// Inc adds one and returns the new count: every call gets its own number.
func (c *Counter) Inc() int64 {
	// TODO(step 2): one atomic operation that adds and returns.
	return 0
}

// Load returns the count.
func (c *Counter) Load() int64 {
	// TODO(step 2)
	return 0
}

// Peak is the largest non-negative value observed so far, such as the
// deepest a queue has been. The zero Peak is ready to use and holds 0.
type Peak struct {
	// TODO(step 2): an atomic.Int64.
}

// Observe records v and reports whether v raised the peak, that is whether v
// is larger than every value observed before it.
func (p *Peak) Observe(v int64) bool {
	// TODO(step 2): raise the peak to v if v is larger, without ever
	// lowering what another goroutine stored meanwhile (doc.go, step 2).
	return false
}

// Load returns the peak.
func (p *Peak) Load() int64 {
	// TODO(step 2)
	return 0
}

// END COUNTER OMIT

// Step 3: waiting for a condition, with sync.Cond.

// ErrClosed is what WaitFor returns when the Progress was closed before the
// count reached the caller's target.
var ErrClosed = errors.New("sharedstate: progress closed")

// START PROGRESS OMIT

// Progress counts the items M1 has produced; M2 and M3 wait until it has
// produced enough of them. All methods may be called from many goroutines.
type Progress struct {
	// TODO(step 3): a sync.Mutex, a *sync.Cond built on it, the count and a
	// closed flag.
}

// NewProgress returns a Progress at count 0.
func NewProgress() *Progress {
	// TODO(step 3): build the Cond on the Progress's own mutex.
	return &Progress{}
}

// Advance adds k items to the count and wakes the waiters (M1 calls it).
// After Close it does nothing.
func (p *Progress) Advance(k int) {
	// TODO(step 3): add under the lock, then wake every waiter: each checks
	// its own target.
}

// WaitFor blocks until the count is at least n and returns it with a nil
// error; or, if the Progress is closed first, returns the count and ErrClosed.
func (p *Progress) WaitFor(n int) (int, error) {
	// TODO(step 3): wait on the Cond until one of the two is true, checking
	// again each time you wake up.
	return 0, nil
}

// Close wakes every waiter for good: WaitFor returns ErrClosed from now on
// unless its target is already reached. Calling Close again does nothing.
func (p *Progress) Close() {
	// TODO(step 3): set the flag under the lock and wake every waiter.
}

// END PROGRESS OMIT
