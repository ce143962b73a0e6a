// Known-wrong answer for exercise 02 (see the WRONG comment below).

package registry

import (
	"reflect"
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
	mu       sync.Mutex
	handlers []Handler
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{}
}

// START POINTER OMIT

// Subscribe adds h to the end of the list and returns a function that removes
// this subscription, and only it. Calling unsubscribe more than once is safe.
//
// WRONG (known answer, STATUS failed): func values cannot be compared with
// ==, so unsubscribe compares reflect.ValueOf(h).Pointer() instead and
// removes the first handler that matches. That pointer is the function's
// code, not the subscription: the same func subscribed twice matches its
// first subscription, and every closure made by one func literal (all of
// them, whatever they captured) has the same code, so unsubscribe removes
// the wrong one; called twice, it removes a second one.
func (r *Registry) Subscribe(h Handler) (unsubscribe func()) {
	r.mu.Lock()
	r.handlers = append(r.handlers, h)
	r.mu.Unlock()
	code := reflect.ValueOf(h).Pointer() // HL
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if i := slices.IndexFunc(r.handlers, func(x Handler) bool {
			return reflect.ValueOf(x).Pointer() == code // HL
		}); i >= 0 {
			r.handlers = slices.Delete(slices.Clone(r.handlers), i, i+1)
		}
	}
}

// END POINTER OMIT

// Emit calls every subscribed handler with ev, in subscription order, on the
// caller's goroutine, and returns after the last call.
func (r *Registry) Emit(ev Reading) {
	r.mu.Lock()
	snapshot := slices.Clone(r.handlers)
	r.mu.Unlock()
	for _, h := range snapshot {
		h(ev)
	}
}
