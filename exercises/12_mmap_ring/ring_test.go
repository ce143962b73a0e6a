package mmapring

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/threadtalk/threadtalk/exercises/internal/fdleak"
)

// TestMain fails the package if a goroutine started by the tests is still
// alive when they have all finished.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// within bounds the waits of these tests: a broken step fails, never hangs.
const within = 2 * time.Second

// ringSeq numbers the rings of this process, so each has a name of its own.
var ringSeq atomic.Int64

// ringName returns a new name for a shared file, unique on this machine.
func ringName() string {
	return fmt.Sprintf("threadtalk-ring-%d-%d", os.Getpid(), ringSeq.Add(1))
}

// skipWithoutMmap skips the test where the platform has no shared mappings.
func skipWithoutMmap(t testing.TB) {
	t.Helper()
	if err := sharedMemory(); err != nil {
		t.Skip(err)
	}
}

// newRing returns a new ring of slots slots and its name; the test closes it
// when it ends. The caller calls fdleak.Check first.
func newRing(t testing.TB, slots int) (*Ring, string) {
	t.Helper()
	skipWithoutMmap(t)
	name := ringName()
	r, err := New(name, slots)
	require.NoError(t, err, "step 1: New(%q, %d) failed", name, slots)
	require.NotNil(t, r, "step 1: New returned a nil *Ring and no error: "+
		"create the shared file, map it twice and return the Ring")
	t.Cleanup(func() { r.Close() })
	size := regionSize(slots)
	require.Len(t, r.prod, size,
		"step 1: r.prod, the producer's mapping, must be the whole shared region of regionSize(%d) bytes", slots)
	require.Len(t, r.cons, size,
		"step 1: r.cons, the consumer's mapping, must be the whole shared region of regionSize(%d) bytes", slots)
	return r, name
}

// mappingsOf counts the mappings of the memfd name that /proc/self/maps
// lists. ok is false where it cannot tell (not Linux).
func mappingsOf(t testing.TB, name string) (n int, ok bool) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return 0, false
	}
	f, err := os.Open("/proc/self/maps")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "7f2c4a1f6000-7f2c4a1f7000 rw-s 00000000 00:01 2051  /memfd:NAME (deleted)"
		if strings.HasSuffix(sc.Text(), "/memfd:"+name+" (deleted)") {
			n++
		}
	}
	require.NoError(t, sc.Err())
	return n, true
}

// text returns the messages as strings, for readable diffs.
func text(msgs [][]byte) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = string(m)
	}
	return out
}

// tryReceiveAll receives with TryReceive until the ring reports empty.
func tryReceiveAll(t *testing.T, r *Ring) []string {
	t.Helper()
	var got []string
	buf := make([]byte, MaxMessage)
	for range 1000 {
		n, ok, err := r.TryReceive(buf)
		require.NoError(t, err, "step 3: TryReceive failed")
		if !ok {
			return got
		}
		got = append(got, string(buf[:n]))
	}
	require.FailNow(t, "step 3: TryReceive returned a message 1000 times in a row from a small ring",
		"it must return false once every message sent has been received")
	return nil
}

// Step 1

func TestNew_MapsOneSharedFileTwice(t *testing.T) {
	fdleak.Check(t)
	r, name := newRing(t, 8)

	assert.NotEqual(t, unsafe.Pointer(&r.prod[0]), unsafe.Pointer(&r.cons[0]),
		"step 1: the producer's and the consumer's mappings start at the same address: that is one mapping used "+
			"twice. Call mapShared twice, one mapping per module, as two processes would each map the file")
	if n, ok := mappingsOf(t, name); ok {
		assert.Equal(t, 2, n,
			"step 1: /proc/self/maps lists %d mapping(s) of /memfd:%s, want 2: one for M1, one for M2", n, name)
	}
}

func TestMappings_AByteWrittenThroughOneIsReadThroughTheOther(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	last := len(r.prod) - 1
	for i, off := range []int{headOffset + 1, tailOffset + 7, slotsOffset, last} {
		r.prod[off] = byte(0xA0 + i)
		assert.Equal(t, byte(0xA0+i), r.cons[off],
			"step 1: byte %d written through the producer's mapping reads %#x through the consumer's: "+
				"both must map the same shared file, with MAP_SHARED (mapShared)", off, r.cons[off])
		r.cons[off] = byte(0x50 + i)
		assert.Equal(t, byte(0x50+i), r.prod[off],
			"step 1: byte %d written through the consumer's mapping reads %#x through the producer's", off, r.prod[off])
		r.prod[off] = 0
	}
}

