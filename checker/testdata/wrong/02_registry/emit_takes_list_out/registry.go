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
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.subs = slices.DeleteFunc(r.subs, func(x *subscription) bool { return x == s })
	}
}

// START TAKEN OMIT

// Emit calls every subscribed handler with ev, in subscription order, on the
// caller's goroutine, and returns after the last call.
//
// WRONG (known answer, STATUS failed): to call the handlers without the lock
// and without copying, Emit takes the whole list out of the registry and
// puts it back afterwards. Race-free and deadlock-free, but an unsubscribe
// made during the Emit looks in the registry, does not find the subscription
// (it is out), removes nothing, and the put-back brings it back: a later Emit
// calls it again. An Emit running at the same time as another finds the list
// gone and calls nobody.
func (r *Registry) Emit(ev Reading) {
	r.mu.Lock()
	taken := r.subs // HL
	r.subs = nil    // HL
	r.mu.Unlock()
	for _, s := range taken {
		s.handler(ev)
	}
	r.mu.Lock()
	r.subs = append(taken, r.subs...) // put back; subscribed meanwhile go last // HL
	r.mu.Unlock()
}

// END TAKEN OMIT
