// Package gotest runs `go test -json` over a set of packages and turns the
// stream into one Outcome per package, in bounded time and memory.
package gotest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Options describe one `go test` run.
type Options struct {
	Go       string   // the go command; "go" when empty
	Dir      string   // where to run it: the module root
	Packages []string // package patterns, e.g. ./exercises/00_warmup
	Race     bool
	Timeout  time.Duration // go test -timeout, per test binary
	// Outer bounds the whole run. When it passes, every process of the run
	// gets SIGQUIT (the test binaries dump their goroutines), then SIGKILL
	// after Grace.
	Outer   time.Duration
	Grace   time.Duration
	Count   int // 0: let go test decide (results may come from its cache)
	Shuffle bool
	Overlay string // a go build -overlay file
	Env     []string
	// Raw, when set, receives every line of the stream as it arrives
	// (`checker --verbose`).
	Raw io.Writer
}

// Result is what one run produced.
type Result struct {
	Packages map[string]*Package // by import path
	Order    []string            // import paths in the order first seen
	ExitCode int
	Stderr   string // the go command's own stderr, capped
	// OuterExpired is set when Options.Outer passed and the run was killed.
	OuterExpired bool
	Duration     time.Duration
}

// ErrRaceUnsupported is returned when -race was asked for but this Go cannot
// build with it (no C compiler, or CGO_ENABLED=0, on Linux and Windows).
var ErrRaceUnsupported = errors.New("the race detector needs cgo, and cgo is not available")

// Run runs go test as opts says. An error means nothing could be graded:
// the go command could not start, or it failed before running any package.
func Run(ctx context.Context, opts Options) (*Result, error) {
	goCmd := opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	args := []string{"test", "-json"}
	if opts.Race {
		args = append(args, "-race")
	}
	if opts.Timeout > 0 {
		args = append(args, "-timeout="+opts.Timeout.String())
	}
	if opts.Count > 0 {
		args = append(args, fmt.Sprintf("-count=%d", opts.Count))
	}
	if opts.Shuffle {
		args = append(args, "-shuffle=on")
	}
	if opts.Overlay != "" {
		args = append(args, "-overlay="+opts.Overlay)
	}
	args = append(args, opts.Packages...)

	grace := opts.Grace
	if grace <= 0 {
		grace = 5 * time.Second
	}
	runCtx := ctx
	if opts.Outer > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, opts.Outer)
		defer cancel()
	}

	cmd := exec.Command(goCmd, args...)
	cmd.Dir = opts.Dir
	cmd.Env = append(os.Environ(), opts.Env...)
	startGroup(cmd)
	// Wait returns this long after the go command exits even if a test
	// binary it started still holds our pipes.
	cmd.WaitDelay = grace
	stderr := newCapBuffer(32<<10, 32<<10)
	cmd.Stderr = writerFunc(func(p []byte) (int, error) { stderr.WriteString(string(p)); return len(p), nil })
	// Through an io.Pipe rather than StdoutPipe: Wait then ends the stream
	// even when an orphaned test binary keeps the OS pipe open.
	stdout, stdoutW := io.Pipe()
	cmd.Stdout = stdoutW
	start := time.Now()
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("cannot find the go command (%w): install Go from https://go.dev/dl and make sure `go version` works in this terminal", err)
		}
		return nil, fmt.Errorf("start %s: %w", goCmd, err)
	}
	waited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		stdoutW.Close()
		waited <- err
	}()

	res := &Result{Packages: map[string]*Package{}}
	stopWatch := make(chan struct{})
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		select {
		case <-stopWatch:
			return
		case <-runCtx.Done():
		}
		res.OuterExpired = true
		_ = quitGroup(cmd)
		select {
		case <-stopWatch:
		case <-time.After(grace):
		}
		killGroup(cmd)
	}()

	events := 0
	dec := newDecoder(stdout)
	for {
		ev, err := dec.Next()
		if err != nil {
			break
		}
		if opts.Raw != nil {
			writeRaw(opts.Raw, ev)
		}
		if ev.Package == "" && ev.ImportPath == "" {
			stderr.WriteString(ev.Output)
			continue
		}
		events++
		res.add(ev)
	}
	_, _ = io.Copy(io.Discard, stdout)
	waitErr := <-waited
	close(stopWatch)
	<-watchDone
	// A test binary that ignored SIGQUIT, or was orphaned, dies with its group.
	if res.OuterExpired {
		killGroup(cmd)
	}
	res.Duration = time.Since(start)
	res.Stderr = stderr.String()
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	for _, p := range res.Packages {
		p.finish(res.OuterExpired)
	}
	if events == 0 {
		if opts.Race && strings.Contains(res.Stderr, "-race requires cgo") {
			return res, ErrRaceUnsupported
		}
		if res.OuterExpired {
			return res, fmt.Errorf("go test printed nothing before the %s limit", opts.Outer)
		}
		msg := strings.TrimSpace(res.Stderr)
		if msg == "" && waitErr != nil {
			msg = waitErr.Error()
		}
		return res, fmt.Errorf("go test ran no package: %s", msg)
	}
	return res, nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// writeRaw prints what go test -v would have: the output, test by test.
func writeRaw(w io.Writer, ev Event) {
	if ev.Action == "output" || ev.Action == "build-output" {
		_, _ = io.WriteString(w, ev.Output)
	}
}

func (r *Result) pkg(path string) *Package {
	p := r.Packages[path]
	if p == nil {
		p = newPackage(path)
		r.Packages[path] = p
		r.Order = append(r.Order, path)
	}
	return p
}

func (r *Result) add(ev Event) {
	switch ev.Action {
	case "build-output", "build-fail":
		// ImportPath is "pkg" or "pkg [pkg.test]" for the test variant.
		path, _, _ := strings.Cut(ev.ImportPath, " ")
		p := r.pkg(path)
		if ev.Action == "build-fail" {
			p.BuildFailed = true
		} else {
			p.Build.WriteString(ev.Output)
		}
		return
	}
	p := r.pkg(ev.Package)
	if ev.FailedBuild != "" {
		p.BuildFailed = true
		// A failed setup (a missing go.sum entry, say) files the compiler's
		// words under the dependency that failed, not under this package.
		if dep, _, _ := strings.Cut(ev.FailedBuild, " "); dep != ev.Package && r.Packages[dep] != nil {
			p.Build.WriteString(r.Packages[dep].Build.String())
		}
	}
	p.add(ev)
}