func TestClose_UnmapsBothMappingsAndClosesTheFile(t *testing.T) {
	fdleak.Check(t)
	before := fdleak.Open()
	r, name := newRing(t, 8)

	require.NoError(t, r.Close(), "step 1: Close failed")
	if n, ok := mappingsOf(t, name); ok {
		assert.Zero(t, n,
			"step 1: after Close, /proc/self/maps still lists %d mapping(s) of /memfd:%s: unmap both mappings", n, name)
	}
	if runtime.GOOS == "linux" {
		assert.Empty(t, fdleak.New(before),
			"step 1: after Close, the shared file's descriptor is still open: close it (closeShared)")
	}
	assert.NoError(t, r.Close(), "step 1: a second Close must do nothing and return nil")
}

func TestNew_RejectsASlotCountThatIsNotAPowerOfTwo(t *testing.T) {
	fdleak.Check(t)
	skipWithoutMmap(t)
	for _, slots := range []int{0, -4, 3, 12} {
		r, err := New(ringName(), slots)
		if r != nil {
			r.Close()
		}
		assert.ErrorIs(t, err, ErrSlots,
			"step 1: New(name, %d) must fail with ErrSlots, before it creates anything", slots)
		assert.Nil(t, r, "step 1: New(name, %d) returned a Ring with its error", slots)
	}
}

// Step 2

func TestIndexAt_PointsIntoTheMappingAt8ByteAlignedOffsets(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	for _, off := range []int{slotsOffset, slotsOffset + 8, slotsOffset + 64} {
		p := indexAt(r.prod, off)
		require.NotNil(t, p, "step 2: indexAt(r.prod, %d) returned nil", off)
		require.Equal(t, unsafe.Pointer(&r.prod[off]), unsafe.Pointer(p),
			"step 2: indexAt(r.prod, %d) must point at r.prod[%d], in the shared memory, not at a copy", off, off)
		assert.Zero(t, uintptr(unsafe.Pointer(p))%8, "step 2: indexAt(r.prod, %d) is not 8-byte aligned", off)

		const v = 0x1122334455667788
		atomic.StoreUint64(p, v)
		assert.Equal(t, uint64(v), binary.NativeEndian.Uint64(r.cons[off:]),
			"step 2: a uint64 stored through indexAt(r.prod, %d) must read the same through the consumer's mapping", off)
		q := indexAt(r.cons, off)
		require.NotNil(t, q, "step 2: indexAt(r.cons, %d) returned nil", off)
		assert.Equal(t, uint64(v), atomic.LoadUint64(q),
			"step 2: indexAt(r.cons, %d) must see what was stored through indexAt(r.prod, %d)", off, off)
		atomic.StoreUint64(p, 0)
	}
	assert.Panics(t, func() { indexAt(r.prod, slotsOffset+4) },
		"step 2: indexAt with an offset that is not a multiple of 8 must panic: "+
			"a misaligned uint64 is not safe for sync/atomic (doc.go says why)")
}

// Step 3

func TestTrySendAndTryReceive_DeliverInOrderThenReportEmpty(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 8)
	buf := make([]byte, MaxMessage)

	n, ok, err := r.TryReceive(buf)
	require.NoError(t, err, "step 3: TryReceive on a new ring failed")
	require.False(t, ok, "step 3: TryReceive on a new, empty ring returned a message (%d bytes)", n)

	sent := []string{"M1 to M2: one", "two", "", "three, the last"}
	for _, m := range sent {
		ok, err := r.TrySend([]byte(m))
		require.NoError(t, err, "step 3: TrySend(%q) failed", m)
		require.True(t, ok, "step 3: TrySend(%q) on a ring of 8 slots holding fewer than 8 returned false", m)
	}
	if diff := cmp.Diff(sent, tryReceiveAll(t, r)); diff != "" {
		t.Errorf("step 3: sent %q with TrySend, then TryReceive until empty got (-want +got):\n%s\n"+
			"TryReceive returns the oldest message first, each once, with its exact length", sent, diff)
	}
	_, ok, err = r.TryReceive(buf)
	require.NoError(t, err, "step 3: TryReceive on an emptied ring failed")
	assert.False(t, ok, "step 3: TryReceive returned a message after every message had been received")
}

