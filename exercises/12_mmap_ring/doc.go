// Package mmapring is exercise 12: shared memory, the real thing. Module M1
// streams small messages to module M2 through a ring buffer that lives in
// memory the operating system shares: one shared file, mapped twice, once
// for M1 and once for M2. Two processes would each map the file like this;
// here the two modules are goroutines of one process, and each uses only its
// own mapping, the same physical pages at two addresses.
//
// No kernel call moves a message: once the memory is mapped, M1 writes a
// message into a slot and M2 reads it from there. The kernel is only needed
// to create the memory, to map it and to free it. That makes this the fastest
// technique of part 2, and the one where nothing checks your work: the race
// detector cannot see mmap'd memory (it watches only the memory the Go
// runtime allocates), so a ring that publishes a message too early passes
// every -race run. The tests check what arrives instead: they stream
// messages that carry their sequence number and a check word through a small
// ring, and M2 checks that each arrives once, in order, and whole.
//
// Edit ring.go at every // TODO, in step order, and run `make check` after
// each step. The operating system's part is given: createShared, mapShared,
// unmap and closeShared, in shm_linux.go (a memfd) and shm_unix.go (macOS and
// other Unix systems: an unlinked temporary file). On Windows the package
// compiles but New fails, and the tests skip: do this exercise in WSL2.
//
// # Step 1: one shared file, two mappings
//
// New(name, slots) creates a ring of slots slots. slots must be a power of
// two (1, 2, 4, ...); otherwise New returns ErrSlots, before it creates
// anything. Create the shared file with createShared(name,
// regionSize(slots)) and map it twice with mapShared: r.prod is M1's
// mapping, r.cons is M2's. Two calls, two mappings: the same slice used twice
// would work in one process, but it is not what two processes have, and the
// tests tell the difference. mapShared maps with MAP_SHARED, so a byte
// written through one mapping is read through the other. If anything fails
// half-way, undo what was done (unmap, closeShared) and return the error.
//
// Close unmaps both mappings and closes the shared file, once: a second Close
// does nothing and returns nil. The memory is freed when the last mapping is
// gone and the descriptor is closed, so forgetting either leaks it.
//
// The tests check: the two mappings are at different addresses and a byte
// written through either is read through the other; on Linux, that
// /proc/self/maps lists two mappings of /memfd:<name>, and none after Close;
// that Close leaves no descriptor open (exercises/internal/fdleak); that a
// second Close returns nil; and that New rejects 0, -4, 3 and 12 slots.
//
// # Step 2: the indices live in the shared memory
//
// The ring has two indices, both counting from 0 and never wrapping: the
// tail, how many messages M1 has sent, and the head, how many M2 has
// received. tail-head messages are in the ring. They are uint64s inside the
// shared region, at headOffset and tailOffset (the layout is given in
// ring.go), because that is the only memory the two sides share: two
// processes could not look into each other's Ring struct. M1 writes the tail
// and only reads the head; M2 writes the head and only reads the tail.
//
// Write indexAt(mem, off): a *uint64 pointing at mem[off:off+8], made with
// unsafe.Pointer(&mem[off]). It must panic when off is not a multiple of 8.
// mmap returns page-aligned memory, so such an offset gives an 8-byte-aligned
// pointer, and that matters: sync/atomic's 64-bit operations need their
// operand aligned to 8 (on 32-bit ARM and x86 a misaligned one panics; on
// amd64 an atomic load of a uint64 that straddles two cache lines may see
// half of an old value and half of a new one). Then point each side at its
// own copy of each index: M1's pointers into r.prod, M2's into r.cons.
//
// Use sync/atomic for every access to the indices, never a plain load or
// store: atomic.StoreUint64 on the tail after writing a message, and
// atomic.LoadUint64 of the tail before reading one, guarantee that a reader
// who sees the new tail also sees the message (the Go memory model's
// synchronized-before, https://go.dev/ref/mem). With plain accesses the
// compiler or the CPU may reorder them, and no tool will tell you.
//
// The tests check: indexAt points into the mapping itself, 8-byte aligned;
// a uint64 stored through one mapping is loaded through the other; indexAt
// panics on offset 4. And, once step 3 is done, that after 3 TrySends the
// tail read through M2's mapping is 3, and after 2 TryReceives the head read
// through M1's mapping is 2.
//
// # Step 3: TrySend and TryReceive
//
// The slots start at slotsOffset, SlotSize bytes each. Message number c
// (counting from 0) goes into slot c & (slots-1): the counters run on, the
// slot numbers wrap around. A slot holds the message's length (4 bytes,
// little-endian: encoding/binary) and then the message, at most MaxMessage
// bytes.
//
// TrySend(msg): ErrTooLarge for a message longer than MaxMessage. The ring is
// full when tail-head equals the number of slots: return false, nil, and
// overwrite nothing. Otherwise write the length and the message into slot
// tail, and only then store tail+1, atomically. The order is the whole trick:
// store the tail first and M2 may read a slot that still holds the message
// of one lap earlier, or half of each.
//
// TryReceive(buf): the ring is empty when head equals tail: return 0, false,
// nil. Otherwise read the length from slot head; if the message is longer
// than buf, return io.ErrShortBuffer and leave it in the ring. Copy it into
// buf, and only then store head+1: from then on M1 may overwrite the slot.
//
// The tests check: empty, then messages in order, then empty again; a full
// ring of 4 slots refuses the 5th message and keeps the 1st; 200 rounds of 1
// to 4 messages of 0 to MaxMessage bytes through 4 slots (wrap-around); the
// MaxMessage limit; a short buffer.
//
// # Step 4: Send and Receive wait; Close wakes them
//
// Send and Receive are TrySend and TryReceive in a loop: retry while the ring
// is full (empty), return on success or on an error. Between retries, spin
// first (retry at once, a few dozen times: the other side is probably running
// on another core and about to act), then call runtime.Gosched for a while
// (let other goroutines run on this thread), and then sleep briefly
// (time.Sleep of some microseconds: the thread itself goes to sleep, so the
// operating system can run the other side on this core; without that, on a
// busy machine the waiting side burns its whole time slice while the side it
// waits for is not running at all).
//
// Close must wake a waiting Send or Receive: they return ErrClosed, and so
// does every call after Close, even with messages left in the ring (Close is
// teardown, not end-of-stream). And Close must not unmap memory that a Send
// or Receive is still using: touching unmapped memory is a SIGSEGV that kills
// the process, not a panic. One way: a closed flag (atomic.Bool), and one
// sync.Mutex per side, held by TrySend (TryReceive) while it touches its
// mapping, which checks the flag under its mutex. Close sets the flag, then
// takes both mutexes before it unmaps; a waiting Send or Receive sees the
// flag at its next retry. The mutexes also keep the ring single-producer and
// single-consumer if two goroutines ever send at once.
//
// The tests check: Receive on an empty ring returns a message sent later;
// Send on a full ring returns once a slot is free, overwriting nothing; Close
// makes a waiting Send and a waiting Receive return ErrClosed; every
// operation after Close returns ErrClosed. And the stream: 250,000 messages
// of 16 to MaxMessage bytes, each carrying its sequence number and a check
// word, from an M1 goroutine to an M2 goroutine through 64 slots, so the ring
// wraps round thousands of times and is found full and empty again and
// again. Every message must arrive once, in order, whole; the failure says
// what arrived instead (a message from one lap earlier, a torn one, a lost
// one).
//
// # Going further: as fast as a channel?
//
// The test file holds two benchmarks that stream the same 16-byte messages
// from one goroutine to another, through your ring and through a buffered
// channel of the same capacity. Run them without the race detector:
//
//	go test -run '^$' -bench . -benchtime=2000000x -count=5 ./exercises/12_mmap_ring
//
// What makes a ring slow is two cores fighting over the same cache lines: M2
// spinning on the tail while M1 writes it. Keep a copy of the other side's
// index and load the real one only when your copy says full (empty): most
// operations then touch no line the other core writes. The indices are on
// separate cache lines for the same reason, and so should each side's fields
// in the Ring struct be.
//
// # Read more
//
//   - mmap(2), MAP_SHARED: https://man7.org/linux/man-pages/man2/mmap.2.html
//   - memfd_create(2): https://man7.org/linux/man-pages/man2/memfd_create.2.html
//   - unix.Mmap: https://pkg.go.dev/golang.org/x/sys/unix#Mmap
//   - sync/atomic, and the alignment of 64-bit words: https://pkg.go.dev/sync/atomic#pkg-note-BUG
//   - unsafe.Pointer's conversion rules: https://pkg.go.dev/unsafe#Pointer
//   - The Go memory model: https://go.dev/ref/mem
//   - The race detector, and what it can see: https://go.dev/doc/articles/race_detector
//   - encoding/binary: https://pkg.go.dev/encoding/binary
package mmapring
