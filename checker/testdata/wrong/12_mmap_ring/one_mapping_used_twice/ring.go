// Wrong answer for exercise 12: New maps the shared file once and gives the
// same mapping to both modules. Everything works, in one process; but it is
// not what two processes would have, each its own mapping of the file.

package mmapring

import (
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

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

// How a waiting Send or Receive retries: spins times at once, then yields
// times after runtime.Gosched, then after a nap each.
const (
	spins  = 50
	yields = 50
	nap    = 20 * time.Microsecond
)

// Ring is a single-producer single-consumer ring buffer in shared memory.
// Module M1 (one goroutine) sends, module M2 (one goroutine) receives, each
// through its own mapping of the same shared file. Close may be called from
// any goroutine, at any time.
type Ring struct {
	// The producer's side: only Send and TrySend (and Close) touch it.
	prodMu     sync.Mutex // held while the producer touches its mapping
	prod       []byte     // M1's mapping
	prodTail   *uint64    // the tail, in prod
	prodHead   *uint64    // the head, in prod
	tail       uint64     // the tail's value: only the producer writes it
	cachedHead uint64     // the head as last loaded: the ring is at most this full
	_          [64]byte   // keeps the two sides' fields on different cache lines

	// The consumer's side: only Receive and TryReceive (and Close) touch it.
	consMu     sync.Mutex // held while the consumer touches its mapping
	cons       []byte     // M2's mapping
	consHead   *uint64    // the head, in cons
	consTail   *uint64    // the tail, in cons
	head       uint64     // the head's value: only the consumer writes it
	cachedTail uint64     // the tail as last loaded: at least this much to read
	_          [64]byte

	fd     int
	mask   uint64 // slots-1: count&mask is a slot's number
	closed atomic.Bool
}

// New creates a ring of slots slots (a power of two) in a new shared file
// named name, mapped twice: once for the producer, once for the consumer.
func New(name string, slots int) (*Ring, error) {
	if slots <= 0 || slots&(slots-1) != 0 {
		return nil, ErrSlots
	}
	size := regionSize(slots)
	fd, err := createShared(name, size)
	if err != nil {
		return nil, err
	}
	prod, err := mapShared(fd, size)
	if err != nil {
		closeShared(fd)
		return nil, err
	}
	cons := prod
	return &Ring{
		prod: prod, prodTail: indexAt(prod, tailOffset), prodHead: indexAt(prod, headOffset),
		cons: cons, consHead: indexAt(cons, headOffset), consTail: indexAt(cons, tailOffset),
		fd: fd, mask: uint64(slots - 1),
	}, nil
}

// indexAt returns a pointer to the uint64 at mem[off:off+8], for sync/atomic.
// off must be a multiple of 8: mmap returns page-aligned memory, so the
// pointer is then 8-byte aligned, as 64-bit atomic instructions require.
func indexAt(mem []byte, off int) *uint64 {
	if off%8 != 0 {
		panic("mmapring: index offset not a multiple of 8")
	}
	return (*uint64)(unsafe.Pointer(&mem[off : off+8][0]))
}

// TrySend copies msg into the next free slot and returns true, or returns
// false at once when the ring is full.
func (r *Ring) TrySend(msg []byte) (ok bool, err error) {
	if len(msg) > MaxMessage {
		return false, ErrTooLarge
	}
	r.prodMu.Lock()
	defer r.prodMu.Unlock()
	if r.closed.Load() {
		return false, ErrClosed
	}
	if r.tail-r.cachedHead == r.mask+1 {
		// Full as far as we know: only now read the consumer's index, a
		// cache line the other core writes. Most sends never touch it.
		r.cachedHead = atomic.LoadUint64(r.prodHead)
		if r.tail-r.cachedHead == r.mask+1 {
			return false, nil
		}
	}
	slot := r.prod[slotsOffset+int(r.tail&r.mask)*SlotSize:][:SlotSize]
	binary.LittleEndian.PutUint32(slot, uint32(len(msg)))
	copy(slot[4:], msg)
	// Decision 1: the tail is published after the message is in its slot,
	// with an atomic store. The consumer's atomic load of the tail then sees
	// the slot's bytes too (the store releases them, the load acquires them).
	// A plain store could be reordered before the copy by the compiler or the
	// CPU, and the race detector cannot see mmap'd memory to tell us.
	r.tail++
	atomic.StoreUint64(r.prodTail, r.tail)
	return true, nil
}

// TryReceive copies the oldest message into buf and returns its length and
// true, or returns false at once when the ring is empty. A message longer
// than buf stays in the ring, and TryReceive returns io.ErrShortBuffer.
func (r *Ring) TryReceive(buf []byte) (n int, ok bool, err error) {
	r.consMu.Lock()
	defer r.consMu.Unlock()
	if r.closed.Load() {
		return 0, false, ErrClosed
	}
	if r.head == r.cachedTail {
		r.cachedTail = atomic.LoadUint64(r.consTail)
		if r.head == r.cachedTail {
			return 0, false, nil
		}
	}
	slot := r.cons[slotsOffset+int(r.head&r.mask)*SlotSize:][:SlotSize]
	n = int(binary.LittleEndian.Uint32(slot))
	if n > len(buf) {
		return 0, false, io.ErrShortBuffer
	}
	copy(buf, slot[4:4+n])
	// The head moves after the copy: once the producer sees it, the slot
	// is free and may be overwritten.
	r.head++
	atomic.StoreUint64(r.consHead, r.head)
	return n, true, nil
}

// Send copies msg into the ring, waiting while it is full. It returns
// ErrClosed when the ring is, or gets, closed.
func (r *Ring) Send(msg []byte) error {
	for i := 0; ; i++ {
		ok, err := r.TrySend(msg)
		if ok || err != nil {
			return err
		}
		backoff(i)
	}
}

// Receive copies the oldest message into buf and returns its length, waiting
// while the ring is empty. It returns ErrClosed when the ring is, or gets,
// closed.
func (r *Ring) Receive(buf []byte) (int, error) {
	for i := 0; ; i++ {
		n, ok, err := r.TryReceive(buf)
		if ok || err != nil {
			return n, err
		}
		backoff(i)
	}
}

// backoff is the i-th pause of a waiting Send or Receive. At first none: the
// other side is most likely running on another core and about to act. Then
// runtime.Gosched, which lets other goroutines run on this thread. At last
// time.Sleep: it parks the goroutine and lets the thread sleep, so the
// operating system can run another thread on the core. Without that stage,
// on a machine with more busy threads than cores the waiting side spins
// through its whole time slice while the side it waits for is not running.
func backoff(i int) {
	switch {
	case i < spins:
	case i < spins+yields:
		runtime.Gosched()
	default:
		time.Sleep(nap)
	}
}

// Close wakes a waiting Send and Receive (they return ErrClosed), unmaps both
// mappings and closes the shared file. Calling it again does nothing.
func (r *Ring) Close() error {
	r.closed.Store(true)
	// Decision 2: no Send or Receive may be inside a mapping when it goes
	// away (touching unmapped memory is a SIGSEGV, not a panic). Each side
	// holds its mutex while it touches its mapping and checks closed under
	// it; so once Close holds both mutexes, every later call sees closed,
	// and a waiting one returns at its next retry.
	r.prodMu.Lock()
	defer r.prodMu.Unlock()
	r.consMu.Lock()
	defer r.consMu.Unlock()
	if r.prod == nil {
		return nil // closed before
	}
	err := errors.Join(unmap(r.prod), closeShared(r.fd))
	r.prod, r.cons = nil, nil
	r.prodTail, r.prodHead, r.consHead, r.consTail = nil, nil, nil, nil
	return err
}
