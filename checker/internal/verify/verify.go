// Package verify is the course's self-check (`checker verify`): every
// solution passes its exercise's tests, every stub fails them quickly and
// cleanly, every kept wrong answer is caught with the status it must get, and
// the curriculum, the folders and the table of contents agree.
package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/threadtalk/threadtalk/checker/internal/curriculum"
	"github.com/threadtalk/threadtalk/checker/internal/gotest"
	"github.com/threadtalk/threadtalk/checker/internal/grade"
)

// Bounds a stub must fail within.
const (
	StubTestLimit    = 5 * time.Second
	StubPackageLimit = 20 * time.Second
	// MinWrongAnswers is how many known-wrong implementations each exercise keeps.
	MinWrongAnswers = 2
)

// Options describe one verification.
type Options struct {
	Root       string
	Curriculum *curriculum.Curriculum
	Only       []string // exercise names; empty: all
	Out        io.Writer
	NoRace     bool // allow verifying without the race detector (race answers are then not checked)
	// SolutionsDir and WrongDir default to root/solutions and
	// root/checker/testdata/wrong.
	SolutionsDir, WrongDir string
}

// problems collects what is wrong, each naming its exercise.
type problems struct {
	list []string
	out  io.Writer
}

func (p *problems) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	p.list = append(p.list, msg)
	fmt.Fprintf(p.out, "  FAIL %s\n", msg)
}

// Run verifies the course and returns an error listing every problem.
func Run(ctx context.Context, opts Options) error {
	if opts.SolutionsDir == "" {
		opts.SolutionsDir = filepath.Join(opts.Root, "solutions")
	}
	if opts.WrongDir == "" {
		opts.WrongDir = filepath.Join(opts.Root, "checker", "testdata", "wrong")
	}
	exercises, err := opts.Curriculum.Select(opts.Only)
	if err != nil {
		return err
	}
	p := &problems{out: opts.Out}
	w := opts.Out

	fmt.Fprintln(w, "layout: info.toml, exercise and solution folders, wrong answers, README table")
	checkLayout(opts, exercises, p)
	wrongs := map[string][]wrongAnswer{}
	for _, e := range exercises {
		wrongs[e.ID] = loadWrongAnswers(opts, e, p)
	}
	if err := checkReadme(opts.Curriculum); err != nil {
		p.add("%v", err)
	}

	var runnable []curriculum.Exercise
	for _, e := range exercises {
		if !e.Skipped() {
			runnable = append(runnable, e)
		}
	}
	if len(runnable) == 0 {
		return p.result()
	}

	fmt.Fprintln(w, "solutions: -race, goleak, -count=3, -shuffle=on, through -overlay")
	overlay, err := grade.SolutionOverlay(opts.Curriculum, opts.SolutionsDir, runnable)
	if err != nil {
		return err
	}
	res, err := gradeWith(ctx, opts, runnable, overlay, 3, true)
	if err != nil {
		return err
	}
	raceOn := res.RaceDetector
	for _, e := range res.Exercises {
		if e.Outcome.Status != gotest.Passed {
			p.add("%s: the solution gets %s, want passed: %s%s", e.ID, e.Outcome.Status, e.Outcome.Summary, indent(e.Outcome.Detail))
		} else {
			fmt.Fprintf(w, "  ok   %s solution passes (%.1fs)\n", e.ID, e.Elapsed)
		}
	}

	fmt.Fprintf(w, "stubs: every test fails, within %s each and %s a package\n", StubTestLimit, StubPackageLimit)
	res, err = gradeWith(ctx, opts, runnable, nil, 1, false)
	if err != nil {
		return err
	}
	for _, e := range res.Exercises {
		checkStub(e, p, w)
	}

	fmt.Fprintln(w, "wrong answers: each is caught with the status it must get")
	for batch := 0; ; batch++ {
		overlay := map[string]string{}
		var in []curriculum.Exercise
		want := map[string]wrongAnswer{}
		for _, e := range runnable {
			if batch >= len(wrongs[e.ID]) {
				continue
			}
			wa := wrongs[e.ID][batch]
			if wa.status == gotest.Race && !raceOn {
				fmt.Fprintf(w, "  skip %s/%s: needs the race detector\n", e.ID, wa.name)
				continue
			}
			in = append(in, e)
			want[e.ID] = wa
			for name, f := range wa.files {
				overlay[filepath.Join(opts.Curriculum.PathOf(e), name)] = f
			}
		}
		if len(in) == 0 {
			break
		}
		res, err := gradeWith(ctx, opts, in, overlay, 1, false)
		if err != nil {
			return err
		}
		for _, e := range res.Exercises {
			wa := want[e.ID]
			if e.Outcome.Status != wa.status {
				p.add("%s: wrong answer %s gets %s, want %s: %s", e.ID, wa.name, e.Outcome.Status, wa.status, e.Outcome.Summary)
			} else {
				fmt.Fprintf(w, "  ok   %s/%s is caught: %s\n", e.ID, wa.name, e.Outcome.Status)
			}
		}
	}
	if !raceOn {
		p.add("the race detector is off (no cgo): the solutions were not checked for races")
	}
	return p.result()
}

