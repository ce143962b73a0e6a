// Package callback is the running example of the slides: module M1 produces
// records and module M2 consumes them, first through a function M2 hands to
// M1 (the computation moves to the data), then through a channel, Go's own
// message queue (the data moves to the computation).
//
// The slides pull regions of this file with present's .code command; the
// regions are the lines between "// START name OMIT" and "// END name OMIT".
package callback

// Record is one unit of data that M1 produces.
type Record struct {
	Seq     int
	Payload []byte
}

// Handler is the computation M2 hands to M1.
type Handler func(r *Record)

// Producer is module M1.
type Producer struct {
	handler Handler
}

// START REGISTER OMIT
// Register is how M2 hands M1 a function.
func (p *Producer) Register(h Handler) { p.handler = h }

// Produce builds a record and runs M2's computation on it right here:
// same goroutine, same memory, nothing copied, no kernel involved.
func (p *Producer) Produce(seq int, payload []byte) {
	r := &Record{Seq: seq, Payload: payload}
	if p.handler != nil {
		p.handler(r) // HL
	}
}

// END REGISTER OMIT

// START M2 OMIT
// Totals is module M2: it counts the records and bytes it has seen.
type Totals struct {
	Records int
	Bytes   int
}

// Handle is M2's computation. M2 registers it with M1 as a method value.
func (t *Totals) Handle(r *Record) {
	t.Records++
	t.Bytes += len(r.Payload)
}

// END M2 OMIT

// START CHANNEL OMIT
// Forward is the IPC-style alternative: M1 sends each record to M2's own
// goroutine over a channel, and M2 runs handle there.
func Forward(records []Record, handle Handler) {
	queue := make(chan *Record) // a message queue with no kernel object
	done := make(chan struct{})
	go func() { // M2
		defer close(done)
		for r := range queue {
			handle(r)
		}
	}()
	for i := range records {
		queue <- &records[i] // HL
	}
	close(queue)
	<-done // M2 has handled every record
}

// END CHANNEL OMIT
