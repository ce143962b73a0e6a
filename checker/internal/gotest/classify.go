package gotest

import (
	"fmt"
	"regexp"
	"strings"
)

// The runner's own "--- FAIL: TestX (0.00s)" lines; testify's "--- Expected" stays.
var runnerResult = regexp.MustCompile(`^--- (FAIL|PASS|SKIP): `)

var testifyContinuation = regexp.MustCompile(`^\s*\t {4,}\t`)

// Status is the one grade a package gets.
type Status string

// The statuses, from the most to the least severe; Classify applies them in
// this order.
const (
	BuildError Status = "build-error"
	Timeout    Status = "timeout"
	Panic      Status = "panic"
	Race       Status = "race"
	Failed     Status = "failed"
	Leak       Status = "leak"
	Passed     Status = "passed"
	Skipped    Status = "skipped"
)

// Statuses lists every status.
var Statuses = []Status{BuildError, Timeout, Panic, Race, Failed, Leak, Passed, Skipped}

// Outcome is a graded package.
type Outcome struct {
	Status  Status
	Summary string   // one line
	Detail  []string // the essence of why, a few lines, paths relative to the root
	Tests   []TestOutcome
}

// TestOutcome is one test's grade, for reports.
type TestOutcome struct {
	Name    string `json:"name"`
	Status  string `json:"status"` // passed, failed, leak, skipped, unfinished
	Message string `json:"message,omitempty"`
}

// Classify grades p. dir is the package's folder and root the folder that
// paths are shown relative to. p is nil when the stream never mentioned the
// package.
func Classify(p *Package, dir, root string) Outcome {
	if p == nil {
		return Outcome{Status: Failed, Summary: "go test reported nothing for this package"}
	}
	o := Outcome{Tests: testOutcomes(p, dir, root)}
	failed, unfinished := p.failedTests()
	switch {
	case p.BuildFailed:
		o.Status = BuildError
		o.Summary = "does not build: the compiler or go vet stopped it"
		o.Detail = buildLines(p.Build.String(), root)
		if len(o.Detail) == 0 {
			o.Detail = lastLines(p.Output.String(), 10)
		}
	case p.TimedOut || p.Deadlock:
		o.Status = Timeout
		o.Summary, o.Detail = explainTimeout(p, unfinished, dir, root)
	case p.Panicked:
		o.Status = Panic
		o.Summary, o.Detail = explainPanic(p, unfinished, dir, root)
	case len(p.Races) > 0:
		o.Status = Race
		o.Summary = "data race"
		if t := raceTest(p); t != "" {
			o.Summary += " during " + t
		} else {
			o.Summary += " outside any test (in TestMain, init or a goroutine left running)"
		}
		o.Detail = raceAccesses(p.Races[0], dir, root)
	case len(failed) > 0:
		o.Status = Failed
		o.Summary = fmt.Sprintf("%s failed", failed[0].Name)
		if n := len(failed); n > 1 {
			o.Summary += fmt.Sprintf(" (and %d more)", n-1)
		}
		o.Detail = failureMessage(relPaths(failed[0].Output.String(), root))
	case p.Leak != "" || p.hasLeakyTest():
		o.Status = Leak
		o.Summary = "goroutines still running after the tests"
		report := p.Leak
		for _, t := range p.Tests {
			if t.Leak {
				report = t.Output.String()
				o.Summary = "goroutines still running after " + t.Name
				break
			}
		}
		o.Detail = leakedGoroutines(report, dir, root)
	case p.Action == "fail":
		o.Status = Failed
		o.Summary = "the package failed outside any test"
		o.Detail = lastLines(p.Output.String(), 10)
	case p.Action == "" || len(unfinished) > 0:
		o.Status = Failed
		o.Summary = "the tests stopped before they finished (os.Exit or a crash?)"
		if len(unfinished) > 0 {
			o.Summary = unfinished[0].Name + " started and never finished (os.Exit or a crash?)"
		}
		o.Detail = lastLines(p.Output.String(), 10)
	case p.NoTests || len(p.Tests) == 0:
		o.Status = Failed
		o.Summary = "no tests ran"
	case p.allSkipped():
		o.Status = Skipped
		o.Summary = "every test skipped itself"
		o.Detail = failureMessage(p.Tests[0].Output.String())
	default:
		o.Status = Passed
		o.Summary = fmt.Sprintf("%d tests passed", p.countTop())
	}
	return o
}