func TestIndices_LiveInTheSharedMemory(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 8)
	for i := range 3 {
		ok, err := r.TrySend([]byte{byte(i)})
		require.NoError(t, err, "step 3: TrySend failed")
		require.True(t, ok, "step 3: TrySend on a ring with free slots returned false")
	}
	tail := binary.NativeEndian.Uint64(r.cons[tailOffset:])
	assert.Equal(t, uint64(3), tail,
		"step 2: after 3 TrySends, the tail at offset tailOffset of the consumer's mapping reads %d, want 3: "+
			"the indices live in the shared memory (indexAt), and TrySend stores the new tail there before it returns", tail)

	buf := make([]byte, MaxMessage)
	for range 2 {
		_, ok, err := r.TryReceive(buf)
		require.NoError(t, err, "step 3: TryReceive failed")
		require.True(t, ok, "step 3: TryReceive on a ring holding messages returned false")
	}
	head := binary.NativeEndian.Uint64(r.prod[headOffset:])
	assert.Equal(t, uint64(2), head,
		"step 2: after 2 TryReceives, the head at offset headOffset of the producer's mapping reads %d, want 2: "+
			"TryReceive stores the new head in the shared memory before it returns", head)
}

func TestTrySend_OnAFullRingReturnsFalseAndOverwritesNothing(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	send := func(m string) bool {
		t.Helper()
		ok, err := r.TrySend([]byte(m))
		require.NoError(t, err, "step 3: TrySend(%q) failed", m)
		return ok
	}
	for _, m := range []string{"a", "b", "c", "d"} {
		require.True(t, send(m), "step 3: TrySend(%q) returned false on a ring of 4 slots that was not full yet", m)
	}
	require.False(t, send("e"),
		"step 3: TrySend returned true on a full ring (4 messages in 4 slots): it overwrote a message not yet received. "+
			"The ring is full when tail-head equals the number of slots")

	buf := make([]byte, MaxMessage)
	n, ok, err := r.TryReceive(buf)
	require.NoError(t, err, "step 3: TryReceive failed")
	require.True(t, ok, "step 3: TryReceive on a full ring returned false")
	assert.Equal(t, "a", string(buf[:n]), "step 3: the first message received from the full ring must be the oldest")
	require.True(t, send("f"), "step 3: TrySend returned false after a receive freed a slot")
	require.False(t, send("g"), "step 3: TrySend returned true on a full ring (again full after one receive and one send)")

	if diff := cmp.Diff([]string{"b", "c", "d", "f"}, tryReceiveAll(t, r)); diff != "" {
		t.Errorf("step 3: from a full ring of 4 slots the next messages are wrong (-want +got):\n%s", diff)
	}
}

func TestRing_WrapsAroundManyTimes(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	var sent, got []string
	buf := make([]byte, MaxMessage)
	seq := 0
	for lap := range 200 {
		for range lap%4 + 1 { // 1 to 4 messages at a time: the slots in use move round the ring
			seq++
			m := strings.Repeat(string(rune('a'+seq%26)), seq%(MaxMessage+1))
			ok, err := r.TrySend([]byte(m))
			require.NoError(t, err, "step 3: TrySend of message %d failed", seq)
			require.True(t, ok, "step 3: TrySend of message %d returned false on a ring that had room", seq)
			sent = append(sent, m)
		}
		for {
			n, ok, err := r.TryReceive(buf)
			require.NoError(t, err, "step 3: TryReceive failed")
			if !ok {
				break
			}
			got = append(got, string(buf[:n]))
			require.LessOrEqual(t, len(got), len(sent), "step 3: TryReceive returned more messages than were sent")
		}
	}
	if diff := cmp.Diff(sent, got); diff != "" {
		t.Errorf("step 3: %d messages of 0 to %d bytes through a ring of 4 slots, a few at a time, "+
			"arrived wrong (-want +got):\n%s\n"+
			"a message's slot is its count modulo the number of slots (count & (slots-1))", len(sent), MaxMessage, diff)
	}
}

