// Known-wrong answer for exercise 02 (see the WRONG comment below).

package registry

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
//
// WRONG (known answer, STATUS race): nothing guards subs. Every step 1, 2
// and 4 test passes, because each runs on one goroutine; but goroutines that
// Subscribe, unsubscribe and Emit at once read and write subs with nothing
// ordering them, and the race detector reports it on every run of the step 3
// tests.
type Registry struct {
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
//
// START UNGUARDED OMIT
func (r *Registry) Subscribe(h Handler) (unsubscribe func()) {
	s := &subscription{handler: h}
	r.subs = append(r.subs, s) // HL
	return func() {
		subs := make([]*subscription, 0, len(r.subs))
		for _, x := range r.subs { // HL
			if x != s {
				subs = append(subs, x)
			}
		}
		r.subs = subs // HL
	}
}

// Emit calls every subscribed handler in order.
func (r *Registry) Emit(ev Reading) {
	for _, s := range r.subs { // HL
		s.handler(ev)
	}
}

// END UNGUARDED OMIT
