// Exercise 12: the task is in doc.go. Edit this file at every // TODO,
// in step order, and run `make check` after each step. The operating
// system's part (createShared, mapShared, unmap, closeShared) is given in
// shm_linux.go and shm_unix.go.

package mmapring

import (
	"errors"
)

// START LAYOUT OMIT

// The layout of the shared region. Both modules agree on it, as two processes
// sharing the memory would have to: nothing but these offsets tells them
// where the indices and the messages are.
const (
	headOffset  = 0   // uint64: messages received so far, written by M2 only
	tailOffset  = 64  // uint64: messages sent so far, written by M1 only (a cache line of its own)
	slotsOffset = 128 // then the slots, SlotSize bytes each

	// SlotSize is the size of one slot: a 4-byte length, then the message.
	SlotSize = 64
	// MaxMessage is the longest message a slot holds.
	MaxMessage = SlotSize - 4
)

// regionSize is the size of the shared region of a ring of slots slots.
func regionSize(slots int) int { return slotsOffset + slots*SlotSize }

// END LAYOUT OMIT

var (
	// ErrClosed is returned by every operation on a closed Ring, also by
	// a Send or Receive that was waiting when Close was called.
	ErrClosed = errors.New("mmapring: ring closed")
	// ErrTooLarge is returned by TrySend and Send for a message longer than
	// MaxMessage.
	ErrTooLarge = errors.New("mmapring: message longer than MaxMessage")
	// ErrSlots is returned by New when slots is not a power of two.
	ErrSlots = errors.New("mmapring: slots must be a power of two (1, 2, 4, ...)")
)

// Ring is a single-producer single-consumer ring buffer in shared memory.
// Module M1 (one goroutine) sends, module M2 (one goroutine) receives, each
// through its own mapping of the same shared file. Close may be called from
// any goroutine, at any time.
type Ring struct {
	prod []byte // M1's mapping: Send and TrySend use only this one
	cons []byte // M2's mapping: Receive and TryReceive use only this one
	fd   int    // the shared file

	// TODO(step 2): pointers to the head and the tail in each mapping.
	// TODO(step 3): the number of slots (or slots-1, a mask).
	// TODO(step 4): a closed flag, and what makes Close wait until no
	// Send or Receive is using a mapping.
}

// New creates a ring of slots slots (a power of two) in a new shared file
// named name, mapped twice: once for the producer, once for the consumer.
func New(name string, slots int) (*Ring, error) {
	// TODO(step 1): check slots; createShared(name, regionSize(slots));
	// mapShared twice; on any error undo what was done and return it.
	// TODO(step 2): point the indices into the mappings with indexAt.
	return nil, nil
}

// START INDEX OMIT

// indexAt returns a pointer to the uint64 at mem[off:off+8], for sync/atomic.
// It panics when off is not a multiple of 8.
func indexAt(mem []byte, off int) *uint64 {
	// TODO(step 2): convert &mem[off] with unsafe.Pointer.
	return nil
}

// END INDEX OMIT

// TrySend copies msg into the next free slot and returns true, or returns
// false at once when the ring is full.
func (r *Ring) TrySend(msg []byte) (ok bool, err error) {
	// TODO(step 3): ErrTooLarge; full?; write the slot; then publish the tail.
	// TODO(step 4): ErrClosed.
	return false, nil
}

// TryReceive copies the oldest message into buf and returns its length and
// true, or returns false at once when the ring is empty. A message longer
// than buf stays in the ring, and TryReceive returns io.ErrShortBuffer.
func (r *Ring) TryReceive(buf []byte) (n int, ok bool, err error) {
	// TODO(step 3): empty?; copy the slot out; then publish the head.
	// TODO(step 4): ErrClosed.
	return 0, false, nil
}

// Send copies msg into the ring, waiting while it is full. It returns
// ErrClosed when the ring is, or gets, closed.
func (r *Ring) Send(msg []byte) error {
	// TODO(step 4): TrySend until it succeeds or fails: spin, then yield.
	return nil
}

// Receive copies the oldest message into buf and returns its length, waiting
// while the ring is empty. It returns ErrClosed when the ring is, or gets,
// closed.
func (r *Ring) Receive(buf []byte) (int, error) {
	// TODO(step 4): TryReceive until it succeeds or fails: spin, then yield.
	return 0, nil
}

// Close wakes a waiting Send and Receive (they return ErrClosed), unmaps both
// mappings and closes the shared file. Calling it again does nothing.
func (r *Ring) Close() error {
	// TODO(step 1): unmap both mappings and close the shared file, once.
	// TODO(step 4): wake waiting Sends and Receives, and unmap nothing that
	// a Send or Receive is still using.
	return nil
}
