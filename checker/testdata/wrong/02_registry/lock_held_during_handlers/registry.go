// Known-wrong answer for exercise 02 (see the WRONG comment below).

package registry

import (
	"slices"
	"sync"
)

// Reading is the event M1 emits: one new measurement.
type Reading struct {
	Seq   int // 1, 2, 3, … in the order M1 made them
	Value float64
}

// Handler is the callback a module subscribes: M1 calls it with each Reading.
type Handler func(r Reading)

// Registry is M1's list of subscribers. Subscribe, the unsubscribe functions
// it returns and Emit may be called from many goroutines at once, and from
// inside a handler.
type Registry struct {
	mu   sync.Mutex
	subs []*subscription
}

type subscription struct {
	handler Handler
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{}
}

// Subscribe adds h to the end of the list and returns a function that removes
// this subscription, and only it. Calling unsubscribe more than once is safe.
func (r *Registry) Subscribe(h Handler) (unsubscribe func()) {
	s := &subscription{handler: h}
	r.mu.Lock()
	r.subs = append(r.subs, s)
	r.mu.Unlock()
	// START UNSUBSCRIBE OMIT
	return func() { // unsubscribe
		r.mu.Lock() // HL
		defer r.mu.Unlock()
		r.subs = slices.DeleteFunc(r.subs, func(x *subscription) bool { return x == s })
	}
	// END UNSUBSCRIBE OMIT
}

// Emit calls every subscribed handler with ev, in subscription order, on the
// caller's goroutine, and returns after the last call.
//
// WRONG (known answer, STATUS timeout): Emit holds r.mu while it calls the
// handlers. Race-free, and right as long as no handler calls back into the
// registry; but a handler that unsubscribes itself (or subscribes another)
// calls Lock on the mutex its own goroutine already holds. sync.Mutex is not
// reentrant, so that Lock waits forever and the tests hit their time limit.
//
// START EMIT OMIT
func (r *Registry) Emit(ev Reading) {
	r.mu.Lock() // HL
	defer r.mu.Unlock()
	for _, s := range r.subs {
		s.handler(ev) // HL
	}
}

// END EMIT OMIT
