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
	last       []byte // ring of at most tail bytes, oldest first after compaction
	dropped    int64
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
	if len(s) >= b.tail {
		b.dropped += int64(len(b.last) + len(s) - b.tail)
		b.last = append(b.last[:0], s[len(s)-b.tail:]...)
		return
	}
	if over := len(b.last) + len(s) - b.tail; over > 0 {
		b.dropped += int64(over)
		b.last = append(b.last[:0], b.last[over:]...)
	}
	b.last = append(b.last, s...)
}

// String returns what was kept, with a line saying how much was left out.
func (b *capBuffer) String() string {
	if b.dropped == 0 {
		return string(b.first) + string(b.last)
	}
	var sb strings.Builder
	sb.Write(b.first)
	if !strings.HasSuffix(sb.String(), "\n") {
		sb.WriteByte('\n')
	}
	fmt.Fprintf(&sb, "[... %d bytes of output left out ...]\n", b.dropped)
	sb.Write(b.last)
	return sb.String()
}

// Dropped reports how many bytes were left out.
func (b *capBuffer) Dropped() int64 { return b.dropped }
