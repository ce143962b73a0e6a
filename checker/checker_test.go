package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// go test ./checker -run TestFixtures -update rewrites the golden files.
var update = flag.Bool("update", false, "rewrite testdata/golden from the checker's output")

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	return root
}

const fixtureInfo = "checker/testdata/fixtures/info.toml"

// grading runs the checker in-process on the fixture curriculum.
type grading struct {
	stdout, stderr string
	err            error
	report         map[string]any
}

func gradeFixtures(t *testing.T, args ...string) grading {
	t.Helper()
	root := repoRoot(t)
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	all := append([]string{"--root", root, "--info", filepath.Join(root, fixtureInfo), "--json-out", jsonPath}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	g := grading{err: run(ctx, all, &stdout, &stderr)}
	g.stdout, g.stderr = stdout.String(), stderr.String()
	if b, err := os.ReadFile(jsonPath); err == nil {
		require.NoError(t, json.Unmarshal(b, &g.report), "the JSON report must parse")
	}
	return g
}

func TestFixtures(t *testing.T) {
	type testCase struct {
		fixture string
		status  string
	}
	cases := []testCase{
		{"passes", "passed"},
		{"fails", "failed"},
		{"build_error", "build-error"},
		{"vet_error", "build-error"},
		{"race_in_test", "race"},
		{"race_outside_test", "race"},
		{"race_after_run", "race"},
		{"leak_testmain", "leak"},
		{"leak_per_test", "leak"},
		{"timeout_deadlock", "timeout"},
		{"busy_loop", "timeout"},
		{"panic_in_goroutine", "panic"},
		{"panic_in_test", "panic"},
		{"os_exit_zero", "panic"},
		{"huge_output", "passed"},
		{"skipped_os", "skipped"},
		{"test_skips", "skipped"},
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		g := gradeFixtures(t, tc.fixture)
		require.NotNil(t, g.report, "no JSON report; stderr: %s", g.stderr)
		ex := g.report["exercises"].([]any)[0].(map[string]any)
		assert.Equal(t, tc.status, ex["status"], "status of %s; the checker printed:\n%s", tc.fixture, g.stdout)
		wantErr := tc.status != "passed" && tc.status != "skipped"
		assert.Equal(t, wantErr, g.err != nil, "run's error (exit code 1 iff unfinished): %v", g.err)

		golden(t, tc.fixture+".txt", normalise(g.stdout))
		b, err := json.MarshalIndent(g.report, "", "  ")
		require.NoError(t, err)
		golden(t, tc.fixture+".json", normalise(string(b)))
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) { run(t, tc) })
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: go test ./checker -run %s -update", t.Name())
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the checker's output (-want +got); if the change is right: go test ./checker -run %s -update\n%s", path, t.Name(), diff)
	}
}

// normalise removes what changes from run to run: durations, goroutine
// numbers, where Go and the module cache are, the state a spinning
// goroutine happens to be caught in.
var normalisers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`\b\d+\.\d+s\b`), "N.NNs"},
	{regexp.MustCompile(`goroutine \d+`), "goroutine N"},
	{regexp.MustCompile(`Goroutine \d+`), "Goroutine N"},
	{regexp.MustCompile(`\S*/go/src/([\w/]+\.go):\d+`), "GOROOT/src/$1:N"},
	{regexp.MustCompile(`\S*/pkg/mod/(\S+?\.go):\d+`), "GOMODCACHE/$1:N"},
	{regexp.MustCompile(`\btesting\.go:\d+`), "testing.go:N"},
	{regexp.MustCompile(`\+0x[0-9a-f]+`), "+0xN"},
	{regexp.MustCompile(`\b0x[0-9a-f]{6,}\b`), "0xADDR"},
	{regexp.MustCompile(`a goroutine \[(running|runnable)\][^\n"]*`), "a goroutine [running or runnable] ..."},
}

func normalise(s string) string {
	if root, err := filepath.Abs(".."); err == nil {
		s = strings.ReplaceAll(s, filepath.ToSlash(root)+"/", "$ROOT/")
	}
	for _, n := range normalisers {
		s = n.re.ReplaceAllString(s, n.repl)
	}
	return s
}

