package gotest

import (
	"fmt"
	"strings"
)

// capBuffer keeps the first head and the last tail bytes written to it and
// counts what fell between, so that a submission that prints without end
// costs the checker a bounded amount of memory.
type capBuffer struct {
	head, tail int
	first      []byte
	last       []byte // grows to 2*tail, then keeps its last tail bytes
	dropped    int64  // bytes already cut from last
}

func newCapBuffer(head, tail int) *capBuffer { return &capBuffer{head: head, tail: tail} }

func (b *capBuffer) WriteString(s string) {
	if room := b.head - len(b.first); room > 0 {
		n := min(room, len(s))
		b.first = append(b.first, s[:n]...)
		s = s[n:]
	}
	if s == "" {
		return
	}
	if b.tail == 0 {
		b.dropped += int64(len(s))
		return
	}
	b.last = append(b.last, s...)
	if len(b.last) > 2*b.tail {
		cut := len(b.last) - b.tail
		b.dropped += int64(cut)
		b.last = append(b.last[:0], b.last[cut:]...)
	}
}

// kept is the tail that String shows.
func (b *capBuffer) kept() []byte {
	if len(b.last) > b.tail {
		return b.last[len(b.last)-b.tail:]
	}
	return b.last
}

// Dropped reports how many bytes were left out.
func (b *capBuffer) Dropped() int64 { return b.dropped + int64(len(b.last)-len(b.kept())) }

// String returns what was kept, with a line saying how much was left out.
func (b *capBuffer) String() string {
	dropped := b.Dropped()
	if dropped == 0 {
		return string(b.first) + string(b.last)
	}
	var sb strings.Builder
	sb.Write(b.first)
	if !strings.HasSuffix(sb.String(), "\n") {
		sb.WriteByte('\n')
	}
	fmt.Fprintf(&sb, "[... %d bytes of output left out ...]\n", dropped)
	sb.Write(b.kept())
	return sb.String()
}
