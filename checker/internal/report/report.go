// Package report renders a graded run for a student's terminal and as JSON
// for autograders and class tables.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/threadtalk/threadtalk/checker/internal/curriculum"
	"github.com/threadtalk/threadtalk/checker/internal/gotest"
	"github.com/threadtalk/threadtalk/checker/internal/grade"
)

// Version is the JSON report's format version.
const Version = 1

// Text writes one line per exercise, the progress, and for the first
// unfinished exercise the essence of why and what to do next. cmd is how the
// student runs the checker (e.g. "go run ./checker").
func Text(w io.Writer, res *grade.Result, cur *curriculum.Curriculum, root, cmd string) {
	total := Build(res).Total
	graded := total.Exercises
	fmt.Fprintf(w, "threadtalk: %d of %d exercises done, %d of %d points\n", total.Passed, graded, total.Points, total.MaxPoints)
	fmt.Fprintf(w, "%s\n\n", bar(total.Passed, graded, 30))
	width := 0
	for _, e := range res.Exercises {
		width = max(width, len(e.ID))
	}
	var first *grade.Exercise
	for i, e := range res.Exercises {
		mark := "  "
		switch e.Outcome.Status {
		case gotest.Passed:
			mark = "ok"
		case gotest.Skipped:
			mark = "--"
		default:
			mark = "XX"
			if first == nil {
				first = &res.Exercises[i]
			}
		}
		line := fmt.Sprintf("%s %-11s %-*s  %s", mark, e.Outcome.Status, width, e.ID, e.Title)
		if e.Outcome.Status != gotest.Passed {
			line = fmt.Sprintf("%s %-11s %-*s  %s", mark, e.Outcome.Status, width, e.ID, e.Outcome.Summary)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	if res.RaceNote != "" {
		fmt.Fprintf(w, "\n%s\n", res.RaceNote)
	}
	if first == nil {
		if graded > 0 {
			fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cur.Final))
		}
		return
	}
	e := first
	fmt.Fprintf(w, "\nNext: %s — %s\n", e.ID, e.Outcome.Summary)
	for _, l := range e.Outcome.Detail {
		fmt.Fprintf(w, "    %s\n", l)
	}
	if h := e.FailureHints[failureClass(e.Outcome.Status)]; h != "" {
		fmt.Fprintf(w, "\nHint (%s): %s\n", e.Outcome.Status, strings.TrimSpace(h))
	}
	num, _, _ := strings.Cut(e.ID, "_")
	doc := filepath.ToSlash(filepath.Join(relTo(root, e.Path), "doc.go"))
	fmt.Fprintf(w, "\nRead %s, edit the file marked // TODO, and run the checker again.\n", doc)
	fmt.Fprintf(w, "Stuck? `%s hint %s` gives a hint; `%s run %s` shows the whole test output.\n", cmd, num, cmd, num)
}

// failureClass maps a status to the failure_hints key it uses.
func failureClass(s gotest.Status) string {
	switch s {
	case gotest.Race, gotest.Leak, gotest.Timeout, gotest.Panic:
		return string(s)
	}
	return ""
}

func bar(done, total, width int) string {
	if total == 0 {
		return "[" + strings.Repeat("-", width) + "]"
	}
	n := done * width / total
	return fmt.Sprintf("[%s%s] %d%%", strings.Repeat("#", n), strings.Repeat("-", width-n), done*100/total)
}

func relTo(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// JSONReport is the machine-readable report (`checker --json`).
type JSONReport struct {
	Version      int            `json:"version"`
	Exercises    []JSONExercise `json:"exercises"`
	Total        JSONTotal      `json:"total"`
	RaceDetector bool           `json:"race_detector"`
}

// JSONExercise is one exercise in the report.
type JSONExercise struct {
	ID        string               `json:"id"`
	Dir       string               `json:"dir"`
	Status    string               `json:"status"`
	Points    int                  `json:"points"`
	MaxPoints int                  `json:"max_points"`
	Summary   string               `json:"summary"`
	Tests     []gotest.TestOutcome `json:"tests"`
}

// JSONTotal sums the report.
type JSONTotal struct {
	Passed    int `json:"passed"`
	Exercises int `json:"exercises"`
	Points    int `json:"points"`
	MaxPoints int `json:"max_points"`
}

// Build turns a result into the JSON report's shape.
func Build(res *grade.Result) JSONReport {
	r := JSONReport{Version: Version, RaceDetector: res.RaceDetector, Exercises: []JSONExercise{}}
	for _, e := range res.Exercises {
		je := JSONExercise{ID: e.ID, Dir: e.Dir, Status: string(e.Outcome.Status), MaxPoints: e.Points, Summary: e.Outcome.Summary, Tests: e.Outcome.Tests}
		if je.Tests == nil {
			je.Tests = []gotest.TestOutcome{}
		}
		if e.Outcome.Status == gotest.Passed {
			je.Points = e.Points
			r.Total.Passed++
			r.Total.Points += e.Points
		}
		if e.Outcome.Status != gotest.Skipped {
			r.Total.Exercises++
			r.Total.MaxPoints += e.Points
		}
		r.Exercises = append(r.Exercises, je)
	}
	return r
}

// JSON writes the report, indented.
func JSON(w io.Writer, res *grade.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Build(res))
}
