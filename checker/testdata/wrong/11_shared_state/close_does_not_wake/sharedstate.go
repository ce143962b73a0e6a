// Known-wrong answer for exercise 11 (see the WRONG comment below).

package sharedstate

import (
	"errors"
	"maps"
	"sync"
	"sync/atomic"
)

// Step 1: a structure shared by goroutines, guarded by a mutex.

// Summary aggregates the readings of one sensor.
type Summary struct {
	Count    int     // how many readings
	Sum      float64 // their sum
	Min, Max float64 // the smallest and the largest; 0 while Count is 0
}

// Stats is the table M1 writes and M2 and M3 read: one Summary per sensor.
// Add, Get and Snapshot may be called from many goroutines at once.
type Stats struct {
	mu      sync.RWMutex       // guards sensors
	sensors map[string]Summary // Summary values, not pointers: see Snapshot
}

// NewStats returns an empty Stats.
func NewStats() *Stats {
	return &Stats{sensors: map[string]Summary{}}
}

// Add records one reading v of the named sensor (M1 calls it).
func (s *Stats) Add(sensor string, v float64) {
	// Decision 1: the read, the update and the write back happen under one
	// lock, so two Adds never lose one another's reading and no reader sees
	// the map half written.
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := s.sensors[sensor]
	if sum.Count == 0 || v < sum.Min {
		sum.Min = v
	}
	if sum.Count == 0 || v > sum.Max {
		sum.Max = v
	}
	sum.Count++
	sum.Sum += v
	s.sensors[sensor] = sum
}

// Get returns the Summary of one sensor, and false if it has no reading yet.
func (s *Stats) Get(sensor string) (Summary, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sum, ok := s.sensors[sensor]
	return sum, ok
}

// Snapshot returns every sensor's Summary. The map is the caller's own: it
// may keep it, read it and change it while other goroutines call Add.
func (s *Stats) Snapshot() map[string]Summary {
	// Decision 2: a copy made under the lock. Returning s.sensors itself
	// would hand the caller the guarded map without the lock: its reads
	// and writes after RUnlock would race with the next Add. maps.Clone is
	// a shallow copy, which is a whole copy here only because Summary holds
	// no pointer, slice or map.
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.sensors)
}

// Step 2: counters without a lock, with sync/atomic.

// Counter counts events; M1 calls Inc, M2 and M3 call Load, all at once.
// The zero Counter is ready to use; do not copy a Counter once used.
type Counter struct {
	n atomic.Int64
}

// Inc adds one and returns the new count: every call gets its own number.
func (c *Counter) Inc() int64 {
	// One read-modify-write, done by the processor as one step: Add(1)
	// followed by a separate Load could return a number another Inc got too.
	return c.n.Add(1)
}

// Load returns the count.
func (c *Counter) Load() int64 {
	return c.n.Load()
}

// Peak is the largest non-negative value observed so far, such as the
// deepest a queue has been. The zero Peak is ready to use and holds 0.
type Peak struct {
	v atomic.Int64
}

// Observe records v and reports whether v raised the peak, that is whether v
// is larger than every value observed before it.
func (p *Peak) Observe(v int64) bool {
	// Load, then Store, would be two steps: another goroutine may raise the
	// peak between them, and the Store would lower it again. The swap
	// happens only if the peak is still the value compared against;
	// otherwise someone else moved it, and the loop looks again.
	for {
		cur := p.v.Load()
		if v <= cur {
			return false
		}
		if p.v.CompareAndSwap(cur, v) {
			return true
		}
	}
}

// Load returns the peak.
func (p *Peak) Load() int64 {
	return p.v.Load()
}

// Step 3: waiting for a condition, with sync.Cond.

// ErrClosed is what WaitFor returns when the Progress was closed before the
// count reached the caller's target.
var ErrClosed = errors.New("sharedstate: progress closed")

// Progress counts the items M1 has produced; M2 and M3 wait until it has
// produced enough of them. All methods may be called from many goroutines.
type Progress struct {
	mu     sync.Mutex
	cond   *sync.Cond // cond.L is &mu; signalled whenever count or closed changes
	count  int        // guarded by mu
	closed bool       // guarded by mu
}

// NewProgress returns a Progress at count 0.
func NewProgress() *Progress {
	p := &Progress{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Advance adds k items to the count and wakes the waiters (M1 calls it).
// After Close it does nothing.
func (p *Progress) Advance(k int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.count += k
	// Broadcast, not Signal: the waiters wait for different targets, and
	// Signal would wake just one, perhaps one whose target is still ahead,
	// which goes back to sleep while another, whose target is reached,
	// sleeps on for ever.
	p.cond.Broadcast()
}

// WaitFor blocks until the count is at least n and returns it with a nil
// error; or, if the Progress is closed first, returns the count and ErrClosed.
func (p *Progress) WaitFor(n int) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// A for, not an if: waking up means only "something changed", and
	// every waiter is woken by every Advance. Check the condition again,
	// under the lock that Wait has taken back, before returning.
	for p.count < n && !p.closed {
		p.cond.Wait()
	}
	if p.count < n {
		return p.count, ErrClosed
	}
	return p.count, nil
}

// Close wakes every waiter for good: WaitFor returns ErrClosed from now on
// unless its target is already reached. Calling Close again does nothing.
func (p *Progress) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	// WRONG (known answer, STATUS panic): Close sets the flag but wakes
	// nobody. A waiter already in Wait sleeps on: no Advance will come, as
	// Advance does nothing after Close. The test fails, and its synctest
	// bubble then ends with the waiter's goroutine still blocked, which
	// synctest reports as a panic: "deadlock: main bubble goroutine has
	// exited but blocked goroutines remain". Outside a bubble, the same
	// goroutine would be a leak.
	p.closed = true
}
