// Package pipes is exercise 09: M1 sends messages to M2 through a pipe, the
// oldest IPC technique there is, between two goroutines of one process.
//
// A pipe is a one-way stream of bytes with a buffer in the kernel: os.Pipe
// returns a read end and a write end, two file descriptors. What M1 writes to
// one end M2 reads from the other, in order, nothing lost, nothing added; but
// it is a stream of bytes, not of messages: the pipe keeps no boundaries
// between one Write and the next, and a Read returns whatever the pipe holds
// at that moment, at most as much as you asked for. So you first give the
// stream message boundaries (frames), then carry frames through a real pipe,
// and last learn the pipe's own trap: its buffer is small, and a writer
// nobody reads from waits for ever.
//
// Edit pipes.go at every // TODO, in step order, and run `make check` after
// each step.
//
// # What a pipe costs
//
// On Linux a pipe's buffer holds 64 KiB by default (16 pages; macOS grows a
// pipe to 64 KiB as well). Each Send is a write system call and each Receive
// at least two reads (the header, then the message): every call enters the
// kernel. A message is copied three times: into your frame buffer in user
// space, from there into the kernel's pipe buffer, and out of it into the
// receiver's slice. When the buffer is full the writer sleeps until the
// reader has drained some of it, and a reader with nothing to read sleeps
// until the writer writes: a 1 MiB message crosses a 64 KiB buffer in at
// least 16 pieces, with a sleep and a wake-up for each. (Go parks the
// goroutine, not the thread: the runtime's network poller wakes it when the
// descriptor is ready.) A callback (exercise 01) does none of this: no copy,
// no system call, nobody sleeps.
//
// # Step 1: frames on a byte stream
//
// Write WriteFrame(w, msg): the frame is the length of msg as a 4-byte
// big-endian uint32 (encoding/binary: binary.BigEndian), then the bytes of
// msg, written with ONE call of w.Write. One buffer, one Write: on a pipe
// that is one system call (while the frame fits in the buffer), and because
// an *os.File never interleaves two Writes, goroutines that share a Sender
// cannot mix up each other's frames. A message longer than MaxFrameSize
// (16 MiB) is refused with ErrFrameTooLarge before anything is written.
// Return w's error: the sender must know its message is lost.
//
// Write ReadFrame(r): read the 4-byte header, then exactly as many bytes as
// it announces. The trap: one call of r.Read may return fewer bytes than you
// asked for, even one; only io.EOF says the stream has ended. A ReadFrame that
// assumes one Read returns a whole frame works in a quick test on a
// bytes.Buffer and fails on a real pipe. io.ReadFull reads until the buffer is
// full, and reports how the stream ended:
//
//   - nothing read at all: io.EOF. Before a header, that is the clean end of
//     the stream: return io.EOF itself, unwrapped (callers compare it with ==).
//   - some read, not all: io.ErrUnexpectedEOF, the stream was cut inside a
//     frame.
//   - a header read, then no byte of the message: io.ReadFull says io.EOF, but
//     the frame had begun, so return io.ErrUnexpectedEOF.
//
// Check the length before you allocate: a length above MaxFrameSize fails
// with ErrFrameTooLarge (wrap it if you like: the tests use errors.Is). A
// ReadFrame that trusts the header would allocate 4 GiB for 0xffffffff, and a
// corrupt stream or a hostile peer can send exactly that.
//
// The tests check: the bytes of a few frames and that each takes one Write;
// that a message longer than MaxFrameSize is refused, unwritten, and one of
// exactly MaxFrameSize is not; that w's error is returned; reading back
// frames served whole, one byte per Read (testing/iotest.OneByteReader),
// half of what is asked per Read (iotest.HalfReader) and with io.EOF on the
// last bytes (iotest.DataErrReader); io.EOF after the last frame and for an
// empty stream; io.ErrUnexpectedEOF for a stream cut inside a header, just
// after a header, and inside a message; and ErrFrameTooLarge for lengths
// above MaxFrameSize, up to 0xffffffff.
//
// # Step 2: a pipe between two goroutines
//
// Open makes a pipe with os.Pipe and returns its two ends: a Sender around
// the write end, for M1, and a Receiver around the read end, for M2. Send
// writes one frame (WriteFrame), Receive reads one (ReadFrame). Each end has
// its own Close, and each side closes its own end; together they close every
// descriptor Open made. What closing tells the other side:
//
//   - Sender.Close: once M2 has read every frame sent before, its Receive
//     returns io.EOF. This is the only way a reader learns that the stream has
//     ended, and it comes only when every write end is closed.
//   - Receiver.Close: a Send waiting for room, or any later Send, fails with
//     a broken pipe (EPIPE) instead of waiting for ever. (Go does not let
//     SIGPIPE kill the program for a pipe it made itself; the write just
//     fails.)
//
// After its Close, an end's Send or Receive fails (os.ErrClosed).
//
// The tests check, each with fdleak.Check (every descriptor the test opened
// must be closed when it ends, or the test fails naming it, "fd 7 ->
// pipe:[1234]"): frames from M1 on one goroutine to M2 on another, then
// io.EOF; io.EOF after Sender.Close, twice; that a 1 MiB frame arrives whole
// while M1 sends it; that 4 goroutines sending on one Sender at once never mix
// up their frames; that closing the Receiver makes a waiting Send fail; and
// that Send and Receive fail after Close.
//
// # Step 3: Transfer, and the deadlock of the full pipe
//
// Transfer(msgs) carries msgs from M1 to M2 through a new pipe and returns
// what M2 received. M1 is the calling goroutine, which sends; M2 is a
// goroutine of its own, which receives until io.EOF. Transfer returns once M2
// has finished and both ends are closed, with the first error, if any.
//
// The trap: send everything first and read afterwards, and it works for small
// messages, which sit in the pipe's buffer until somebody reads them. A 1 MiB
// message does not fit: the write fills the 64 KiB buffer and waits for room
// that only a reader can make, and the reader is the same goroutine, further
// down, never reached. So start M2 BEFORE the first Send. The Go runtime
// cannot see this deadlock (a goroutine waiting on a descriptor might be woken
// by the kernel at any time), so nothing panics with "all goroutines are
// asleep": the program just stops.
//
// Two more ways to hang or to leak, both about closing:
//
//   - M2 waits for io.EOF, and io.EOF comes only once the write end is closed.
//     Close the Sender after the last Send, even when a Send failed.
//   - M2 must close its own end when it stops, for whatever reason, and before
//     it reports: a Send still waiting for room then fails instead of waiting
//     for ever, and no descriptor outlives Transfer.
//
// The tests check: small message lists, empty messages included, arrive
// whole and in order, and no descriptor is left open; a 1 MiB message between
// two small ones arrives whole; a message longer than MaxFrameSize stops the
// transfer with ErrFrameTooLarge, and what was sent before it has still
// arrived. The 1 MiB test calls Transfer with no safety net: if it deadlocks,
// the checker stops the tests after the exercise's time limit (15 seconds)
// and shows where each goroutine is blocked.
//
// # Read more
//
//   - os.Pipe: https://pkg.go.dev/os#Pipe
//   - io.ReadFull and io.Reader's contract: https://pkg.go.dev/io#ReadFull,
//     https://pkg.go.dev/io#Reader
//   - encoding/binary: https://pkg.go.dev/encoding/binary#ByteOrder
//   - testing/iotest, readers that return a little at a time:
//     https://pkg.go.dev/testing/iotest
//   - SIGPIPE in Go programs: https://pkg.go.dev/os/signal#hdr-SIGPIPE
//   - pipe(7), the kernel's side: capacity, PIPE_BUF, EOF and EPIPE:
//     https://man7.org/linux/man-pages/man7/pipe.7.html
//   - goleak: https://pkg.go.dev/go.uber.org/goleak
package pipes