func (p *problems) result() error {
	if len(p.list) == 0 {
		return nil
	}
	return fmt.Errorf("verify found %d problem(s):\n  %s", len(p.list), strings.Join(p.list, "\n  "))
}

func indent(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return "\n        " + strings.Join(lines, "\n        ")
}

func gradeWith(ctx context.Context, opts Options, exercises []curriculum.Exercise, replace map[string]string, count int, shuffle bool) (*grade.Result, error) {
	return grade.Grade(ctx, grade.Options{Root: opts.Root, Curriculum: opts.Curriculum, Exercises: exercises, Count: count, Shuffle: shuffle, NoRace: opts.NoRace, Replace: replace})
}

func checkStub(e grade.Exercise, p *problems, w io.Writer) {
	if e.Outcome.Status != gotest.Failed {
		p.add("%s: the stub gets %s, want failed (a stub must fail every test cleanly): %s", e.ID, e.Outcome.Status, e.Outcome.Summary)
		return
	}
	if e.Package == nil {
		return
	}
	ok := true
	for _, t := range e.Package.Tests {
		if strings.Contains(t.Name, "/") {
			continue // subtests: their parent is what must fail
		}
		if t.Action != "fail" {
			p.add("%s: %s %ss on the stub; every test must fail until the student does the work", e.ID, t.Name, t.Action)
			ok = false
		}
		if d := time.Duration(t.Elapsed * float64(time.Second)); d > StubTestLimit {
			p.add("%s: %s takes %s to fail on the stub (limit %s)", e.ID, t.Name, d.Round(time.Millisecond), StubTestLimit)
			ok = false
		}
	}
	if d := time.Duration(e.Elapsed * float64(time.Second)); d > StubPackageLimit {
		p.add("%s: the stub's package takes %s to fail (limit %s)", e.ID, d.Round(time.Millisecond), StubPackageLimit)
		ok = false
	}
	if ok {
		fmt.Fprintf(w, "  ok   %s stub fails %d tests in %.1fs\n", e.ID, len(e.Package.Tests), e.Elapsed)
	}
}

// exerciseFiles lists an exercise's non-test files.
func exerciseFiles(dir string) (code []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, en := range entries {
		if n := en.Name(); !en.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			code = append(code, n)
		}
	}
	return code, nil
}

type wrongAnswer struct {
	name   string
	status gotest.Status
	files  map[string]string
}

