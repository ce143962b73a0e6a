package curriculum

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const header = `format_version = 1
welcome_message = "hi"
final_message = "bye"
`

const good = `
[[exercises]]
id = "00_warmup"
dir = "00_warmup"
part = 0
title = "Warm-up"
points = 5
hints = ["vague", "specific"]
[exercises.failure_hints]
race = "guard it"

[[exercises]]
id = "01_func_values"
dir = "01_func_values"
part = 1
title = "Func values"
points = 10
timeout = "45s"
hints = ["one"]
os = ["linux"]
os_reason = "needs a Linux syscall"
`

// write lays out an info.toml and the folders it names.
func write(t *testing.T, body string, dirs ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range dirs {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	path := filepath.Join(dir, "info.toml")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	return path
}

func TestLoadReadsEveryField(t *testing.T) {
	c, err := Load(write(t, header+good, "00_warmup", "01_func_values"))
	require.NoError(t, err)
	require.Len(t, c.Exercises, 2)
	e := c.Exercises[1]
	assert.Equal(t, "01_func_values", e.ID)
	assert.Equal(t, 1, e.Part)
	assert.Equal(t, 10, e.Points)
	assert.Equal(t, 45*time.Second, e.Timeout)
	assert.Equal(t, []string{"linux"}, e.OS)
	assert.Equal(t, DefaultTimeout, c.Exercises[0].Timeout, "no timeout field: the default")
	assert.Equal(t, "guard it", c.Exercises[0].FailureHints["race"])
	assert.True(t, e.RunsOn("linux"))
	assert.False(t, e.RunsOn("darwin"))
}

// A broken file is reported with the file, the exercise and the field.
func TestLoadErrorsNameFileExerciseAndField(t *testing.T) {
	type testCase struct {
		name string
		body string
		want string
	}
	run := func(t *testing.T, tc testCase) {
		path := write(t, tc.body, "00_warmup", "01_func_values")
		_, err := Load(path)
		require.Error(t, err)
		assert.Contains(t, err.Error(), path, "the error names the file")
		assert.Contains(t, err.Error(), tc.want)
	}
	cases := []testCase{
		{"an empty hint", header + strings.Replace(good, `"vague"`, `"  "`, 1), "exercise 00_warmup: hints: hint 1 is empty"},
		{"no hints", header + strings.Replace(good, `hints = ["one"]`, ``, 1), "exercise 01_func_values: hints: no hints"},
		{"a missing folder", header + strings.Replace(good, `dir = "01_func_values"`, `dir = "01_nope"`, 1), `exercise 01_func_values: dir: "01_nope" is not a folder`},
		{"a path out of the folder", header + strings.Replace(good, `dir = "01_func_values"`, `dir = "../x"`, 1), "exercise 01_func_values: dir:"},
		{"a duplicate id", header + strings.Replace(good, `id = "01_func_values"`, `id = "00_warmup"`, 1), "exercise 00_warmup: id: used twice"},
		{"zero points", header + strings.Replace(good, `points = 5`, `points = 0`, 1), "exercise 00_warmup: points: must be a positive whole number"},
		{"a bad timeout", header + strings.Replace(good, `"45s"`, `"soon"`, 1), `exercise 01_func_values: timeout: "soon"`},
		{"an unknown failure class", header + strings.Replace(good, `race = "guard it"`, `flaky = "x"`, 1), `exercise 00_warmup: failure_hints: "flaky" is not a failure class`},
		{"os without a reason", header + strings.Replace(good, `os_reason = "needs a Linux syscall"`, ``, 1), "exercise 01_func_values: os_reason: needed with os"},
		{"a typo in a field name", header + strings.Replace(good, `title = "Warm-up"`, `titel = "Warm-up"`, 1), "unknown field(s) exercises.titel"},
		{"a wrong format version", strings.Replace(header, "format_version = 1", "format_version = 2", 1) + good, "format_version is 2"},
		{"a TOML syntax error", header + "[[exercises]\n", "info.toml:5: expected end of table array name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestFindAcceptsNumbersIDsAndPrefixes(t *testing.T) {
	c, err := Load(write(t, header+good, "00_warmup", "01_func_values"))
	require.NoError(t, err)
	for name, want := range map[string]string{"00": "00_warmup", "0": "00_warmup", "1": "01_func_values", "01_func_values": "01_func_values", "01_f": "01_func_values"} {
		e, err := c.Find(name)
		if assert.NoError(t, err, name) {
			assert.Equal(t, want, e.ID, "Find(%q)", name)
		}
	}
	_, err = c.Find("0x")
	assert.ErrorContains(t, err, `no exercise "0x" (the exercises are 00_warmup, 01_func_values)`)
}
