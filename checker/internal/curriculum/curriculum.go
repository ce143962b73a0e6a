// Package curriculum loads the ordered list of exercises from an info.toml
// file. Errors name the file, the exercise and the field at fault, so that a
// maintainer who mistypes a table sees where without reading the loader.
package curriculum

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// FormatVersion is the only info.toml format this checker reads.
const FormatVersion = 1

// DefaultTimeout is the per-package `go test -timeout` when an exercise sets none.
const DefaultTimeout = 30 * time.Second

// Failure classes that may carry a hint of their own.
var failureClasses = []string{"race", "leak", "timeout", "panic"}

// Curriculum is a loaded info.toml.
type Curriculum struct {
	Path      string // the info.toml file
	Dir       string // its folder: exercise dirs are relative to it
	Welcome   string
	Final     string
	Exercises []Exercise
}

// Exercise is one [[exercises]] table.
type Exercise struct {
	ID           string
	Dir          string // relative to Curriculum.Dir, slash-separated
	Part         int
	Title        string
	Points       int
	Timeout      time.Duration
	Hints        []string
	FailureHints map[string]string
	OS           []string // empty: every OS
	OSReason     string
}

// RunsOn reports whether the exercise applies to goos.
func (e Exercise) RunsOn(goos string) bool {
	return len(e.OS) == 0 || slices.Contains(e.OS, goos)
}

// Skipped reports whether the exercise is skipped on this machine.
func (e Exercise) Skipped() bool { return !e.RunsOn(runtime.GOOS) }

type fileShape struct {
	FormatVersion  *int   `toml:"format_version"`
	WelcomeMessage string `toml:"welcome_message"`
	FinalMessage   string `toml:"final_message"`
	Exercises      []struct {
		ID           string            `toml:"id"`
		Dir          string            `toml:"dir"`
		Part         *int              `toml:"part"`
		Title        string            `toml:"title"`
		Points       *int              `toml:"points"`
		Timeout      string            `toml:"timeout"`
		Hints        []string          `toml:"hints"`
		FailureHints map[string]string `toml:"failure_hints"`
		OS           []string          `toml:"os"`
		OSReason     string            `toml:"os_reason"`
	} `toml:"exercises"`
}

var idPattern = regexp.MustCompile(`^[0-9a-z][0-9a-z_]*$`)

