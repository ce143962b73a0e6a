package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/threadtalk/threadtalk/checker/internal/curriculum"
	"github.com/threadtalk/threadtalk/checker/internal/gotest"
	"github.com/threadtalk/threadtalk/checker/internal/grade"
	"github.com/threadtalk/threadtalk/checker/internal/report"
	"github.com/threadtalk/threadtalk/checker/internal/verify"
)

// studentCmd is how the README tells students to run the checker.
const studentCmd = "go run ./checker"

// usageError marks an error in the command line: exit code 2, with usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program but for the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "grade"
	if len(args) > 0 {
		switch args[0] {
		case "run", "hint", "verify", "toc", "help":
			cmd, args = args[0], args[1:]
		}
	}
	fs := flag.NewFlagSet("checker "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		asJSON  = fs.Bool("json", false, "write the report as JSON instead of text")
		verbose = fs.Bool("verbose", false, "also print every test's whole output as it runs")
		noRace  = fs.Bool("no-race", false, "grade without the race detector (the grade is then provisional)")
		info    = fs.String("info", "", "the curriculum file (default: exercises/info.toml in the module root)")
		limit   = fs.Duration("limit", 0, "bound on the whole run (default: the longest exercise timeout + 3m)")
		root    = fs.String("root", "", "the module root (default: the folder holding go.mod, found upward)")
		sols    = fs.Bool("solutions", false, "grade the solutions in place of the exercises (instructors), through -overlay")
		jsonOut = fs.String("json-out", "", "also write the JSON report to this file")
	)
	fs.Usage = func() { usage(stderr, fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if cmd == "help" {
		usage(stdout, fs)
		return nil
	}
	rootDir := *root
	if rootDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		if rootDir, err = grade.FindRoot(wd); err != nil {
			return err
		}
	}
	infoPath := *info
	if infoPath == "" {
		infoPath = filepath.Join(rootDir, "exercises", "info.toml")
	}
	cur, err := curriculum.Load(infoPath)
	if err != nil {
		return fmt.Errorf("the curriculum is broken:\n%w", err)
	}
	switch cmd {
	case "hint":
		return hint(stdout, cur, fs.Args())
	case "toc":
		_, err := io.WriteString(stdout, verify.Table(cur))
		return err
	case "verify":
		return verify.Run(ctx, verify.Options{Root: rootDir, Curriculum: cur, Only: fs.Args(), Out: stdout, NoRace: *noRace})
	case "run":
		if fs.NArg() != 1 {
			return usageError{"checker run takes one exercise, e.g. `checker run 01`"}
		}
		*verbose = true
	}
	exercises, err := cur.Select(fs.Args())
	if err != nil {
		return usageError{err.Error()}
	}
	opts := grade.Options{Root: rootDir, Curriculum: cur, Exercises: exercises, NoRace: *noRace, Outer: *limit}
	if *sols {
		if opts.Replace, err = grade.SolutionOverlay(cur, filepath.Join(rootDir, "solutions"), exercises); err != nil {
			return err
		}
	}
	if *verbose && !*asJSON {
		opts.Raw = stdout
	}
	start := time.Now()
	res, err := grade.Grade(ctx, opts)
	if ctx.Err() != nil {
		return errors.New("interrupted: nothing was graded")
	}
	if err != nil {
		return err
	}
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, res); err != nil {
			return err
		}
	}
	if *asJSON {
		if err := report.JSON(stdout, res); err != nil {
			return err
		}
	} else {
		if *verbose {
			fmt.Fprintf(stdout, "\n(graded in %.1fs)\n\n", time.Since(start).Seconds())
		}
		report.Text(stdout, res, cur, rootDir, studentCmd)
	}
	for _, e := range res.Exercises {
		if s := e.Outcome.Status; s != gotest.Passed && s != gotest.Skipped {
			return errUnfinished
		}
	}
	return nil
}

func writeJSON(path string, res *grade.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write the JSON report: %w", err)
	}
	err = report.JSON(f, res)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func hint(w io.Writer, cur *curriculum.Curriculum, args []string) error {
	if len(args) != 1 {
		return usageError{"checker hint takes one exercise, e.g. `checker hint 01`"}
	}
	e, err := cur.Find(args[0])
	if err != nil {
		return usageError{err.Error()}
	}
	fmt.Fprintf(w, "%s — %s\n\n", e.ID, e.Title)
	for i, h := range e.Hints {
		fmt.Fprintf(w, "%d. %s\n\n", i+1, strings.TrimSpace(h))
	}
	for _, class := range []string{"race", "leak", "timeout", "panic"} {
		if h := e.FailureHints[class]; h != "" {
			fmt.Fprintf(w, "If the checker says %s: %s\n\n", class, strings.TrimSpace(h))
		}
	}
	return nil
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `usage:
  checker [flags] [exercise ...]   grade every exercise, or the ones named (00, 01_func_values, ...)
  checker run NN                   grade one exercise and show all of its output
  checker hint NN                  show the exercise's hints
  checker verify [exercise ...]    the course's self-check (maintainers)
  checker toc                      the table of exercises for exercises/README.md (maintainers)

flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
}
