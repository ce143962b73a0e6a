// Known-wrong answer for exercise 01 (see the WRONG comment below).

package funcvalues

import "math"

// Store is module M1: it owns the readings and lets other modules compute on
// them by handing it functions.
type Store struct {
	readings []float64
	onChange func(i int, old, new float64) // nil: no handler registered
}

// NewStore returns a Store that owns readings. It keeps the slice it is given
// (no copy), so the caller sees every change the store makes.
func NewStore(readings []float64) *Store {
	return &Store{readings: readings}
}

// Change is one change of one reading, as a change handler sees it.
type Change struct {
	Index    int
	Old, New float64
}

// Audit is module M2: it keeps a record of every change made to a Store.
type Audit struct {
	Changes []Change
}

// Each calls fn for every reading in index order, on the caller's goroutine,
// and returns after the last call.
func (s *Store) Each(fn func(i int, v float64)) {
	for i, v := range s.readings {
		fn(i, v) // a plain call: same goroutine, done before Each returns
	}
}

// Apply replaces every reading, in place, by fn(reading).
func (s *Store) Apply(fn func(v float64) float64) {
	// WRONG (known answer, STATUS failed): builds a new slice and swaps it
	// in. The store sees the new values, but the caller's slice keeps the old
	// ones, and every call allocates: data moved, not computation.
	next := make([]float64, len(s.readings))
	for i, v := range s.readings {
		next[i] = fn(v)
	}
	s.readings = next
}

// OnChange registers h as the store's change handler, replacing any previous
// one; OnChange(nil) unregisters it.
func (s *Store) OnChange(h func(i int, old, new float64)) {
	s.onChange = h
}

// Set stores v at index i and, only if the value changed, calls the change
// handler (if any) with (i, old, new) before returning.
func (s *Store) Set(i int, v float64) {
	old := s.readings[i]
	s.readings[i] = v
	// Calling a nil function value panics, hence the nil check.
	if old != v && s.onChange != nil {
		s.onChange(i, old, v)
	}
}

// Record appends the change (i, old, new) to a.Changes. Its signature fits
// OnChange, so a.Record can be registered as a handler.
func (a *Audit) Record(i int, old, new float64) {
	a.Changes = append(a.Changes, Change{Index: i, Old: old, New: new})
}

// Connect registers a.Record as s's change handler, so that a records every
// change made to s.
func Connect(s *Store, a *Audit) {
	// Decision: a.Record is a method value. It binds the receiver now, and
	// the receiver is the pointer a, so every later call appends to the
	// caller's Audit, not to a copy of it.
	s.OnChange(a.Record)
}

// Max returns the largest reading of s, or math.Inf(-1) if s is empty.
func Max(s *Store) float64 {
	// The closure captures the variable m itself: what it writes during
	// Each is what Max reads afterwards. -Inf is below every reading, so
	// negative readings work and an empty store yields -Inf.
	m := math.Inf(-1)
	s.Each(func(_ int, v float64) {
		if v > m {
			m = v
		}
	})
	return m
}
