// Exercise 09: the task is in doc.go. Edit this file at every // TODO, in
// step order, and run `make check` after each step. MaxFrameSize,
// ErrFrameTooLarge and the two struct types are given.

package pipes

import (
	"errors"
	"io"
	"os"
)

// MaxFrameSize is the longest message a frame may carry: 16 MiB. WriteFrame
// refuses a longer message before writing anything; ReadFrame refuses a
// longer length before allocating anything.
const MaxFrameSize = 16 << 20

// ErrFrameTooLarge is returned, possibly wrapped, for a frame longer than
// MaxFrameSize. Test for it with errors.Is.
var ErrFrameTooLarge = errors.New("pipes: frame longer than MaxFrameSize")

// START FRAMING OMIT

// WriteFrame writes msg to w as one frame: the length of msg as a 4-byte
// big-endian uint32, then the bytes of msg, in a single call of w.Write.
func WriteFrame(w io.Writer, msg []byte) error {
	// TODO(step 1): refuse a message longer than MaxFrameSize with
	// ErrFrameTooLarge; otherwise put the header and the message in one
	// buffer (encoding/binary) and write it with one call of w.Write,
	// returning its error.
	return nil
}

// ReadFrame reads one frame from r and returns its message. It returns io.EOF
// itself when r ends before the first byte of a frame (a clean end),
// io.ErrUnexpectedEOF when r ends inside a frame, and ErrFrameTooLarge for a
// length above MaxFrameSize.
func ReadFrame(r io.Reader) ([]byte, error) {
	// TODO(step 1): read the 4-byte header, check the length, then read
	// exactly that many bytes. One call of r.Read may return fewer bytes
	// than you asked for: io.ReadFull keeps reading until it has them all.
	return nil, nil
}

// END FRAMING OMIT

// START ENDS OMIT

// Sender is M1's end of a pipe, the write end. Send may be called from
// several goroutines at once: each frame arrives whole.
type Sender struct {
	w *os.File
}

// Receiver is M2's end of a pipe, the read end. One goroutine receives.
type Receiver struct {
	r *os.File
}

// Open makes a pipe (os.Pipe) and returns its two ends.
func Open() (*Sender, *Receiver, error) {
	// TODO(step 2): make the pipe and wrap its ends.
	return nil, nil, nil
}

// Send writes msg to the pipe as one frame. It blocks while the pipe is full,
// until the receiver has read enough to make room, and fails once the
// receiver has been closed.
func (s *Sender) Send(msg []byte) error {
	// TODO(step 2): write one frame to the write end.
	return nil
}

// Close closes the write end. The receiver then gets io.EOF once it has read
// every frame sent before.
func (s *Sender) Close() error {
	// TODO(step 2): close the write end.
	return nil
}

// Receive reads the next frame from the pipe, waiting until it has arrived
// whole. It returns io.EOF once the sender is closed and every frame has
// been read.
func (r *Receiver) Receive() ([]byte, error) {
	// TODO(step 2): read one frame from the read end.
	return nil, nil
}

// Close closes the read end. A Send still waiting for room then fails.
func (r *Receiver) Close() error {
	// TODO(step 2): close the read end.
	return nil
}

// END ENDS OMIT

// START TRANSFER OMIT

// Transfer carries msgs from M1 to M2 through a new pipe: M1 sends them on
// the calling goroutine while M2 receives them on a goroutine of its own.
// It returns the messages M2 received, in order, and the first error, if
// any, once M2 has finished and both ends of the pipe are closed.
func Transfer(msgs [][]byte) ([][]byte, error) {
	// TODO(step 3): open a pipe; start M2, a goroutine that receives until
	// io.EOF and closes its end, BEFORE sending anything; send every
	// message, then close the sender; wait for M2 and return what it got.
	return nil, nil
}

// END TRANSFER OMIT
