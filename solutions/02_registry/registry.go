// Exercise 02, solved. The task is in exercises/02_registry/doc.go.

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
	mu   sync.Mutex      // guards subs
	subs []*subscription // in subscription order
}

// subscription is one Subscribe. Its address is its identity: function values
// cannot be compared, and the same handler may be subscribed twice.
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
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		// Removes s if it is still there: a second call finds nothing to do.
		r.subs = slices.DeleteFunc(r.subs, func(x *subscription) bool { return x == s })
	}
}

// Emit calls every subscribed handler with ev, in subscription order, on the
// caller's goroutine, and returns after the last call.
func (r *Registry) Emit(ev Reading) {
	// Decision 1: every access to r.subs, this read included, holds r.mu,
	// so goroutines that subscribe, unsubscribe and emit at once never race.
	//
	// Decision 2: the handlers are called after Unlock, from a copy taken
	// under the lock. Holding r.mu while they run would deadlock a handler
	// that calls Subscribe or unsubscribe (sync.Mutex is not reentrant) and
	// make every other goroutine wait for the slowest handler. The copy, not
	// r.subs itself, because unsubscribe removes in place: the elements
	// would shift under this loop. So this Emit calls exactly the handlers
	// subscribed when it started; one unsubscribed meanwhile may still be
	// called by it, but by no Emit that starts after unsubscribe returned.
	r.mu.Lock()
	snapshot := slices.Clone(r.subs)
	r.mu.Unlock()
	for _, s := range snapshot {
		s.handler(ev)
	}
}