func TestExitCodes(t *testing.T) {
	g := gradeFixtures(t, "passes")
	assert.NoError(t, g.err, "every graded exercise passed: exit 0")
	g = gradeFixtures(t, "passes", "fails")
	assert.ErrorIs(t, g.err, errUnfinished, "an unfinished exercise: exit 1")

	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"--root", repoRoot(t), "--info", "no/such/info.toml"}, &stdout, &stderr)
	require.Error(t, err)
	assert.NotErrorIs(t, err, errUnfinished, "a broken curriculum cannot be graded: exit 2")
	assert.Contains(t, err.Error(), "no/such/info.toml")

	err = run(context.Background(), []string{"--root", repoRoot(t), "--info", filepath.Join(repoRoot(t), fixtureInfo), "nonesuch"}, &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no exercise "nonesuch"`)

	err = run(context.Background(), []string{"--bogus-flag"}, &stdout, &stderr)
	assert.IsType(t, usageError{}, err, "an unknown flag is a usage error")
}

// Without cgo, -race cannot build: the checker grades without it and says
// the grade is provisional.
func TestWithoutCgoGradesWithoutRace(t *testing.T) {
	t.Setenv("CGO_ENABLED", "0")
	g := gradeFixtures(t, "passes", "race_in_test")
	require.NotNil(t, g.report, "stderr: %s", g.stderr)
	assert.Equal(t, false, g.report["race_detector"])
	assert.Contains(t, g.stdout, "This grade is provisional")
	assert.Contains(t, g.stdout, "CGO_ENABLED")
	ex := g.report["exercises"].([]any)
	assert.Equal(t, "passed", ex[0].(map[string]any)["status"])
}

// A test binary that ignores SIGQUIT is killed at the checker's own limit,
// with its whole process group, and graded timeout.
func TestOuterLimitKillsTheGroup(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("process groups are unix-only; the fixture is built for unix")
	}
	start := time.Now()
	g := gradeFixtures(t, "--limit", "6s", "hang_ignores_quit")
	took := time.Since(start)
	require.NotNil(t, g.report, "stderr: %s", g.stderr)
	ex := g.report["exercises"].([]any)[0].(map[string]any)
	assert.Equal(t, "timeout", ex["status"])
	assert.Contains(t, ex["summary"], "overall time limit")
	assert.Less(t, took, 40*time.Second, "the checker must stop soon after its limit (6s) and grace (5s)")
	if runtime.GOOS == "linux" {
		assert.Empty(t, pgrep("hang_ignores_quit.test"), "the test binary must not outlive the checker")
	}
}

// The huge_output fixture prints over 50 MB; the checker keeps a bounded
// part of it. The grading runs in a child process of its own, so that the
// peak measured is the checker's alone.
func TestHugeOutputStaysSmall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads VmHWM from /proc")
	}
	if os.Getenv("THREADTALK_MEASURE_CHILD") == "1" {
		g := gradeFixtures(t, "huge_output")
		require.NotNil(t, g.report, "stderr: %s", g.stderr)
		fmt.Printf("PEAK %d\n", peakRSS(t))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHugeOutputStaysSmall$", "-test.v")
	cmd.Env = append(os.Environ(), "THREADTALK_MEASURE_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	m := regexp.MustCompile(`PEAK (\d+)`).FindSubmatch(out)
	require.NotNil(t, m, "the child printed no PEAK line:\n%s", out)
	peak, err := strconv.ParseInt(string(m[1]), 10, 64)
	require.NoError(t, err)
	t.Logf("peak RSS while grading huge_output (>50 MB printed): %d MB", peak>>20)
	assert.Less(t, peak, int64(300<<20), "the checker must not keep the output in memory")
}

func peakRSS(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb int64
			_, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// pgrep lists the processes whose command line contains pattern.
func pgrep(pattern string) string {
	out, _ := exec.Command("pgrep", "-af", pattern).Output()
	return strings.TrimSpace(string(out))
}

// With no go command on PATH the checker cannot grade, and says how to fix it.
func TestNoGoCannotGrade(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	g := gradeFixtures(t, "passes")
	require.Error(t, g.err)
	assert.NotErrorIs(t, g.err, errUnfinished, "no Go: exit 2, not 1")
	assert.Contains(t, g.err.Error(), "install Go from https://go.dev/dl")
}