func TestTrySend_RejectsAMessageLongerThanMaxMessage(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	ok, err := r.TrySend(make([]byte, MaxMessage+1))
	assert.ErrorIs(t, err, ErrTooLarge, "step 3: TrySend of MaxMessage+1 bytes must fail with ErrTooLarge")
	assert.False(t, ok, "step 3: TrySend of MaxMessage+1 bytes returned true")

	full := bytes.Repeat([]byte{'m'}, MaxMessage)
	ok, err = r.TrySend(full)
	require.NoError(t, err, "step 3: TrySend of exactly MaxMessage bytes failed")
	require.True(t, ok, "step 3: TrySend of exactly MaxMessage bytes to an empty ring returned false")
	if diff := cmp.Diff([]string{string(full)}, tryReceiveAll(t, r)); diff != "" {
		t.Errorf("step 3: after a rejected message and one of MaxMessage bytes, the ring held (-want +got):\n%s", diff)
	}
}

func TestTryReceive_IntoAShortBufferKeepsTheMessage(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	ok, err := r.TrySend([]byte("ten bytes!"))
	require.NoError(t, err, "step 3: TrySend failed")
	require.True(t, ok, "step 3: TrySend to an empty ring returned false")

	n, ok, err := r.TryReceive(make([]byte, 5))
	assert.ErrorIs(t, err, io.ErrShortBuffer,
		"step 3: TryReceive into a 5-byte buffer of a 10-byte message must fail with io.ErrShortBuffer")
	assert.False(t, ok, "step 3: TryReceive into a buffer too short returned true (%d bytes)", n)
	if diff := cmp.Diff([]string{"ten bytes!"}, tryReceiveAll(t, r)); diff != "" {
		t.Errorf("step 3: a message too long for the buffer must stay in the ring for the next TryReceive (-want +got):\n%s", diff)
	}
}

// Step 4

// result is what a Send or Receive run on another goroutine returned.
type result struct {
	msg string
	err error
}

// inGoroutine runs op on a new goroutine and returns a channel that gets its
// result. The test's cleanup closes r, to wake op if it still waits, and
// waits for the goroutine.
func inGoroutine(t *testing.T, r *Ring, op func() result) <-chan result {
	t.Helper()
	out := make(chan result, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		out <- op()
	}()
	t.Cleanup(func() {
		r.Close()
		select {
		case <-done:
		case <-time.After(within):
			t.Errorf("step 4: a Send or Receive still waited 2s after Close: Close must wake both (they return ErrClosed)")
		}
	})
	return out
}

// await returns the result of an inGoroutine op, failing after within.
func await(t *testing.T, res <-chan result, what string) result {
	t.Helper()
	select {
	case r := <-res:
		return r
	case <-time.After(within):
		require.FailNow(t, "step 4: "+what+" did not return within 2s")
		return result{}
	}
}

func receiveOp(r *Ring) func() result {
	return func() result {
		buf := make([]byte, MaxMessage)
		n, err := r.Receive(buf)
		return result{msg: string(buf[:n]), err: err}
	}
}

func TestReceive_WaitsForASend(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	res := inGoroutine(t, r, receiveOp(r))

	ok, err := r.TrySend([]byte("late news"))
	require.NoError(t, err, "step 3: TrySend failed")
	require.True(t, ok, "step 3: TrySend to an empty ring returned false")
	got := await(t, res, "Receive on an empty ring, after a message was sent,")
	require.NoError(t, got.err, "step 4: Receive failed")
	assert.Equal(t, "late news", got.msg,
		"step 4: Receive, called on an empty ring, must wait until a message arrives and return it")
}

func TestSend_WaitsWhileTheRingIsFull(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 2)
	for _, m := range []string{"first", "second"} {
		ok, err := r.TrySend([]byte(m))
		require.NoError(t, err, "step 3: TrySend failed")
		require.True(t, ok, "step 3: TrySend to a ring with a free slot returned false")
	}
	res := inGoroutine(t, r, func() result { return result{err: r.Send([]byte("third"))} })

	buf := make([]byte, MaxMessage)
	n, ok, err := r.TryReceive(buf)
	require.NoError(t, err, "step 3: TryReceive failed")
	require.True(t, ok, "step 3: TryReceive on a full ring returned false")
	got := []string{string(buf[:n])}
	require.NoError(t, await(t, res, "Send on a full ring, after a receive freed a slot,").err, "step 4: Send failed")
	got = append(got, tryReceiveAll(t, r)...)
	if diff := cmp.Diff([]string{"first", "second", "third"}, got); diff != "" {
		t.Errorf("step 4: Send on a full ring must wait for a free slot, overwriting nothing; "+
			"the messages received were (-want +got):\n%s", diff)
	}
}

