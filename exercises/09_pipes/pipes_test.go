package pipes

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/threadtalk/threadtalk/exercises/internal/fdleak"
)

// TestMain fails the package if a goroutine started by the tests is still
// alive when they have all finished: an M2 left waiting for an io.EOF that
// never comes, or an M1 left waiting for room in a pipe nobody reads.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait bounds every wait of these tests: a broken step fails, never hangs.
// (TestTransfer_CarriesAMessageBiggerThanThePipeBuffer is the exception; see
// there.)
const wait = 2 * time.Second

// bigSize is larger than any pipe's buffer (64 KiB on Linux and macOS): a
// message this size cannot sit in the pipe whole, and a single Read never
// returns all of it.
const bigSize = 1 << 20

// frame is how the tests encode a frame, independently of WriteFrame: the
// length as a big-endian uint32, then the message.
func frame(msg []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(msg))), msg...)
}

// header is a frame's 4-byte header alone, announcing n bytes.
func header(n uint32) []byte {
	return binary.BigEndian.AppendUint32(nil, n)
}

// pattern returns n bytes that depend on their position and on seed, so
// that a truncated, shifted or mixed-up copy never compares equal.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i%251) ^ seed
	}
	return b
}

func msgs(texts ...string) [][]byte {
	ms := make([][]byte, len(texts))
	for i, s := range texts {
		ms[i] = []byte(s)
	}
	return ms
}

// summary describes a message in a line: a short one in full, a long one by
// its length, its first bytes and a checksum. Failure messages never dump a
// megabyte.
func summary(m []byte) string {
	if len(m) <= 32 {
		return fmt.Sprintf("%d bytes %q", len(m), m)
	}
	sum := sha256.Sum256(m)
	return fmt.Sprintf("%d bytes %q... sha256 %x", len(m), m[:16], sum[:6])
}

func summaries(ms [][]byte) []string {
	var out []string
	for _, m := range ms {
		out = append(out, summary(m))
	}
	return out
}

// countingWriter counts the calls of Write and the bytes written, and keeps
// them unless discard is set.
type countingWriter struct {
	buf     bytes.Buffer
	calls   int
	n       int
	discard bool
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.calls++
	w.n += len(p)
	if !w.discard {
		w.buf.Write(p)
	}
	return len(p), nil
}

// failingWriter fails every Write.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// emptyReadsReturn answers a Read into an empty buffer with (0, nil) at
// once, as io.Reader allows, instead of passing it on: iotest.DataErrReader
// would loop for ever on one.
type emptyReadsReturn struct{ r io.Reader }

