package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyCourse copies what `checker verify` reads (go.mod, go.sum, exercises,
// solutions, wrong answers) into a fresh folder, to break it on purpose.
func copyCourse(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	dst := t.TempDir()
	for _, rel := range []string{"go.mod", "go.sum", "exercises", "solutions", "checker/testdata/wrong"} {
		src := filepath.Join(root, rel)
		err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			r, _ := filepath.Rel(root, path)
			target := filepath.Join(dst, r)
			if d.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, 0o644)
		})
		require.NoError(t, err)
	}
	return dst
}

func verifyIn(t *testing.T, root string, ids ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	err := run(ctx, append([]string{"verify", "--root", root}, ids...), &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o644))
}

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old, "the mutation needs %q in %s", old, path)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

// Each case breaks the course in one way that `checker verify` exists to
// catch, and expects verify to fail naming the exercise.
func TestVerifyCatchesABrokenCourse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the exercise's tests several times")
	}
	type testCase struct {
		name   string
		ids    []string // the exercises to verify; default 00
		break_ func(t *testing.T, root string)
		want   []string
	}
	cases := []testCase{
		{
			name: "a solution that fails its tests",
			break_: func(t *testing.T, root string) {
				replaceIn(t, filepath.Join(root, "solutions/00_warmup/warmup.go"), `"hello, " + name`, `"hi, " + name`)
			},
			want: []string{"00_warmup: the solution gets failed, want passed"},
		},
		{
			name: "a stub that already passes",
			break_: func(t *testing.T, root string) {
				copyFile(t, filepath.Join(root, "solutions/00_warmup/warmup.go"), filepath.Join(root, "exercises/00_warmup/warmup.go"))
			},
			want: []string{"00_warmup: the stub gets passed, want failed", "00_warmup: the stub marks no edit point with // TODO"},
		},
		{
			name: "an empty hint",
			break_: func(t *testing.T, root string) {
				replaceIn(t, filepath.Join(root, "exercises/info.toml"), "hints = [\n", "hints = [\n  \"  \",\n")
			},
			want: []string{"exercise 00_warmup: hints: hint 1 is empty"},
		},
		{
			name: "a wrong answer that is no longer caught",
			break_: func(t *testing.T, root string) {
				copyFile(t, filepath.Join(root, "solutions/00_warmup/warmup.go"), filepath.Join(root, "checker/testdata/wrong/00_warmup/sum_shared_total/warmup.go"))
			},
			want: []string{"00_warmup: wrong answer sum_shared_total gets passed, want race"},
		},
		{
			name: "a stray file in an exercise",
			break_: func(t *testing.T, root string) {
				require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/00_warmup/notes.txt"), []byte("x"), 0o644))
			},
			want: []string{"00_warmup: stray notes.txt"},
		},
		{
			name: "a provided file whose solution twin drifted",
			ids:  []string{"06"},
			break_: func(t *testing.T, root string) {
				replaceIn(t, filepath.Join(root, "solutions/06_bridges/source.go"), "package bridges", "package bridges\n\n// drifted")
			},
			want: []string{"06_bridges: solution file source.go differs from the exercise's provided source.go"},
		},
		{
			name: "a README table that drifted from info.toml",
			break_: func(t *testing.T, root string) {
				replaceIn(t, filepath.Join(root, "exercises/README.md"), "| 0 | 5 |", "| 0 | 6 |")
			},
			want: []string{"the table of exercises differs from info.toml"},
		},
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		root := copyCourse(t)
		tc.break_(t, root)
		ids := tc.ids
		if ids == nil {
			ids = []string{"00"}
		}
		out, err := verifyIn(t, root, ids...)
		require.Error(t, err, "verify must fail; it printed:\n%s", out)
		for _, w := range tc.want {
			assert.Contains(t, err.Error(), w, "verify's error must name the exercise and the fault; it printed:\n%s", out)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// The unbroken copy verifies: the cases above fail for their fault alone.
func TestVerifyPassesAnIntactCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the exercise's tests several times")
	}
	out, err := verifyIn(t, copyCourse(t), "00")
	require.NoError(t, err, "verify of an intact copy:\n%s", out)
	assert.Contains(t, out, "00_warmup/sum_shared_total is caught: race")
}