func TestClose_WakesAWaitingSendAndReceive(t *testing.T) {
	type testCase struct {
		name string
		// fill is how many messages to send first to a ring of 1 slot.
		fill int
		op   func(r *Ring) func() result
	}
	run := func(t *testing.T, tc testCase) {
		fdleak.Check(t)
		r, _ := newRing(t, 1)
		for range tc.fill {
			ok, err := r.TrySend([]byte("x"))
			require.NoError(t, err, "step 3: TrySend failed")
			require.True(t, ok, "step 3: TrySend to an empty ring returned false")
		}
		op := tc.op(r)
		started := make(chan struct{})
		res := inGoroutine(t, r, func() result { close(started); return op() })
		<-started
		require.NoError(t, r.Close(), "step 1: Close failed")
		got := await(t, res, tc.name+" on a ring closed while it waited")
		assert.ErrorIs(t, got.err, ErrClosed, "step 4: %s must return ErrClosed when Close is called while it waits", tc.name)
	}
	tests := []testCase{
		{name: "Receive", fill: 0, op: receiveOp},
		{name: "Send", fill: 1, op: func(r *Ring) func() result {
			return func() result { return result{err: r.Send([]byte("y"))} }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestRing_EveryOperationAfterCloseReturnsErrClosed(t *testing.T) {
	fdleak.Check(t)
	r, _ := newRing(t, 4)
	ok, err := r.TrySend([]byte("never received"))
	require.NoError(t, err, "step 3: TrySend failed")
	require.True(t, ok, "step 3: TrySend to an empty ring returned false")
	require.NoError(t, r.Close(), "step 1: Close failed")

	buf := make([]byte, MaxMessage)
	_, err = r.TrySend([]byte("x"))
	assert.ErrorIs(t, err, ErrClosed, "step 4: TrySend after Close")
	_, _, err = r.TryReceive(buf)
	assert.ErrorIs(t, err, ErrClosed, "step 4: TryReceive after Close, even with a message left in the ring")
	assert.ErrorIs(t, r.Send([]byte("x")), ErrClosed, "step 4: Send after Close")
	_, err = r.Receive(buf)
	assert.ErrorIs(t, err, ErrClosed, "step 4: Receive after Close")
}

// pattern is where the stream's payloads come from: copying a part of it is
// cheap under the race detector, which checks byte loops byte by byte.
var pattern = func() []byte {
	p := make([]byte, 256+MaxMessage)
	for i := range p {
		p[i] = byte(i * 7)
	}
	return p
}()

// checkWord is the last 8 bytes of stream message seq: a checksum of its
// first 8, so that a message torn between two writes shows.
func checkWord(seq uint64) uint64 { return seq*0x9E3779B97F4A7C15 + 1 }

// streamMessage writes message seq of the stream into buf and returns it:
// the sequence number (8 bytes), a payload made from it, and its check word
// (8 bytes), 16 to MaxMessage bytes in all.
func streamMessage(buf []byte, seq uint64) []byte {
	msg := buf[:16+int(seq%uint64(MaxMessage-15))]
	binary.LittleEndian.PutUint64(msg, seq)
	copy(msg[8:len(msg)-8], pattern[seq%256:])
	binary.LittleEndian.PutUint64(msg[len(msg)-8:], checkWord(seq))
	return msg
}

// describe says what went wrong with a message that should have been want,
// received from a ring of slots slots.
func describe(got []byte, want uint64, slots int) string {
	if len(got) < 16 {
		return fmt.Sprintf("message %d arrived with %d bytes, too short to hold even its sequence number: "+
			"was its slot read before anything had been written there?", want, len(got))
	}
	seq := binary.LittleEndian.Uint64(got)
	whole := binary.LittleEndian.Uint64(got[len(got)-8:]) == checkWord(seq)
	switch {
	case seq == want:
		return fmt.Sprintf("message %d arrived with the wrong length or payload (%d bytes)", want, len(got))
	case seq+uint64(slots) == want:
		how := "whole"
		if !whole {
			how = "in part (torn: its check word does not match)"
		}
		return fmt.Sprintf("message %d arrived as message %d, %s: that is its slot's previous contents, one lap earlier. "+
			"The consumer read the slot before the producer had finished writing it: "+
			"the producer must store the new tail only after the whole message is in its slot, "+
			"and both sides must use sync/atomic for the indices", want, seq, how)
	case !whole:
		return fmt.Sprintf("message %d arrived torn (it says seq %d, but its check word does not match): "+
			"part of one message, part of another", want, seq)
	case seq < want:
		return fmt.Sprintf("message %d arrived as message %d, again: a slot was read twice, or the head moved back", want, seq)
	default:
		return fmt.Sprintf("message %d arrived as message %d: the messages in between were lost "+
			"(overwritten before they were read? the ring is full when tail-head equals the number of slots)", want, seq)
	}
}

func TestStream_EveryMessageArrivesOnceInOrderAndWhole(t *testing.T) {
	// The race detector cannot see mmap'd memory, so it cannot check this
	// ring: this test checks what arrives instead. M1 streams messages that
	// carry their sequence number and a checksum through a small ring, so it
	// wraps round many times, and the two goroutines keep finding it full
	// and empty; M2 checks that every message arrives once, in order, whole.
	const slots = 64
	const messages = 250_000
	const every = 1 << 12 // M2 reports its progress every this many messages
	fdleak.Check(t)
	r, _ := newRing(t, slots)

	produced := make(chan error, 1)
	go func() {
		buf := make([]byte, MaxMessage)
		for seq := range uint64(messages) {
			if err := r.Send(streamMessage(buf, seq)); err != nil {
				produced <- fmt.Errorf("Send of message %d: %w", seq, err)
				return
			}
		}
		produced <- nil
	}()

	progress := make(chan uint64, 1)
	consumed := make(chan string, 1) // "" when all arrived right, else what went wrong
	go func() {
		buf := make([]byte, MaxMessage)
		want := make([]byte, MaxMessage)
		for seq := range uint64(messages) {
			n, err := r.Receive(buf)
			if err != nil {
				consumed <- fmt.Sprintf("Receive of message %d failed: %v", seq, err)
				return
			}
			if !bytes.Equal(buf[:n], streamMessage(want, seq)) {
				consumed <- describe(buf[:n], seq, slots)
				return
			}
			if seq%every == 0 {
				select {
				case progress <- seq:
				default:
				}
			}
		}
		consumed <- ""
	}()

	// However M2 ends, close the ring so that M1 cannot wait for ever, and
	// wait for M1.
	stopProducer := func() error {
		r.Close()
		select {
		case err := <-produced:
			return err
		case <-time.After(within):
			return fmt.Errorf("step 4: Send still waited 2s after Close: Close must wake it")
		}
	}
	for {
		select {
		case <-progress:
			continue
		case problem := <-consumed:
			if problem != "" {
				_ = stopProducer()
				require.FailNow(t, "step 4: streaming "+fmt.Sprint(messages)+" messages through a ring of "+
					fmt.Sprint(slots)+" slots: "+problem)
			}
			// Every message arrived: M1's last Send has returned, or is about to.
			select {
			case err := <-produced:
				require.NoError(t, err, "step 4: the producer failed after every message had arrived")
			case <-time.After(within):
				require.NoError(t, stopProducer(), "step 4: the last Send did not return after its message arrived")
			}
			return
		case <-time.After(within):
			err := stopProducer()
			require.FailNow(t, "step 4: the stream made no progress for 2s",
				"are Send and Receive waiting for each other? (producer: %v)", err)
		}
	}
}

// The benchmarks stream the same messages, from one goroutine to another,
// through the ring and through a buffered channel of the same capacity:
//
//	go test -run '^$' -bench . -benchtime=2000000x -count=5 ./exercises/12_mmap_ring
//
// ns/op is the time per message.

const benchSlots, benchSize = 1024, 16

func BenchmarkRing(b *testing.B) {
	r, _ := newRing(b, benchSlots)
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, MaxMessage)
		for range b.N {
			if _, err := r.Receive(buf); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	msg := make([]byte, benchSize)
	b.ResetTimer()
	for i := range b.N {
		msg[0] = byte(i)
		if err := r.Send(msg); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

func BenchmarkBufferedChannel(b *testing.B) {
	ch := make(chan [benchSize]byte, benchSlots)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range b.N {
			<-ch
		}
	}()
	var msg [benchSize]byte
	b.ResetTimer()
	for i := range b.N {
		msg[0] = byte(i)
		ch <- msg
	}
	<-done
}
