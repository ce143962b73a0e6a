// Exercise 02: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step.

package registry

// START EVENT OMIT

// Reading is the event M1 emits: one new measurement.
type Reading struct {
	Seq   int // 1, 2, 3, … in the order M1 made them
	Value float64
}

// Handler is the callback a module subscribes: M1 calls it with each Reading.
type Handler func(r Reading)

// END EVENT OMIT

// Registry is M1's list of subscribers. Subscribe, the unsubscribe functions
// it returns and Emit may be called from many goroutines at once, and from
// inside a handler.
type Registry struct {
	// TODO(step 1): the subscriptions, in subscription order.
	// TODO(step 3): a sync.Mutex that guards them.
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{}
}

// START API OMIT

// Subscribe adds h to the end of the list and returns a function that removes
// this subscription, and only it. Calling unsubscribe more than once is safe.
func (r *Registry) Subscribe(h Handler) (unsubscribe func()) {
	// TODO(step 1): append a subscription holding h.
	// TODO(step 2): return a func that removes exactly this subscription.
	// TODO(step 3): hold the mutex while you touch the list.
	return func() {}
}

// Emit calls every subscribed handler with ev, in subscription order, on the
// caller's goroutine, and returns after the last call.
func (r *Registry) Emit(ev Reading) {
	// TODO(step 1): call every handler with ev, in order.
	// TODO(step 3): hold the mutex while you read the list.
	// TODO(step 4): but not while you call the handlers: call them from a
	// copy of the list taken under the lock.
}

// END API OMIT
