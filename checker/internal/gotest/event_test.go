package gotest

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func decodeAll(t *testing.T, stream string) []Event {
	t.Helper()
	d := newDecoder(strings.NewReader(stream))
	var out []Event
	for {
		ev, err := d.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, ev)
	}
}

func TestDecoderReadsEventsAndKeepsStrayLines(t *testing.T) {
	stream := `{"Action":"start","Package":"p"}
go: downloading example.com/m v1.0.0
{"Action":"output","Package":"p","Test":"TestA","Output":"hi\n"}
{"ImportPath":"p [p.test]","Action":"build-fail"}
{"Action":"fail","Package":"p","Elapsed":0.5,"FailedBuild":"p [p.test]"}`
	want := []Event{
		{Action: "start", Package: "p"},
		{Action: "output", Output: "go: downloading example.com/m v1.0.0\n"},
		{Action: "output", Package: "p", Test: "TestA", Output: "hi\n"},
		{Action: "build-fail", ImportPath: "p [p.test]"},
		{Action: "fail", Package: "p", Elapsed: 0.5, FailedBuild: "p [p.test]"},
	}
	if diff := cmp.Diff(want, decodeAll(t, stream)); diff != "" {
		t.Errorf("decoded events (-want +got):\n%s", diff)
	}
}

// A line longer than maxLine is cut, its fields recovered from its start,
// and the stream goes on after it.
func TestDecoderCutsAnOverlongLine(t *testing.T) {
	long := `{"Action":"output","Package":"p","Test":"TestHuge","Output":"` + strings.Repeat("x", 3*maxLine) + `"}`
	stream := long + "\n" + `{"Action":"pass","Package":"p"}` + "\n"
	got := decodeAll(t, stream)
	want := []Event{
		{Action: "output", Package: "p", Test: "TestHuge", Output: "[an output line longer than 1 MiB was left out]\n"},
		{Action: "pass", Package: "p"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded events (-want +got):\n%s", diff)
	}
}
