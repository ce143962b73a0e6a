package gotest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// A frame is one function and where it was, in a goroutine dump, a race
// report or goleak's report.
type frame struct {
	Func string
	File string
	Line string
}

// A location line: "\t/path/file.go:12 +0x7e", and after a SIGQUIT also
// " fp=0x... sp=0x... pc=0x...".
var locLine = regexp.MustCompile(`^\s*(\S.*\.go):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=.*)?$`)

// frames reads the function/location line pairs of a stack.
func frames(lines []string) []frame {
	var out []frame
	for i, l := range lines {
		m := locLine.FindStringSubmatch(l)
		if m == nil || i == 0 {
			continue
		}
		fn := strings.TrimSpace(lines[i-1])
		if strings.HasPrefix(fn, "created by ") {
			continue // creation sites are read separately
		}
		out = append(out, frame{Func: shortFunc(fn), File: m[1], Line: m[2]})
	}
	return out
}

// shortFunc drops the import path's folders and a call's argument list:
// "github.com/x/y/pkg.(*T).M(0xc000, ...)" -> "pkg.(*T).M".
func shortFunc(fn string) string {
	if strings.HasSuffix(fn, ")") {
		depth := 0
		for i := len(fn) - 1; i >= 0; i-- {
			switch fn[i] {
			case ')':
				depth++
			case '(':
				depth--
			}
			if depth == 0 {
				fn = fn[:i]
				break
			}
		}
	}
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

// where says file:line relative to root.
func (f frame) where(root string) string {
	rel := f.File
	if r, err := filepath.Rel(root, filepath.FromSlash(f.File)); err == nil && !strings.HasPrefix(r, "..") {
		rel = filepath.ToSlash(r)
	}
	return rel + ":" + f.Line
}

// inDir picks the first frame in dir, preferring code over tests: that is
// the line of the student's own code to look at.
func inDir(fs []frame, dir string) (frame, bool) {
	var testFrame *frame
	for i, f := range fs {
		if !underDir(f.File, dir) {
			continue
		}
		if !strings.HasSuffix(f.File, "_test.go") {
			return f, true
		}
		if testFrame == nil {
			testFrame = &fs[i]
		}
	}
	if testFrame != nil {
		return *testFrame, true
	}
	return frame{}, false
}

func underDir(file, dir string) bool {
	if dir == "" {
		return false
	}
	file = filepath.ToSlash(file)
	dir = strings.TrimSuffix(filepath.ToSlash(dir), "/") + "/"
	return strings.HasPrefix(file, dir)
}

var accessHeader = regexp.MustCompile(`^((?:Previous )?(?:[Aa]tomic )?(?:read|write|Read|Write)) at 0x[0-9a-f]+ by (goroutine \d+|main goroutine):`)

// raceAccesses describes the two conflicting accesses of a race report, each
// at its first line inside dir.
func raceAccesses(report, dir, root string) []string {
	var out []string
	lines := strings.Split(report, "\n")
	for i := 0; i < len(lines); i++ {
		m := accessHeader.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) != "" {
			j++
		}
		fs := frames(lines[i+1 : j])
		f, ok := inDir(fs, dir)
		if !ok && len(fs) > 0 {
			f, ok = fs[0], true
		}
		if ok {
			out = append(out, fmt.Sprintf("%s by %s at %s in %s", m[1], m[2], f.where(root), f.Func))
		}
		i = j
	}
	return out
}

var goroutineHeader = regexp.MustCompile(`^goroutine \d+(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[([^\]]*)\]:`)

// goroutine is one goroutine of a dump.
type goroutine struct {
	State     string
	Frames    []frame
	CreatedBy frame
}

// parseDump splits a goroutine dump into goroutines.
func parseDump(dump string) []goroutine {
	var out []goroutine
	var cur *goroutine
	var lines []string
	flush := func() {
		if cur == nil {
			return
		}
		cur.Frames = frames(lines)
		cur.CreatedBy = createdBy(lines)
		out = append(out, *cur)
		cur, lines = nil, nil
	}
	for _, l := range strings.Split(dump, "\n") {
		if m := goroutineHeader.FindStringSubmatch(l); m != nil {
			flush()
			cur = &goroutine{State: m[1]}
			continue
		}
		if cur != nil {
			lines = append(lines, l)
		}
	}
	flush()
	return out
}

// createdBy finds the "created by F in goroutine N" line and its location.
func createdBy(lines []string) frame {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "created by ") || i+1 >= len(lines) {
			continue
		}
		fn, _, _ := strings.Cut(strings.TrimPrefix(t, "created by "), " in goroutine ")
		if m := locLine.FindStringSubmatch(lines[i+1]); m != nil {
			return frame{Func: shortFunc(fn), File: m[1], Line: m[2]}
		}
	}
	return frame{}
}

var leakHeader = regexp.MustCompile(`\[?Goroutine \d+ in state ([^,]+), with (\S+) on top of the stack:`)

// leakedGoroutines describes each goroutine of goleak's report: what it is
// blocked in, where, and which function started it.
func leakedGoroutines(report, dir, root string) []string {
	var out []string
	var state, top string
	var lines []string
	flush := func() {
		if state == "" {
			return
		}
		s := fmt.Sprintf("a goroutine in state %q, stopped in %s", state, shortFunc(top))
		if f, ok := inDir(frames(lines), dir); ok {
			s += " at " + f.where(root)
		}
		if c := createdBy(lines); c.File != "" {
			s += fmt.Sprintf(", started by %s at %s", c.Func, c.where(root))
		}
		out = append(out, s)
		state, lines = "", nil
	}
	for _, l := range strings.Split(report, "\n") {
		if m := leakHeader.FindStringSubmatch(l); m != nil {
			flush()
			state, top = m[1], m[2]
			continue
		}
		lines = append(lines, l)
	}
	flush()
	return out
}
