// Exercise 01: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package funcvalues

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

// START API OMIT
// Each calls fn for every reading in index order, on the caller's goroutine,
// and returns after the last call.
func (s *Store) Each(fn func(i int, v float64)) {
	// TODO(step 1): call fn(i, v) for every reading, in order.
}

// Apply replaces every reading, in place, by fn(reading).
func (s *Store) Apply(fn func(v float64) float64) {
	// TODO(step 2): write fn(v) back into s.readings; build no new slice.
}

// OnChange registers h as the store's change handler, replacing any previous
// one; OnChange(nil) unregisters it.
func (s *Store) OnChange(h func(i int, old, new float64)) {
	// TODO(step 3): remember h.
}

// Set stores v at index i and, only if the value changed, calls the change
// handler (if any) with (i, old, new) before returning.
func (s *Store) Set(i int, v float64) {
	// TODO(step 3): store v; call the handler only if the value changed
	// and a handler is registered.
}

// END API OMIT

// Record appends the change (i, old, new) to a.Changes. Its signature fits
// OnChange, so a.Record can be registered as a handler.
func (a *Audit) Record(i int, old, new float64) {
	// TODO(step 4): append Change{Index: i, Old: old, New: new}.
}

// Connect registers a.Record as s's change handler, so that a records every
// change made to s.
func Connect(s *Store, a *Audit) {
	// TODO(step 4): pass the method value a.Record to s.OnChange.
}

// Max returns the largest reading of s, or math.Inf(-1) if s is empty.
func Max(s *Store) float64 {
	// TODO(step 5): keep the running maximum in a local variable, starting at
	// math.Inf(-1), and update it from a closure passed to s.Each.
	return 0
}
