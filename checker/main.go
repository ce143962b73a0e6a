// Command checker grades threadtalk's exercises and checks the course itself.
//
//	go run ./checker [--json] [--verbose] [--no-race] [exercise ...]
//	go run ./checker run NN      grade one exercise and show all of its output
//	go run ./checker hint NN     the exercise's hints, vague to specific
//	go run ./checker verify      the course's self-check (maintainers)
//
// Exit codes: 0 every graded exercise passed, 1 some are unfinished, 2 the
// checker could not grade (usage, no Go, a broken course).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// errUnfinished is returned when grading worked and some exercise did not pass.
var errUnfinished = errors.New("some exercises are unfinished")

func exitCode(err error, stderr *os.File) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUnfinished):
		return 1
	default:
		fmt.Fprintf(stderr, "checker: %v\n", err)
		return 2
	}
}