// loadWrongAnswers reads WrongDir/<id>/<what_is_wrong>/: replacement files
// for the exercise and a STATUS file naming the status it must get.
func loadWrongAnswers(opts Options, e curriculum.Exercise, p *problems) []wrongAnswer {
	dir := filepath.Join(opts.WrongDir, e.ID)
	entries, err := os.ReadDir(dir)
	if err != nil {
		p.add("%s: no wrong answers in %s (keep at least %d)", e.ID, rel(opts.Root, dir), MinWrongAnswers)
		return nil
	}
	code, _ := exerciseFiles(opts.Curriculum.PathOf(e))
	var out []wrongAnswer
	for _, en := range entries {
		if !en.IsDir() {
			p.add("%s: stray file %s in %s", e.ID, en.Name(), rel(opts.Root, dir))
			continue
		}
		wa := wrongAnswer{name: en.Name(), files: map[string]string{}}
		wdir := filepath.Join(dir, en.Name())
		files, _ := os.ReadDir(wdir)
		for _, f := range files {
			switch {
			case f.Name() == "STATUS":
				b, _ := os.ReadFile(filepath.Join(wdir, "STATUS"))
				wa.status = gotest.Status(strings.TrimSpace(string(b)))
			case slices.Contains(code, f.Name()):
				wa.files[f.Name()] = filepath.Join(wdir, f.Name())
			default:
				p.add("%s: wrong answer %s: %s is not one of the exercise's files (%s)", e.ID, wa.name, f.Name(), strings.Join(code, ", "))
			}
		}
		switch {
		case wa.status == "":
			p.add("%s: wrong answer %s has no STATUS file", e.ID, wa.name)
		case wa.status == gotest.Passed || wa.status == gotest.Skipped || !slices.Contains(gotest.Statuses, wa.status):
			p.add("%s: wrong answer %s: STATUS %q must be a failing status (failed, race, leak, timeout, panic, build-error)", e.ID, wa.name, wa.status)
		case len(wa.files) == 0:
			p.add("%s: wrong answer %s replaces no file", e.ID, wa.name)
		default:
			out = append(out, wa)
		}
	}
	if len(out) < MinWrongAnswers {
		p.add("%s: %d wrong answer(s) kept, want at least %d", e.ID, len(out), MinWrongAnswers)
	}
	return out
}

func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

// checkLayout checks info.toml against the folders: every exercise has a
// doc.go, a stub with a TODO and tests, a solution twin with the same file
// names, and nothing stray lies around.
func checkLayout(opts Options, selected []curriculum.Exercise, p *problems) {
	cur := opts.Curriculum
	dirs := map[string]bool{}
	for _, e := range cur.Exercises {
		dirs[e.Dir] = true
	}
	for _, e := range selected {
		checkExerciseDir(opts, e, p)
	}
	entries, err := os.ReadDir(cur.Dir)
	if err != nil {
		p.add("%v", err)
		return
	}
	for _, en := range entries {
		n := en.Name()
		switch {
		case !en.IsDir() && (n == filepath.Base(cur.Path) || n == "README.md"):
		case en.IsDir() && dirs[n]:
		case en.IsDir() && n == "internal":
			// test support shared by exercises (fdleak), tested by make test
		default:
			p.add("stray %s in %s: not an exercise named in %s", n, rel(opts.Root, cur.Dir), filepath.Base(cur.Path))
		}
	}
	if entries, err := os.ReadDir(opts.SolutionsDir); err == nil {
		for _, en := range entries {
			if n := en.Name(); !(en.IsDir() && dirs[n]) && !(n == "README.md" && !en.IsDir()) {
				p.add("stray %s in %s: no exercise has that folder", n, rel(opts.Root, opts.SolutionsDir))
			}
		}
	}
	if entries, err := os.ReadDir(opts.WrongDir); err == nil {
		for _, en := range entries {
			if _, err := cur.Find(en.Name()); err != nil || !en.IsDir() {
				p.add("stray %s in %s: no exercise has that id", en.Name(), rel(opts.Root, opts.WrongDir))
			}
		}
	}
}

