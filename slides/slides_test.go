// Tests for the course's slide decks. Every *.slide file in this folder is
// parsed the way `go tool present` parses it when serving, so a deck whose
// .code region drifted from the tested code, or that points at a missing file,
// fails here instead of in front of a class.
package slides_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/present"
)

func TestEveryDeckParsesWithItsFilesAndSpeakerNotes(t *testing.T) {
	decks, err := filepath.Glob("*.slide")
	if err != nil {
		t.Fatal(err)
	}
	if len(decks) == 0 {
		t.Fatal("found no *.slide file in slides/: the test would pass without checking anything")
	}
	for _, deck := range decks {
		t.Run(deck, func(t *testing.T) {
			for _, problem := range checkDeck(deck) {
				t.Errorf("deck %s: %v", deck, problem)
			}
		})
	}
}

// checkDeck fully parses the present file at path, resolving .code, .play and
// .html against the files on disk as present does, and returns every problem
// found: a parse error (which includes a missing file or an address such as
// /START X OMIT/ that matches nothing), a .code or .play that selects no lines,
// a local .image, .video, .iframe or .background that does not exist or lies
// outside the deck's folder, and a slide without speaker notes.
func checkDeck(path string) []error {
	src, err := os.ReadFile(path)
	if err != nil {
		return []error{err}
	}
	ctx := present.Context{ReadFile: os.ReadFile}
	doc, err := ctx.Parse(bytes.NewReader(src), path, 0)
	if err != nil {
		return []error{fmt.Errorf("does not parse: %w", err)}
	}

	var problems []error
	report := func(format string, args ...any) {
		problems = append(problems, fmt.Errorf(format, args...))
	}
	dir := filepath.Dir(path)
	if !hasNotes(doc.TitleNotes) {
		report(`the title slide has no speaker notes: add lines starting with ": " to the header`)
	}
	if len(doc.Sections) == 0 {
		report("the deck has no slides")
	}
	for _, s := range doc.Sections {
		// present numbers pages from 1 for the title slide.
		slide := fmt.Sprintf("slide %d (%q)", s.Number[0]+1, s.Title)
		if !hasNotes(s.Notes) {
			report(`%s has no speaker notes: add lines starting with ": "`, slide)
		}
		for _, style := range s.Styles {
			if m := backgroundURL.FindStringSubmatch(style); m != nil {
				if err := checkLocalFile(dir, m[1]); err != nil {
					report("%s: .background %v", slide, err)
				}
			}
		}
		for _, err := range checkElems(dir, s.Elem) {
			report("%s: %v", slide, err)
		}
	}
	return problems
}

// backgroundURL extracts the file of a .background command, which present
// keeps only as a CSS style on the section.
var backgroundURL = regexp.MustCompile(`^background-image: url\('(.*)'\)$`)

// checkElems checks the elements of one slide, including its subsections.
func checkElems(dir string, elems []present.Elem) []error {
	var problems []error
	for _, e := range elems {
		var err error
		switch e := e.(type) {
		case present.Section:
			// present's notes window shows only the notes of whole slides.
			if hasNotes(e.Notes) {
				err = fmt.Errorf("subsection %q has speaker notes, which present never shows: move them to the slide", e.Title)
			}
			problems = append(problems, checkElems(dir, e.Elem)...)
		case present.Code:
			if len(bytes.TrimSpace(e.Raw)) == 0 {
				err = fmt.Errorf("%q shows no code: the region between its markers is empty", e.Cmd)
			}
		case present.Image:
			err = checkLocalFile(dir, e.URL)
		case present.Video:
			err = checkLocalFile(dir, e.URL)
		case present.Iframe:
			err = checkLocalFile(dir, e.URL)
		}
		if err != nil {
			problems = append(problems, err)
		}
	}
	return problems
}

// checkLocalFile checks that ref, a URL relative to the deck's page, names a
// file that `go tool present -content=<deck's folder>` can serve. A URL with
// a scheme or host is remote and cannot be checked offline, so it passes.
func checkLocalFile(dir, ref string) error {
	u, err := url.Parse(ref)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %v", ref, err)
	}
	if u.Scheme != "" || u.Host != "" {
		return nil
	}
	name := filepath.Join(dir, filepath.FromSlash(u.Path))
	if rel, err := filepath.Rel(dir, name); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("%q is outside the deck's folder, and present serves only files under its -content folder", ref)
	}
	if _, err := os.Stat(name); err != nil {
		return fmt.Errorf("%q: %v", ref, err)
	}
	return nil
}

func hasNotes(notes []string) bool {
	return strings.TrimSpace(strings.Join(notes, "")) != ""
}