func (e emptyReadsReturn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return e.r.Read(p)
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// Step 1

func TestWriteFrame_WritesTheLengthThenTheBytesInOneWrite(t *testing.T) {
	type testCase struct {
		name       string
		msg        []byte
		wantHeader string // in hex
	}
	run := func(t *testing.T, tc testCase) {
		var w countingWriter
		err := WriteFrame(&w, tc.msg)
		require.NoError(t, err, "step 1: WriteFrame of a %d-byte message failed", len(tc.msg))
		got := w.buf.Bytes()
		n := min(4, len(got))
		assert.Equal(t, tc.wantHeader, hex.EncodeToString(got[:n]),
			"step 1: WriteFrame(%s) wrote the wrong header (in hex): want the length of the message as a 4-byte "+
				"big-endian uint32 (binary.BigEndian)", summary(tc.msg))
		assert.Equal(t, summary(tc.msg), summary(got[n:]),
			"step 1: WriteFrame(%s) wrote the wrong bytes after the header: want the message itself", summary(tc.msg))
		assert.Equal(t, 1, w.calls,
			"step 1: WriteFrame called w.Write %d times for one frame, want once: put the header and the message in one buffer "+
				"and write it with one call. On a pipe every Write is a system call, and one Write per frame keeps "+
				"the frame whole when several goroutines send at once", w.calls)
	}
	tests := []testCase{
		{name: "hello", msg: []byte("hello"), wantHeader: "00000005"},
		{name: "an empty message", msg: []byte{}, wantHeader: "00000000"},
		{name: "binary with zero bytes", msg: []byte{0, 1, 0, 0xff}, wantHeader: "00000004"},
		{name: "300 bytes", msg: pattern(300, 0), wantHeader: "0000012c"},
		{name: "70000 bytes", msg: pattern(70000, 0), wantHeader: "00011170"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestWriteFrame_RefusesAMessageLongerThanMaxFrameSize(t *testing.T) {
	var w countingWriter
	err := WriteFrame(&w, make([]byte, MaxFrameSize+1))
	require.ErrorIs(t, err, ErrFrameTooLarge,
		"step 1: WriteFrame of MaxFrameSize+1 bytes must fail with ErrFrameTooLarge: ReadFrame would refuse that frame")
	assert.Zero(t, w.n, "step 1: WriteFrame refused a message but wrote %d bytes first: check the length before writing", w.n)

	w = countingWriter{discard: true}
	require.NoError(t, WriteFrame(&w, make([]byte, MaxFrameSize)),
		"step 1: WriteFrame must accept a message of exactly MaxFrameSize bytes")
	assert.Equal(t, 4+MaxFrameSize, w.n, "step 1: WriteFrame of MaxFrameSize bytes wrote the wrong number of bytes")
}

func TestWriteFrame_ReturnsTheWritersError(t *testing.T) {
	errBroken := errors.New("broken pipe (a test's writer)")
	err := WriteFrame(failingWriter{errBroken}, []byte("hello"))
	assert.ErrorIs(t, err, errBroken,
		"step 1: the writer failed, and WriteFrame must return its error: the sender has to know its message is lost")
}

func TestReadFrame_ReadsBackEveryFrameHoweverTheBytesArrive(t *testing.T) {
	want := [][]byte{[]byte("hello"), {}, {0, 0, 0, 0, 1}, pattern(100<<10, 7), []byte("bye")}
	var stream []byte
	for _, m := range want {
		stream = append(stream, frame(m)...)
	}

	type testCase struct {
		name   string
		reader func(r io.Reader) io.Reader
		how    string // how that reader serves the bytes
	}
	run := func(t *testing.T, tc testCase) {
		r := tc.reader(bytes.NewReader(stream))
		why := "\nThe reader here " + tc.how + ". One call of r.Read may return fewer bytes than the buffer holds: " +
			"read the header, then the message, with io.ReadFull, which keeps reading until it has them all"
		var got [][]byte
		for range want {
			m, err := ReadFrame(r)
			require.NoError(t, err, "step 1: ReadFrame failed on frame %d of %d (%s); the frames before it came out as [%s]%s",
				len(got)+1, len(want), summary(want[len(got)]), strings.Join(summaries(got), ", "), why)
			got = append(got, m)
		}
		if diff := cmp.Diff(summaries(want), summaries(got)); diff != "" {
			t.Errorf("step 1: ReadFrame read the wrong messages (-want +got):\n%s%s", diff, why)
		}
		m, err := ReadFrame(r)
		assert.Equal(t, io.EOF, err,
			"step 1: after the last frame, ReadFrame must return io.EOF itself (got message %q): "+
				"the stream ended cleanly, between two frames", m)
	}
	tests := []testCase{
		{name: "all at once", reader: func(r io.Reader) io.Reader { return r }, how: "returns all it is asked for"},
		{name: "one byte per Read", reader: iotest.OneByteReader, how: "(iotest.OneByteReader) returns one byte per Read"},
		{name: "half of what is asked per Read", reader: iotest.HalfReader, how: "(iotest.HalfReader) returns half of what is asked per Read"},
		{
			name:   "io.EOF with the last bytes",
			reader: func(r io.Reader) io.Reader { return emptyReadsReturn{iotest.DataErrReader(r)} },
			how:    "(iotest.DataErrReader) returns io.EOF together with the last bytes, not after them",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestReadFrame_TellsACleanEndFromAStreamCutMidFrame(t *testing.T) {
	hello := frame([]byte("hello"))
	type testCase struct {
		name    string
		stream  []byte
		wantErr error
		why     string
	}
	run := func(t *testing.T, tc testCase, reader func(io.Reader) io.Reader) {
		m, err := ReadFrame(reader(bytes.NewReader(tc.stream)))
		if tc.wantErr == io.EOF {
			assert.Equal(t, io.EOF, err, "step 1: ReadFrame on %s returned (%q, %v): %s", tc.name, m, err, tc.why)
			return
		}
		assert.ErrorIs(t, err, tc.wantErr, "step 1: ReadFrame on %s returned (%q, %v): %s", tc.name, m, err, tc.why)
	}
	tests := []testCase{
		{
			name: "an empty stream", stream: nil, wantErr: io.EOF,
			why: "want io.EOF itself: no frame had begun, so this is the clean end of the stream",
		},
		{
			name: "half a header", stream: hello[:2], wantErr: io.ErrUnexpectedEOF,
			why: "want io.ErrUnexpectedEOF: the stream ended inside a frame (io.ReadFull returns it)",
		},
		{
			name: "a header announcing 5 bytes and no message", stream: hello[:4], wantErr: io.ErrUnexpectedEOF,
			why: "want io.ErrUnexpectedEOF: the header promised 5 bytes and none came. io.ReadFull returns plain io.EOF " +
				"when it reads nothing at all; after a header that is no clean end, so turn it into io.ErrUnexpectedEOF",
		},
		{
			name: "a header and 3 of the 5 bytes", stream: hello[:7], wantErr: io.ErrUnexpectedEOF,
			why: "want io.ErrUnexpectedEOF: the stream ended inside the message",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Run("all at once", func(t *testing.T) { run(t, tc, func(r io.Reader) io.Reader { return r }) })
			t.Run("one byte per Read", func(t *testing.T) { run(t, tc, iotest.OneByteReader) })
		})
	}
}

func TestReadFrame_RefusesALengthAboveMaxFrameSizeWithoutAllocatingIt(t *testing.T) {
	// In order, and stopping at the first failure: a ReadFrame that trusts
	// the header must fail on the first length, not try to allocate 4 GiB.
	for _, n := range []uint32{MaxFrameSize + 1, 1 << 31, 0xffffffff} {
		stream := append(header(n), "garbage"...)
		m, err := ReadFrame(bytes.NewReader(stream))
		require.ErrorIs(t, err, ErrFrameTooLarge,
			"step 1: a header announcing %d bytes (more than MaxFrameSize = %d) must be refused with ErrFrameTooLarge "+
				"before anything is allocated; got %d bytes and error %v. A corrupt or hostile length must not cost 4 GiB",
			n, MaxFrameSize, len(m), err)
	}

	stream := io.MultiReader(bytes.NewReader(header(MaxFrameSize)), io.LimitReader(zeros{}, MaxFrameSize))
	m, err := ReadFrame(stream)
	require.NoError(t, err, "step 1: a frame of exactly MaxFrameSize bytes is allowed")
	assert.Len(t, m, MaxFrameSize, "step 1: a frame of exactly MaxFrameSize bytes came back with the wrong length")
}

// Step 2: helpers for a real pipe

// open calls Open and closes both ends when the test ends, through their
// Close methods: if those leave a descriptor open, fdleak.Check reports it.
func open(t *testing.T) (*Sender, *Receiver) {
	t.Helper()
	s, r, err := Open()
	require.NoError(t, err, "step 2: Open failed")
	require.NotNil(t, s, "step 2: Open returned a nil Sender: make a pipe with os.Pipe and wrap its write end")
	require.NotNil(t, r, "step 2: Open returned a nil Receiver: make a pipe with os.Pipe and wrap its read end")
	t.Cleanup(func() {
		_ = s.Close() // the test may have closed it already; a second Close only returns an error
		_ = r.Close()
	})
	return s, r
}

type received struct {
	msg []byte
	err error
}

// receive calls r.Receive on a goroutine and fails the test if it has not
// returned within 2s. (The goroutine is then left blocked until the test's
// cleanup closes r.)
func receive(t *testing.T, r *Receiver, what string) ([]byte, error) {
	t.Helper()
	c := make(chan received, 1)
	go func() {
		m, err := r.Receive()
		c <- received{m, err}
	}()
	select {
	case res := <-c:
		return res.msg, res.err
	case <-time.After(wait):
		require.FailNow(t, what, "Receive had not returned after 2s")
		return nil, nil
	}
}

// receiveAll receives until io.EOF (or an error, or one frame more than
// limit), with a bound of 2s on each Receive.
func receiveAll(t *testing.T, r *Receiver, limit int, what string) ([][]byte, error) {
	t.Helper()
	var got [][]byte
	for len(got) <= limit {
		m, err := receive(t, r, what)
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, m)
	}
	return got, fmt.Errorf("still no io.EOF after %d frames", len(got))
}

// goSend plays M1 on a goroutine of its own: it sends msgs, then closes s.
// The returned channel gets the first error, or nil. When the test ends, the
// receiver is closed (which must unblock a Send waiting for room) and the
// goroutine must have returned within 2s.
func goSend(t *testing.T, s *Sender, r *Receiver, msgs ...[]byte) <-chan error {
	t.Helper()
	sent := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for i, m := range msgs {
			if err := s.Send(m); err != nil {
				sent <- fmt.Errorf("Send of message %d (%s): %w", i+1, summary(m), err)
				return
			}
		}
		sent <- s.Close()
	}()
	t.Cleanup(func() {
		_ = r.Close()
		select {
		case <-finished:
		case <-time.After(wait):
			t.Errorf("step 2: M1 was still blocked in Send 2s after the receiver was closed: " +
				"Receiver.Close must close the read end, and then a Send waiting for room fails")
		}
	})
	return sent
}

func requireSent(t *testing.T, sent <-chan error, what string) {
	t.Helper()
	select {
	case err := <-sent:
		require.NoError(t, err, what)
	case <-time.After(wait):
		require.FailNow(t, what, "M1 was still sending 2s after M2 had received everything")
	}
}

// Step 2

func TestPipe_CarriesFramesFromOneGoroutineToAnother(t *testing.T) {
	fdleak.Check(t)
	s, r := open(t)
	want := msgs("reading 1: 20.5", "", "reading 2: 21.0", "reading 3: 19.8")

	sent := goSend(t, s, r, want...) // M1
	got, err := receiveAll(t, r, len(want), "step 2: M2 receives what M1 sends, then io.EOF once M1 has closed its end")
	require.NoError(t, err, "step 2: M2's Receive failed; received so far: %v", summaries(got))
	if diff := cmp.Diff(summaries(want), summaries(got)); diff != "" {
		t.Errorf("step 2: M2 received the wrong frames (-want +got):\n%s\n"+
			"Send writes one frame to the write end (WriteFrame), Receive reads one from the read end (ReadFrame)", diff)
	}
	requireSent(t, sent, "step 2: every Send and the Sender's Close must succeed")
}

func TestReceive_ReturnsEOFOnceTheSenderIsClosed(t *testing.T) {
	fdleak.Check(t)
	s, r := open(t)
	// Two small frames fit in the pipe's buffer: M1 can send them before
	// anybody reads.
	require.NoError(t, s.Send([]byte("one")), "step 2: Send of a small frame failed")
	require.NoError(t, s.Send([]byte("two")), "step 2: Send of a small frame failed")
	require.NoError(t, s.Close(), "step 2: Sender.Close failed")

	for _, want := range []string{"one", "two"} {
		m, err := receive(t, r, "step 2: a frame sent before the Sender was closed must still arrive")
		require.NoError(t, err, "step 2: Receive of %q failed", want)
		require.Equal(t, want, string(m), "step 2: Receive returned the wrong frame")
	}
	for range 2 {
		m, err := receive(t, r, "step 2: once every frame is read and the Sender closed, Receive must return io.EOF, not wait: "+
			"does Sender.Close close the write end?")
		require.Equal(t, io.EOF, err,
			"step 2: the Sender is closed and every frame read, so Receive must return io.EOF (got %q, %v), and again if called again", m, err)
	}
}

func TestPipe_BigFrameArrivesWhole(t *testing.T) {
	fdleak.Check(t)
	s, r := open(t)
	big := pattern(bigSize, 1)

	sent := goSend(t, s, r, big, []byte("after the big one")) // M1, on a goroutine: the frame cannot fit in the pipe
	m, err := receive(t, r, "step 2: M2 must receive a 1 MiB frame while M1 sends it")
	require.NoError(t, err, "step 2: Receive of a 1 MiB frame failed")
	if len(m) != bigSize || !bytes.Equal(m, big) {
		require.Failf(t, "step 2: a 1 MiB frame did not come out whole",
			"want %s\n got %s\n"+
				"the pipe holds 64 KiB at most, so one Read returns at most that much, often less: "+
				"a ReadFrame that assumes one Read returns a whole frame cuts it short. Use io.ReadFull",
			summary(big), summary(m))
	}
	m, err = receive(t, r, "step 2: the frame after the 1 MiB one must arrive")
	require.NoError(t, err, "step 2: Receive of the frame after the 1 MiB one failed")
	assert.Equal(t, "after the big one", string(m), "step 2: the frame after the 1 MiB one is wrong")
	requireSent(t, sent, "step 2: every Send and the Sender's Close must succeed")
}

func TestSend_FromManyGoroutinesEachFrameArrivesWhole(t *testing.T) {
	fdleak.Check(t)
	s, r := open(t)
	const senders, perSender, size = 4, 32, 4 << 10 // 512 KiB in all: M2 must read while they send
	message := func(sender, seq int) []byte {
		return append([]byte(fmt.Sprintf("sender %d seq %02d|", sender, seq)), pattern(size, byte(sender*perSender+seq))...)
	}

	var wg sync.WaitGroup
	sent := make(chan error, senders+1)
	for id := range senders {
		wg.Go(func() {
			for seq := range perSender {
				if err := s.Send(message(id, seq)); err != nil {
					sent <- err
					return
				}
			}
		})
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		wg.Wait()
		sent <- s.Close()
	}()
	t.Cleanup(func() {
		_ = r.Close() // unblocks the senders if M2 stopped early
		select {
		case <-finished:
		case <-time.After(wait):
			t.Errorf("step 2: the senders were still blocked 2s after the receiver was closed")
		}
	})

	got, err := receiveAll(t, r, senders*perSender, "step 2: M2 receives what 4 goroutines send on one Sender")
	require.NoError(t, err, "step 2: M2's Receive failed after %d frames", len(got))
	var broken []string
	seqs := map[int][]int{}
	for _, m := range got {
		var id, seq int
		if _, err := fmt.Sscanf(string(m), "sender %d seq %d|", &id, &seq); err != nil || !bytes.Equal(m, message(id, seq)) {
			broken = append(broken, summary(m))
			continue
		}
		seqs[id] = append(seqs[id], seq)
	}
	assert.Empty(t, broken,
		"step 2: frames came out mixed up when 4 goroutines sent on one Sender at once: "+
			"write each frame with one call of Write (an *os.File never interleaves two Writes)")
	wantSeqs := map[int][]int{}
	for id := range senders {
		for seq := range perSender {
			wantSeqs[id] = append(wantSeqs[id], seq)
		}
	}
	if diff := cmp.Diff(wantSeqs, seqs); diff != "" {
		t.Errorf("step 2: the frames of each sender, by sequence number, are wrong (-want +got):\n%s\n"+
			"every frame once, and each sender's frames in the order it sent them", diff)
	}
	requireSent(t, sent, "step 2: every Send and the Sender's Close must succeed")
}

func TestReceiverClose_MakesAWaitingSendFail(t *testing.T) {
	fdleak.Check(t)
	s, r := open(t)
	// M1 sends 1 MiB and nobody reads: Send fills the pipe and waits for room.
	sent := make(chan error, 1)
	go func() { sent <- s.Send(pattern(bigSize, 2)) }()

	require.NoError(t, r.Close(), "step 2: Receiver.Close failed")
	select {
	case err := <-sent:
		assert.Error(t, err,
			"step 2: Send of 1 MiB with the receiver closed must fail (broken pipe): nobody will ever read it")
	case <-time.After(wait):
		_ = s.Close()
		require.FailNow(t, "step 2: Send was still waiting for room 2s after the receiver was closed",
			"Receiver.Close must close the read end: the kernel then fails the write (EPIPE) instead of letting it wait")
	}
}

func TestClose_ClosesBothEnds(t *testing.T) {
	fdleak.Check(t) // when the test ends, both descriptors of the pipe must be closed
	s, r := open(t)
	require.NoError(t, s.Close(), "step 2: Sender.Close failed")
	require.NoError(t, r.Close(), "step 2: Receiver.Close failed")

	assert.Error(t, s.Send([]byte("too late")),
		"step 2: Send after Sender.Close must fail: the write end is closed (os.ErrClosed)")
	m, err := receive(t, r, "step 2: Receive after Receiver.Close must fail at once")
	assert.Error(t, err, "step 2: Receive after Receiver.Close must fail (os.ErrClosed); got %q", m)
	assert.NotEqual(t, io.EOF, err,
		"step 2: Receive after Receiver.Close returned io.EOF, the sign of a clean end; the read end is closed, so it is an error")
}

// Step 3

// transfer calls Transfer on a goroutine and fails the test if it has not
// returned within 2s.
func transfer(t *testing.T, ms [][]byte) ([][]byte, error) {
	t.Helper()
	type result struct {
		msgs [][]byte
		err  error
	}
	c := make(chan result, 1)
	go func() {
		got, err := Transfer(ms)
		c <- result{got, err}
	}()
	select {
	case res := <-c:
		return res.msgs, res.err
	case <-time.After(wait):
		require.FailNow(t, "step 3: Transfer had not returned after 2s",
			"M2 waits for io.EOF, which comes only once the Sender is closed: close it after the last Send, "+
				"even when a Send failed; then wait for M2")
		return nil, nil
	}
}

func TestTransfer_DeliversEveryMessageInOrder(t *testing.T) {
	type testCase struct {
		name string
		msgs [][]byte
	}
	run := func(t *testing.T, tc testCase) {
		fdleak.Check(t) // Transfer must close both ends before it returns
		got, err := transfer(t, tc.msgs)
		require.NoError(t, err, "step 3: Transfer of %d small messages failed", len(tc.msgs))
		if diff := cmp.Diff(summaries(tc.msgs), summaries(got), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("step 3: Transfer returned the wrong messages (-want +got):\n%s\n"+
				"M2 must receive every message M1 sent, in order, until io.EOF", diff)
		}
	}
	tests := []testCase{
		{name: "no message", msgs: nil},
		{name: "one message", msgs: msgs("hello, M2")},
		{name: "ten messages", msgs: msgs("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10")},
		{name: "empty messages among others", msgs: msgs("", "x", "", "y", "")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestTransfer_CarriesAMessageBiggerThanThePipeBuffer calls Transfer directly,
// with no safety net, on purpose. A Transfer that sends everything before
// anybody reads deadlocks here: its Send waits for room in a full pipe that
// only M2 could empty, and M2 has not started. The checker then stops the
// tests at the exercise's time limit and shows the goroutine blocked in the
// write, which says more than a bounded wait that failed.
func TestTransfer_CarriesAMessageBiggerThanThePipeBuffer(t *testing.T) {
	fdleak.Check(t)
	want := [][]byte{[]byte("first"), pattern(bigSize, 3), []byte("last")}

	got, err := Transfer(want)

	require.NoError(t, err, "step 3: Transfer of a 1 MiB message between two small ones failed")
	if diff := cmp.Diff(summaries(want), summaries(got)); diff != "" {
		t.Errorf("step 3: Transfer of a 1 MiB message between two small ones returned the wrong messages (-want +got):\n%s\n"+
			"the pipe holds 64 KiB, so the big frame arrives in pieces: read it with io.ReadFull (step 1)", diff)
	}
}

func TestTransfer_StopsAtAMessageTooLongAndCleansUp(t *testing.T) {
	fdleak.Check(t)
	tooLong := make([]byte, MaxFrameSize+1)

	got, err := transfer(t, [][]byte{[]byte("fits"), tooLong, []byte("never sent")})

	require.ErrorIs(t, err, ErrFrameTooLarge,
		"step 3: the second message is longer than MaxFrameSize: Transfer must stop there and return Send's error")
	if diff := cmp.Diff([]string{summary([]byte("fits"))}, summaries(got)); diff != "" {
		t.Errorf("step 3: after a failed Send, Transfer must still close the Sender, wait for M2, and return "+
			"what M2 received before the failure (-want +got):\n%s", diff)
	}
}
