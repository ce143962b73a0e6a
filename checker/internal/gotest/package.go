package gotest

import (
	"strings"
)

// Package is everything one package's stream said, kept within bounds.
type Package struct {
	ImportPath  string
	Action      string // the package's final action: pass, fail, skip; "" if it never finished
	Elapsed     float64
	BuildFailed bool
	Build       *capBuffer // compiler and vet output
	Output      *capBuffer // every output line, in order
	Tests       []*Test    // in the order they started

	Races    []string // the first race reports, whole
	Leak     string   // goleak's report
	Dump     string   // from the first panic, fatal error or SIGQUIT line on
	TimedOut bool     // go test -timeout fired, or the run's outer limit did
	Deadlock bool     // the runtime found every goroutine asleep
	Panicked bool     // a panic or fatal error other than the two above
	Quit     bool     // asked for a goroutine dump by the checker's outer limit
	Killed   bool     // never finished: the checker's outer limit stopped it
	NoTests  bool     // "no test files" or "no tests to run"

	tests   map[string]*Test
	partial []byte
	block   *block
}

// Test is one test or subtest.
type Test struct {
	Name    string
	Action  string // run (never finished), pass, fail, skip
	Elapsed float64
	Output  *capBuffer
	Leak    bool // its failure is goleak's report
}

const (
	maxRaces     = 3
	maxBlock     = 64 << 10
	maxDump      = 256 << 10
	maxTestOut   = 16 << 10
	maxPkgOutput = 512 << 10
	maxLineKept  = 64 << 10
)

// block is a multi-line report being collected: a race, a leak or a dump.
type block struct {
	kind  string // race, leak, dump
	b     strings.Builder
	limit int
}

func newPackage(path string) *Package {
	return &Package{
		ImportPath: path,
		Build:      newCapBuffer(maxBlock, 0),
		Output:     newCapBuffer(maxPkgOutput, maxPkgOutput),
		tests:      map[string]*Test{},
	}
}

// Test returns the named test, creating it if needed.
func (p *Package) test(name string) *Test {
	t := p.tests[name]
	if t == nil {
		t = &Test{Name: name, Action: "run", Output: newCapBuffer(maxTestOut, maxTestOut)}
		p.tests[name] = t
		p.Tests = append(p.Tests, t)
	}
	return t
}

func (p *Package) add(ev Event) {
	switch ev.Action {
	case "run":
		p.test(ev.Test)
	case "output":
		if ev.Test != "" {
			p.test(ev.Test).Output.WriteString(ev.Output)
		}
		p.Output.WriteString(ev.Output)
		p.scan(ev.Output)
	case "pass", "fail", "skip":
		if ev.Test != "" {
			t := p.test(ev.Test)
			t.Action, t.Elapsed = ev.Action, ev.Elapsed
			return
		}
		p.Action, p.Elapsed = ev.Action, ev.Elapsed
	}
}

// scan assembles output into lines (test2json may split a long line) and
// looks at each for the marks of a race, a leak, a panic or a timeout.
func (p *Package) scan(out string) {
	for out != "" {
		i := strings.IndexByte(out, '\n')
		if i < 0 {
			if room := maxLineKept - len(p.partial); room > 0 {
				p.partial = append(p.partial, out[:min(room, len(out))]...)
			}
			return
		}
		line := out[:i]
		if len(p.partial) > 0 {
			line = string(append(p.partial, line...))
			p.partial = p.partial[:0]
		}
		p.line(line)
		out = out[i+1:]
	}
}

func (p *Package) line(line string) {
	if p.block != nil {
		p.block.add(line)
		switch {
		case p.block.kind == "race" && strings.HasPrefix(line, "=================="):
			p.endBlock()
		case p.block.kind == "leak" && strings.TrimSpace(line) == "]":
			p.endBlock()
		}
		return
	}
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "WARNING: DATA RACE":
		p.startBlock("race", maxBlock, line)
	case strings.Contains(line, "found unexpected goroutines"):
		p.startBlock("leak", maxBlock, line)
	case strings.HasPrefix(line, "panic: test timed out after"):
		p.TimedOut = true
		p.startBlock("dump", maxDump, line)
	case strings.HasPrefix(line, "fatal error: all goroutines are asleep - deadlock!"):
		p.Deadlock = true
		p.startBlock("dump", maxDump, line)
	case strings.HasPrefix(line, "SIGQUIT: quit"):
		p.Quit = true
		p.startBlock("dump", maxDump, line)
	case strings.HasPrefix(line, "panic: "), strings.HasPrefix(line, "fatal error: "):
		p.Panicked = true
		p.startBlock("dump", maxDump, line)
	case strings.HasPrefix(line, "testing: warning: no tests to run"), strings.HasSuffix(trimmed, "[no test files]"):
		p.NoTests = true
	}
}

func (p *Package) startBlock(kind string, limit int, first string) {
	p.block = &block{kind: kind, limit: limit}
	p.block.add(first)
}

func (b *block) add(line string) {
	if b.b.Len()+len(line) < b.limit {
		b.b.WriteString(line)
		b.b.WriteByte('\n')
	}
}

func (p *Package) endBlock() {
	b := p.block
	p.block = nil
	switch b.kind {
	case "race":
		if len(p.Races) < maxRaces {
			p.Races = append(p.Races, b.b.String())
		}
	case "leak":
		if p.Leak == "" {
			p.Leak = b.b.String()
		}
	case "dump":
		if p.Dump == "" {
			p.Dump = b.b.String()
		}
	}
}

// finish closes what the stream left open.
func (p *Package) finish(outerExpired bool) {
	if len(p.partial) > 0 {
		p.line(string(p.partial))
		p.partial = nil
	}
	if p.block != nil {
		p.endBlock()
	}
	for _, t := range p.Tests {
		if t.Action == "fail" && strings.Contains(t.Output.String(), "found unexpected goroutines") {
			t.Leak = true
		}
	}
	if p.Action == "" && outerExpired {
		p.TimedOut, p.Killed = true, true
	}
}