// TestCheckDeck proves that checkDeck rejects what would break a slide and
// accepts a good deck, on small decks written to a temporary folder.
func TestCheckDeck(t *testing.T) {
	const code = `package demo

// START SHOWN OMIT
func Shown() int { return 1 }

// END SHOWN OMIT

// START EMPTY OMIT
// END EMPTY OMIT
`
	deck := func(body string) string {
		return "# Demo\n\n: title notes\n\n## Slide one\n\n" + body + "\n\n: slide notes\n"
	}

	type testCase struct {
		name  string
		deck  string            // the text of demo.slide
		files map[string]string // other files, relative to the deck's folder
		want  string            // a substring of one of the problems; "" for none
	}
	run := func(t *testing.T, tc testCase) {
		dir := t.TempDir()
		files := map[string]string{"demo.slide": tc.deck}
		for name, text := range tc.files {
			files[name] = text
		}
		for name, text := range files {
			name = filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}

		problems := checkDeck(filepath.Join(dir, "demo.slide"))
		for _, p := range problems {
			t.Log(p)
		}

		if tc.want == "" {
			for _, p := range problems {
				t.Errorf("a good deck was rejected: %v", p)
			}
			return
		}
		for _, p := range problems {
			if strings.Contains(p.Error(), tc.want) {
				return
			}
		}
		t.Errorf("got problems %q, want one containing %q", problems, tc.want)
	}

	testCases := []testCase{
		{
			name:  "a deck with a code region, a local image and notes everywhere is accepted",
			deck:  deck(".code code/demo.go /START SHOWN OMIT/,/END SHOWN OMIT/\n\n.image img/gopher.png\n\n.background img/gopher.png"),
			files: map[string]string{"code/demo.go": code, "img/gopher.png": "png"},
		},
		{
			name:  "a .code whose file does not exist is rejected",
			deck:  deck(".code code/missing.go /START SHOWN OMIT/,/END SHOWN OMIT/"),
			files: map[string]string{"code/demo.go": code},
			want:  "missing.go",
		},
		{
			name: "a .play whose file does not exist is rejected",
			deck: deck(".play code/missing.go"),
			want: "missing.go",
		},
		{
			name:  "a .code whose START marker is missing from the file is rejected",
			deck:  deck(".code code/demo.go /START GONE OMIT/,/END SHOWN OMIT/"),
			files: map[string]string{"code/demo.go": code},
			want:  "no match for START GONE OMIT",
		},
		{
			name:  "a .code whose END marker is missing from the file is rejected",
			deck:  deck(".code code/demo.go /START SHOWN OMIT/,/END GONE OMIT/"),
			files: map[string]string{"code/demo.go": code},
			want:  "no match for END GONE OMIT",
		},
		{
			name:  "a .code whose region holds no code is rejected",
			deck:  deck(".code code/demo.go /START EMPTY OMIT/,/END EMPTY OMIT/"),
			files: map[string]string{"code/demo.go": code},
			want:  "shows no code",
		},
		{
			name: "an .html whose file does not exist is rejected",
			deck: deck(".html missing.html"),
			want: "missing.html",
		},
		{
			name: "an .image whose file does not exist is rejected",
			deck: deck(".image img/missing.png"),
			want: "img/missing.png",
		},
		{
			name: "an .image outside the deck's folder is rejected",
			deck: deck(".image ../gopher.png"),
			want: "outside the deck's folder",
		},
		{
			name: "a .background whose file does not exist is rejected",
			deck: deck(".background img/missing.png"),
			want: ".background \"img/missing.png\"",
		},
		{
			name: "an .iframe on a local file that does not exist is rejected",
			deck: deck(".iframe frame.html 300 400"),
			want: "frame.html",
		},
		{
			name: "an .image on a remote URL is not checked",
			deck: deck(".image https://go.dev/images/gophers/ladder.svg"),
		},
		{
			name:  "an unknown command is rejected",
			deck:  deck(".cod code/demo.go"),
			files: map[string]string{"code/demo.go": code},
			want:  `unknown command ".cod code/demo.go"`,
		},
		{
			name: "a slide without speaker notes is rejected",
			deck: "# Demo\n\n: title notes\n\n## Silent slide\n\nText.\n",
			want: `slide 2 ("Silent slide") has no speaker notes`,
		},
		{
			name: "a title slide without speaker notes is rejected",
			deck: "# Demo\n\n## Slide one\n\nText.\n\n: slide notes\n",
			want: "the title slide has no speaker notes",
		},
		{
			name: "speaker notes only in a subsection are rejected, since present never shows them",
			deck: "# Demo\n\n: title notes\n\n## Slide one\n\n### Part\n\nText.\n\n: hidden notes\n",
			want: "present never shows",
		},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