// Load reads and validates path.
func Load(path string) (*Curriculum, error) {
	var raw fileShape
	md, err := toml.DecodeFile(path, &raw)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s:%d: %s", path, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%s: unknown field(s) %s (a typo?)", path, strings.Join(keys, ", "))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c := &Curriculum{Path: abs, Dir: filepath.Dir(abs), Welcome: raw.WelcomeMessage, Final: raw.FinalMessage}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{path}, args...)...))
	}
	switch {
	case raw.FormatVersion == nil:
		fail("format_version is missing (want %d)", FormatVersion)
	case *raw.FormatVersion != FormatVersion:
		fail("format_version is %d; this checker reads %d", *raw.FormatVersion, FormatVersion)
	}
	if strings.TrimSpace(raw.WelcomeMessage) == "" {
		fail("welcome_message is empty")
	}
	if strings.TrimSpace(raw.FinalMessage) == "" {
		fail("final_message is empty")
	}
	if len(raw.Exercises) == 0 {
		fail("no [[exercises]]")
	}
	seen := map[string]bool{}
	seenDir := map[string]bool{}
	for i, r := range raw.Exercises {
		name := r.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		bad := func(field, format string, args ...any) {
			fail("exercise %s: %s: "+format, append([]any{name, field}, args...)...)
		}
		e := Exercise{ID: r.ID, Dir: r.Dir, Title: r.Title, Hints: r.Hints, FailureHints: r.FailureHints, OS: r.OS, OSReason: r.OSReason, Timeout: DefaultTimeout}
		if !idPattern.MatchString(r.ID) {
			bad("id", "%q must be lower-case letters, digits and _", r.ID)
		} else if seen[r.ID] {
			bad("id", "used twice")
		}
		seen[r.ID] = true
		switch {
		case r.Dir == "":
			bad("dir", "missing")
		case filepath.IsAbs(r.Dir) || strings.Contains(r.Dir, "..") || strings.Contains(r.Dir, `\`):
			bad("dir", "%q must be a slash-separated path inside %s", r.Dir, filepath.Dir(path))
		case seenDir[r.Dir]:
			bad("dir", "%q used twice", r.Dir)
		default:
			seenDir[r.Dir] = true
			if fi, err := os.Stat(filepath.Join(c.Dir, filepath.FromSlash(r.Dir))); err != nil || !fi.IsDir() {
				bad("dir", "%q is not a folder next to %s", r.Dir, filepath.Base(path))
			}
		}
		if r.Part == nil {
			bad("part", "missing")
		} else {
			e.Part = *r.Part
		}
		if strings.TrimSpace(r.Title) == "" {
			bad("title", "missing or empty")
		}
		if r.Points == nil || *r.Points <= 0 {
			bad("points", "must be a positive whole number")
		} else {
			e.Points = *r.Points
		}
		if r.Timeout != "" {
			d, err := time.ParseDuration(r.Timeout)
			if err != nil || d <= 0 {
				bad("timeout", "%q is not a positive duration like \"30s\"", r.Timeout)
			}
			e.Timeout = d
		}
		if len(r.Hints) == 0 {
			bad("hints", "no hints: give at least one, from vague to specific")
		}
		for j, h := range r.Hints {
			if strings.TrimSpace(h) == "" {
				bad("hints", "hint %d is empty", j+1)
			}
		}
		for class, h := range r.FailureHints {
			if !slices.Contains(failureClasses, class) {
				bad("failure_hints", "%q is not a failure class (want one of %s)", class, strings.Join(failureClasses, ", "))
			}
			if strings.TrimSpace(h) == "" {
				bad("failure_hints", "the %s hint is empty", class)
			}
		}
		if len(r.OS) > 0 && strings.TrimSpace(r.OSReason) == "" {
			bad("os_reason", "needed with os: say why the exercise is skipped elsewhere")
		}
		if len(r.OS) == 0 && r.OSReason != "" {
			bad("os_reason", "set without os")
		}
		c.Exercises = append(c.Exercises, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// PathOf returns the exercise's folder on disk.
func (c *Curriculum) PathOf(e Exercise) string {
	return filepath.Join(c.Dir, filepath.FromSlash(e.Dir))
}

// Select returns the exercises named by args, in curriculum order. An
// argument matches an exact id, the number before the first underscore ("01"
// or "1"), or a unique id prefix. No args selects everything.
func (c *Curriculum) Select(args []string) ([]Exercise, error) {
	if len(args) == 0 {
		return c.Exercises, nil
	}
	want := map[string]bool{}
	for _, a := range args {
		e, err := c.Find(a)
		if err != nil {
			return nil, err
		}
		want[e.ID] = true
	}
	var out []Exercise
	for _, e := range c.Exercises {
		if want[e.ID] {
			out = append(out, e)
		}
	}
	return out, nil
}

// Find resolves one exercise name, as Select does.
func (c *Curriculum) Find(name string) (Exercise, error) {
	var prefixed []Exercise
	for _, e := range c.Exercises {
		if e.ID == name {
			return e, nil
		}
		num, _, _ := strings.Cut(e.ID, "_")
		if n, err := strconv.Atoi(name); err == nil && isDigits(name) {
			if m, err := strconv.Atoi(num); err == nil && m == n {
				return e, nil
			}
		}
		if strings.HasPrefix(e.ID, name) {
			prefixed = append(prefixed, e)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0], nil
	}
	ids := make([]string, len(c.Exercises))
	for i, e := range c.Exercises {
		ids[i] = e.ID
	}
	return Exercise{}, fmt.Errorf("no exercise %q (the exercises are %s)", name, strings.Join(ids, ", "))
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
