package gotest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
)

// Event is one line of `go test -json` (see `go doc test2json`). Build
// events (Action "build-output" and "build-fail") carry ImportPath instead
// of Package; the package's own "fail" then names the build in FailedBuild.
type Event struct {
	Action      string
	Package     string
	Test        string
	Elapsed     float64
	Output      string
	ImportPath  string
	FailedBuild string
}

// maxLine bounds one decoded line. test2json splits long output lines, but
// a line beyond this (from a future format, or garbage on stdout) is cut,
// its fields recovered from the prefix, and the rest skipped.
const maxLine = 1 << 20

// decoder reads events one line at a time, in bounded memory.
type decoder struct {
	r    *bufio.Reader
	line []byte
}

func newDecoder(r io.Reader) *decoder { return &decoder{r: bufio.NewReaderSize(r, 64<<10)} }

var (
	prefixField = regexp.MustCompile(`"(Action|Package|Test|ImportPath)":"((?:[^"\\]|\\.)*)"`)
)

// Next returns the next event, io.EOF at the end. Lines that are not JSON
// (the go command's own messages) come back as output events with no
// Package, so nothing printed is lost.
func (d *decoder) Next() (Event, error) {
	d.line = d.line[:0]
	truncated := false
	for {
		chunk, err := d.r.ReadSlice('\n')
		if len(d.line)+len(chunk) <= maxLine {
			d.line = append(d.line, chunk...)
		} else {
			truncated = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && len(d.line) == 0 {
			return Event{}, err
		}
		break
	}
	line := bytes.TrimRight(d.line, "\r\n")
	var ev Event
	if !truncated && len(line) > 0 && line[0] == '{' {
		if err := json.Unmarshal(line, &ev); err == nil && ev.Action != "" {
			return ev, nil
		}
	}
	if truncated && bytes.HasPrefix(line, []byte("{")) {
		ev.Action = "output"
		for _, m := range prefixField.FindAllSubmatch(line, -1) {
			v := string(m[2])
			switch string(m[1]) {
			case "Action":
				ev.Action = v
			case "Package":
				ev.Package = v
			case "Test":
				ev.Test = v
			case "ImportPath":
				ev.ImportPath = v
			}
		}
		ev.Output = "[an output line longer than 1 MiB was left out]\n"
		return ev, nil
	}
	return Event{Action: "output", Output: string(line) + "\n"}, nil
}