// failedTests returns the leaf tests that failed (a parent fails with its
// subtests; the subtest is the one to show) and the tests that never finished.
func (p *Package) failedTests() (failed, unfinished []*Test) {
	for _, t := range p.Tests {
		if t.Leak {
			continue
		}
		switch t.Action {
		case "fail":
			if !p.hasChild(t.Name, "fail") {
				failed = append(failed, t)
			}
		case "run":
			if !p.hasChild(t.Name, "run") {
				unfinished = append(unfinished, t)
			}
		}
	}
	return failed, unfinished
}

func (p *Package) hasChild(name, action string) bool {
	for _, t := range p.Tests {
		if strings.HasPrefix(t.Name, name+"/") && t.Action == action {
			return true
		}
	}
	return false
}

func (p *Package) hasLeakyTest() bool {
	for _, t := range p.Tests {
		if t.Leak {
			return true
		}
	}
	return false
}

func (p *Package) allSkipped() bool {
	for _, t := range p.Tests {
		if t.Action != "skip" {
			return false
		}
	}
	return len(p.Tests) > 0
}

func (p *Package) countTop() int {
	n := 0
	for _, t := range p.Tests {
		if !strings.Contains(t.Name, "/") {
			n++
		}
	}
	return n
}

// raceTest names the test whose output holds the first race report.
func raceTest(p *Package) string {
	for _, t := range p.Tests {
		if strings.Contains(t.Output.String(), "WARNING: DATA RACE") {
			return t.Name
		}
	}
	return ""
}

func testOutcomes(p *Package, dir, root string) []TestOutcome {
	var out []TestOutcome
	for _, t := range p.Tests {
		to := TestOutcome{Name: t.Name}
		switch {
		case t.Leak:
			to.Status = string(Leak)
		case t.Action == "pass":
			to.Status = string(Passed)
		case t.Action == "fail":
			to.Status = string(Failed)
		case t.Action == "skip":
			to.Status = string(Skipped)
		default:
			to.Status = "unfinished"
		}
		if to.Status != string(Passed) {
			to.Message = testMessage(t.Output.String(), dir, root)
		}
		out = append(out, to)
	}
	return out
}

// testMessage is what a test said, short: a race report becomes its two
// accesses, and a panic or a timeout its first line (the dump is the
// package's, shown once).
func testMessage(out, dir, root string) string {
	var keep []string
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "==================") && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "WARNING: DATA RACE":
			j := i + 1
			for j < len(lines) && !strings.HasPrefix(lines[j], "==================") {
				j++
			}
			keep = append(keep, "data race:")
			for _, a := range raceAccesses(strings.Join(lines[i:j], "\n"), dir, root) {
				keep = append(keep, "    "+a)
			}
			i = j
		case strings.HasPrefix(l, "panic: "), strings.HasPrefix(l, "fatal error: "), strings.HasPrefix(l, "SIGQUIT: quit"):
			keep = append(keep, l)
			i = len(lines)
		default:
			keep = append(keep, l)
		}
	}
	return relPaths(strings.Join(failureMessage(strings.Join(keep, "\n")), "\n"), root)
}

// failureMessage keeps what a test said, without the runner's own lines.
// testify's "Error Trace:" and "Test:" fields repeat what the summary says
// already; their continuation lines have a blank label column.
func failureMessage(out string) []string {
	var keep []string
	skipping := false
	for _, l := range strings.Split(out, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "=== ") || runnerResult.MatchString(t):
			continue
		case strings.HasPrefix(t, "Error Trace:") || strings.HasPrefix(t, "Test:"):
			skipping = true
			continue
		case skipping && testifyContinuation.MatchString(l):
			continue
		}
		skipping = false
		keep = append(keep, strings.TrimRight(l, " \t"))
	}
	const maxLines = 25
	if len(keep) > maxLines {
		keep = append(keep[:maxLines], fmt.Sprintf("[... %d more lines: checker run shows them]", len(keep)-maxLines))
	}
	return dedent(keep)
}