func checkExerciseDir(opts Options, e curriculum.Exercise, p *problems) {
	dir := opts.Curriculum.PathOf(e)
	entries, err := os.ReadDir(dir)
	if err != nil {
		p.add("%s: %v", e.ID, err)
		return
	}
	var tests, code []string
	hasDoc, hasTODO := false, false
	for _, en := range entries {
		n := en.Name()
		switch {
		case en.IsDir() && n == "testdata":
		case en.IsDir() || !strings.HasSuffix(n, ".go"):
			p.add("%s: stray %s in %s (an exercise holds doc.go, its code and its tests)", e.ID, n, rel(opts.Root, dir))
		case strings.HasSuffix(n, "_test.go"):
			tests = append(tests, n)
		case n == "doc.go":
			hasDoc = true
		default:
			code = append(code, n)
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err == nil && strings.Contains(string(b), "TODO") {
				hasTODO = true
			}
		}
	}
	if !hasDoc {
		p.add("%s: no doc.go (the task, as numbered steps)", e.ID)
	}
	if len(tests) == 0 {
		p.add("%s: no _test.go file", e.ID)
	}
	if len(code) == 0 {
		p.add("%s: no stub file beside doc.go", e.ID)
	} else if !hasTODO {
		p.add("%s: the stub marks no edit point with // TODO", e.ID)
	}
	sol := filepath.Join(opts.SolutionsDir, filepath.FromSlash(e.Dir))
	solEntries, err := os.ReadDir(sol)
	if err != nil {
		p.add("%s: no solution folder %s", e.ID, rel(opts.Root, sol))
		return
	}
	if len(solEntries) == 0 {
		p.add("%s: the solution folder %s is empty", e.ID, rel(opts.Root, sol))
	}
	for _, en := range solEntries {
		if en.IsDir() || !slices.Contains(code, en.Name()) && en.Name() != "doc.go" {
			p.add("%s: solution file %s has no twin among the exercise's files (%s)", e.ID, en.Name(), strings.Join(code, ", "))
			continue
		}
		// A file with no TODO is provided code: its solution twin exists only
		// so that the solution compiles on its own, and must not drift.
		ex, err1 := os.ReadFile(filepath.Join(dir, en.Name()))
		so, err2 := os.ReadFile(filepath.Join(sol, en.Name()))
		if err1 == nil && err2 == nil && !strings.Contains(string(ex), "TODO") && string(ex) != string(so) {
			p.add("%s: solution file %s differs from the exercise's provided %s (no TODO there: keep them identical)", e.ID, en.Name(), en.Name())
		}
	}
}

// Table markers in exercises/README.md.
const (
	tableStart = "<!-- exercises:start -->"
	tableEnd   = "<!-- exercises:end -->"
)

// Table renders the README's table of exercises from the curriculum.
func Table(cur *curriculum.Curriculum) string {
	var b strings.Builder
	b.WriteString("| # | exercise | part | points | title |\n| --- | --- | --- | --- | --- |\n")
	for _, e := range cur.Exercises {
		num, _, _ := strings.Cut(e.ID, "_")
		title := e.Title
		if len(e.OS) > 0 {
			title += " (" + strings.Join(e.OS, ", ") + " only)"
		}
		fmt.Fprintf(&b, "| %s | [%s](%s/doc.go) | %d | %d | %s |\n", num, e.ID, e.Dir, e.Part, e.Points, title)
	}
	return b.String()
}

// checkReadme compares the table in README.md beside info.toml with Table.
func checkReadme(cur *curriculum.Curriculum) error {
	path := filepath.Join(cur.Dir, "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	i, j := strings.Index(s, tableStart), strings.Index(s, tableEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no table between %s and %s", path, tableStart, tableEnd)
	}
	got := strings.TrimSpace(s[i+len(tableStart) : j])
	want := strings.TrimSpace(Table(cur))
	if got != want {
		return errors.New(filepath.Base(filepath.Dir(path)) + "/README.md: the table of exercises differs from info.toml: paste the output of `go run ./checker toc` between its markers")
	}
	return nil
}
