// Package msgqueue is exercise 07, the first of part 2: Go's own message
// queue, the channel, as the queue between M1, M2 and M3. M1 and M2 send
// messages; M3 receives them, at its own pace. You wrap a channel in a Queue
// that is bounded (a full queue makes the sender wait: back-pressure), that
// gives up when a context is done, and that can be closed safely while
// senders are still sending. Then you merge M1's and M2's queues into the
// one M3 reads.
//
// Edit msgqueue.go at every // TODO, in step order, and run `make check`
// after each step. Msg, the message M1 and M2 send, and ErrClosed are given.
//
// # What a channel is, and what it costs
//
// A channel is a message queue that lives in the Go runtime's memory: a
// ring buffer of capacity slots, a lock, and two lists of waiting
// goroutines. No kernel object is created and no system call is made: Send
// and Receive copy the message into and out of the buffer in user space.
// When a Receive finds a sender waiting, the runtime copies the message from
// one goroutine's stack to the other's directly.
//
// Back-pressure is the capacity. While the buffer has room, a send costs a
// lock and a copy. When it is full, the sender is parked: the runtime takes
// the goroutine off its thread, which runs other goroutines meanwhile, and
// puts it back (unparks it) when a receiver makes room. A receiver on an
// empty queue is parked the same way. That park and unpark, a trip through
// the scheduler rather than through the kernel, is what a blocking operation
// costs. With capacity 0 every message is a rendezvous: the sender waits
// until a receiver takes it.
//
// Because no descriptor is opened, there is nothing to leak but goroutines:
// these tests do not use fdleak (the descriptor check of the other part 2
// exercises), and goleak is what proves that nothing is left behind.
//
// # Step 1: New, Send and Receive
//
// New(capacity) makes the channel. Send(ctx, m) sends m on it; Receive(ctx)
// receives from it. Each waits only as long as ctx allows: select on the
// channel operation and on ctx.Done(), and return ctx.Err() when ctx wins.
// If the queue has room (or a message) and ctx is already done, either may
// happen; the tests do not depend on which.
//
// The tests check: every message arrives once, in order, through queues of
// capacity 0, 1, 4 and 64; a Send into a full queue blocks until a Receive
// makes room, then returns nil; a Send that gives up returns ctx.Err()
// (context.Canceled or context.DeadlineExceeded) and leaves its message out
// of the queue; a Receive on an empty queue blocks until a message comes,
// or returns ctx.Err().
//
// # Step 2: Close, and draining
//
// Close closes the queue. A Send after Close returns ErrClosed. Receive
// drains what was sent before Close, in order, and only then reports
// ErrClosed, and keeps reporting it. This package reports ErrClosed, not
// io.EOF: io.EOF means the end of a byte stream read through io.Reader (as
// in the pipes of exercise 09), while here one sentinel means "this queue is
// closed" to both sides; test for it with errors.Is.
//
// Closing the channel gives you the draining for free: a receive on a closed
// channel returns what is buffered, then the zero value and ok == false.
// Close may be called many times, from many goroutines at once; closing a
// channel twice panics, so close it once (sync.Once).
//
// The tests check: three messages sent, Close, then Receive returns the
// three and ErrClosed, again and again; a Receive blocked on an empty queue
// is released by Close with ErrClosed; Send after Close returns ErrClosed;
// eight Close calls at once, and one more, are safe.
//
// # Step 3: Send racing Close, without a panic or a leak
//
// Sending on a closed channel panics, even inside a select. A closed flag
// checked before the send does not prevent it: a Send can check the flag,
// find the queue full and wait, and Close then closes the channel under the
// waiting sender, which panics. Check and send must be one step as far as
// Close is concerned:
//
//   - Each Send holds a sync.RWMutex for reading from its check of the flag
//     until its send is over. Many Sends hold it at once; Close takes it for
//     writing to set the flag and close the channel, so no Send is ever
//     sending when the channel is closed, and every later Send sees the flag.
//   - But a Send waiting on a full queue holds that read lock, and Close
//     would wait for it for ever. So Close first wakes the waiting senders:
//     it closes a second channel, done, that every Send also selects on
//     (case <-q.done: return ErrClosed). Then it takes the lock.
//
// A sender waiting on the full queue when Close is called must return
// ErrClosed. Left blocked, it is a leaked goroutine: no test can see a call
// that never returns, but goleak lists it when the tests end. A Send that
// returns nil has put its message in the queue, so Receive returns it.
//
// The tests check: three senders blocked on a full queue that nobody drains
// are released by Close with ErrClosed, and only the messages sent before
// are received; eight senders racing four Close calls and a receiver, with
// the race detector on: no panic, every message whose Send returned nil is
// received once, in its sender's order, and every sender ends with
// ErrClosed. A sender still blocked is left for goleak to report.
//
// # Step 4: Merge, the fan-in
//
// M3 reads one queue; M1 and M2 each fill their own. Merge(ctx, capacity,
// inputs...) returns the one: it starts one goroutine per input, a
// forwarder, that receives a message and sends it to the output, and
// repeats. One goroutine per input, sending each message before it receives
// the next, keeps each producer's order; the order between producers is
// whatever the scheduler makes it. Do not send a message on a goroutine of
// its own: messages would overtake each other.
//
// The output is closed when the last forwarder returns (a sync.WaitGroup),
// that is when every input is closed and drained: a forwarder that closes
// the output as its own input ends drops the other producers' messages.
// Pass ctx to both Receive and Send: when ctx is done, every forwarder
// returns, wherever it was blocked, and the output is closed. Merge never
// closes its inputs, which belong to M1 and M2. With no inputs, the output
// is closed at once.
//
// The tests check: one, two or three producers, every message once and in
// each producer's order, then ErrClosed, also into an unbuffered output;
// the output stays open while one input is still open, and closes when the
// last input is closed and drained; after a cancel the output closes, and
// with nobody reading, no forwarder is left behind (goleak checks it).
//
// # Read more
//
//   - Channels: https://go.dev/ref/spec#Channel_types, https://go.dev/ref/spec#Send_statements
//     and https://go.dev/ref/spec#Close
//   - Share memory by communicating: https://go.dev/doc/effective_go#sharing
//   - Go Concurrency Patterns: Pipelines and cancellation (fan-in): https://go.dev/blog/pipelines
//   - The runtime's channel, for the curious: https://go.dev/src/runtime/chan.go
//   - context: https://pkg.go.dev/context
//   - sync.RWMutex, sync.Once, sync.WaitGroup (and its Go method): https://pkg.go.dev/sync
//   - testing/synctest, used by some of the tests: https://pkg.go.dev/testing/synctest
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package msgqueue