// dedent removes the indentation every line shares.
func dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l[common:]
	}
	return out
}

func buildLines(out, root string) []string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "# ") {
			continue
		}
		keep = append(keep, relPaths(l, root))
	}
	if len(keep) > 20 {
		keep = keep[:20]
	}
	return keep
}

// relPaths shortens absolute paths under root in a line of compiler output.
func relPaths(line, root string) string {
	if root == "" {
		return line
	}
	return strings.ReplaceAll(line, strings.TrimSuffix(root, "/")+"/", "")
}

func lastLines(out string, n int) []string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}

func explainTimeout(p *Package, unfinished []*Test, dir, root string) (string, []string) {
	var summary string
	switch {
	case p.Deadlock:
		summary = "deadlock: every goroutine is blocked"
	case p.Quit || p.Killed && p.Dump == "":
		summary = "stopped by the checker's overall time limit"
	default:
		summary = strings.TrimPrefix(firstLine(p.Dump), "panic: ")
	}
	if len(unfinished) > 0 {
		summary += " in " + unfinished[0].Name
	}
	detail := blockedGoroutines(p.Dump, dir, root)
	switch {
	case p.Killed && p.Dump == "":
		detail = []string{"it did not answer the request for a goroutine dump (SIGQUIT), so it was killed"}
	case len(detail) == 0:
		detail = []string{"no goroutine was stopped inside the exercise's files"}
	case allSpinning(detail):
		detail = append(detail, "A goroutine that is still running when time runs out never waits for anything: a loop that spins?")
	default:
		detail = append(detail, "Each line is a goroutine that was waiting when time ran out. If they wait for each other, that is a deadlock: find the wait that nobody will ever end.")
	}
	return summary, detail
}

// blockedGoroutines lists the goroutines of a dump that stand in dir's
// files, with their state and the line they are at.
func blockedGoroutines(dump, dir, root string) []string {
	var out []string
	for _, g := range parseDump(dump) {
		if g.State == "running" && len(g.Frames) == 0 {
			out = append(out, "a goroutine [running] on another thread, its stack unavailable: a loop that never waits?")
			continue
		}
		f, ok := inDir(g.Frames, dir)
		if !ok || strings.HasSuffix(f.Func, ".TestMain") {
			continue // TestMain waits for the tests: not news
		}
		out = append(out, fmt.Sprintf("a goroutine [%s] at %s in %s", g.State, f.where(root), f.Func))
		if len(out) == 6 {
			out = append(out, "[... more goroutines: checker run shows them]")
			break
		}
	}
	return out
}

func allSpinning(lines []string) bool {
	for _, l := range lines {
		if !strings.HasPrefix(l, "a goroutine [running") && !strings.HasPrefix(l, "a goroutine [runnable") {
			return false
		}
	}
	return true
}

func explainPanic(p *Package, unfinished []*Test, dir, root string) (string, []string) {
	summary := firstLine(p.Dump)
	if len(unfinished) > 0 {
		summary += " (during " + unfinished[0].Name + ")"
	} else if failed, _ := p.failedTests(); len(failed) > 0 {
		summary += " (in " + failed[0].Name + ")"
	}
	var detail []string
	gs := parseDump(p.Dump)
	if len(gs) > 0 {
		if f, ok := inDir(gs[0].Frames, dir); ok {
			detail = append(detail, fmt.Sprintf("it panicked at %s in %s", f.where(root), f.Func))
		}
		if c := gs[0].CreatedBy; c.File != "" && underDir(c.File, dir) {
			detail = append(detail, fmt.Sprintf("in a goroutine started by %s at %s", c.Func, c.where(root)))
		}
	}
	return summary, detail
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}
