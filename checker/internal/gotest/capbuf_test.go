package gotest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCapBufferKeepsHeadAndTail(t *testing.T) {
	type testCase struct {
		name    string
		writes  []string
		want    string
		dropped int64
	}
	run := func(t *testing.T, tc testCase) {
		b := newCapBuffer(4, 4)
		for _, w := range tc.writes {
			b.WriteString(w)
		}
		assert.Equal(t, tc.dropped, b.Dropped(), "bytes left out")
		assert.Equal(t, tc.want, b.String())
	}
	cases := []testCase{
		{name: "short output is kept whole", writes: []string{"ab", "cd", "ef"}, want: "abcdef"},
		{name: "exactly head plus tail is kept whole", writes: []string{"abcdefgh"}, want: "abcdefgh"},
		{name: "the middle of a long write is dropped", writes: []string{"abcdefghijkl"}, want: "abcd\n[... 4 bytes of output left out ...]\nijkl", dropped: 4},
		{name: "many small writes keep the newest tail", writes: strings.Split("abcdefghijklmnopqrstuvwxyz", ""), want: "abcd\n[... 18 bytes of output left out ...]\nwxyz", dropped: 18},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestCapBufferWithNoTailCountsEverythingPastTheHead(t *testing.T) {
	b := newCapBuffer(3, 0)
	b.WriteString("abcdef")
	assert.Equal(t, int64(3), b.Dropped())
	assert.Equal(t, "abc\n[... 3 bytes of output left out ...]\n", b.String())
}
