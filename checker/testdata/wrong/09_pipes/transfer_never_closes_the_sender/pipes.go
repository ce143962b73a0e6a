// Known-wrong answer for exercise 09: Transfer never closes the write end (status: timeout).
// See the WRONG comment below.

package pipes

import (
	"encoding/binary"
	"errors"
	"fmt"
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

// headerSize is the length prefix: a big-endian uint32.
const headerSize = 4

// WriteFrame writes msg to w as one frame: the length of msg as a 4-byte
// big-endian uint32, then the bytes of msg, in a single call of w.Write.
func WriteFrame(w io.Writer, msg []byte) error {
	if len(msg) > MaxFrameSize {
		return fmt.Errorf("write a frame of %d bytes: %w", len(msg), ErrFrameTooLarge)
	}
	// One buffer, one Write: one system call on a pipe (while the frame fits
	// in the pipe's buffer), and since an *os.File serialises its Writes, a
	// frame is never interleaved with another goroutine's frame. The price is
	// one copy of msg in user space.
	frame := make([]byte, 0, headerSize+len(msg))
	frame = binary.BigEndian.AppendUint32(frame, uint32(len(msg)))
	frame = append(frame, msg...)
	_, err := w.Write(frame)
	return err
}

// ReadFrame reads one frame from r and returns its message. It returns io.EOF
// itself when r ends before the first byte of a frame (a clean end),
// io.ErrUnexpectedEOF when r ends inside a frame, and ErrFrameTooLarge for a
// length above MaxFrameSize.
func ReadFrame(r io.Reader) ([]byte, error) {
	var header [headerSize]byte
	// io.ReadFull, never a bare r.Read: a pipe's Read returns what the pipe
	// holds right now, which may be one byte of the header or 64 KiB of a
	// 1 MiB message. ReadFull returns io.EOF only when it read nothing, and
	// io.ErrUnexpectedEOF when the stream ended part way.
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(header[:])
	if n > MaxFrameSize {
		// Checked before make: a corrupt or hostile header must not make us
		// allocate up to 4 GiB.
		return nil, fmt.Errorf("read a frame of %d bytes: %w", n, ErrFrameTooLarge)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		if err == io.EOF {
			// The header has arrived, so the stream ended inside a frame
			// even if not one byte of the message did.
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return msg, nil
}

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
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("open a pipe: %w", err)
	}
	return &Sender{w: w}, &Receiver{r: r}, nil
}

// Send writes msg to the pipe as one frame. It blocks while the pipe is full,
// until the receiver has read enough to make room, and fails once the
// receiver has been closed.
func (s *Sender) Send(msg []byte) error {
	return WriteFrame(s.w, msg)
}

// Close closes the write end. The receiver then gets io.EOF once it has read
// every frame sent before.
func (s *Sender) Close() error {
	return s.w.Close()
}

// Receive reads the next frame from the pipe, waiting until it has arrived
// whole. It returns io.EOF once the sender is closed and every frame has
// been read.
func (r *Receiver) Receive() ([]byte, error) {
	return ReadFrame(r.r)
}

// Close closes the read end. A Send still waiting for room then fails.
func (r *Receiver) Close() error {
	return r.r.Close()
}

// Transfer carries msgs from M1 to M2 through a new pipe: M1 sends them on
// the calling goroutine while M2 receives them on a goroutine of its own.
// It returns the messages M2 received, in order, and the first error, if
// any, once M2 has finished and both ends of the pipe are closed.
func Transfer(msgs [][]byte) ([][]byte, error) {
	s, r, err := Open()
	if err != nil {
		return nil, err
	}

	type result struct {
		msgs [][]byte
		err  error
	}
	done := make(chan result, 1)
	// Decision 1: M2 is reading before M1 writes a byte. The pipe holds
	// 64 KiB; a bigger message can only get through while someone drains
	// it, so writing first and reading afterwards waits for ever.
	go func() {
		var res result
		for {
			m, err := r.Receive()
			if err == io.EOF {
				break
			}
			if err != nil {
				res.err = fmt.Errorf("M2 receive: %w", err)
				break
			}
			res.msgs = append(res.msgs, m)
		}
		// Decision 2: M2 closes its end as soon as it stops, whatever the
		// reason, and before it reports: a Send still waiting for room then
		// fails (EPIPE) instead of waiting for ever, and when Transfer
		// returns no descriptor is left open.
		if err := r.Close(); err != nil && res.err == nil {
			res.err = err
		}
		done <- res
	}()

	var sendErr error
	for _, m := range msgs {
		if sendErr = s.Send(m); sendErr != nil {
			sendErr = fmt.Errorf("M1 send: %w", sendErr)
			break
		}
	}
	// WRONG (known answer, STATUS timeout): M1 has sent everything and
	// waits for M2, but never closes the write end. M2 has read every frame
	// and waits in Receive for the next one or for io.EOF, and io.EOF comes
	// only once every write end is closed: both wait for ever.
	var closeErr error
	res := <-done

	switch {
	case res.err != nil: // M2's error explains M1's (a Send fails once M2 has closed)
		return res.msgs, res.err
	case sendErr != nil:
		return res.msgs, sendErr
	default:
		return res.msgs, closeErr
	}
}
