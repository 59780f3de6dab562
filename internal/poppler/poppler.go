// Package poppler lets tests read PDFs back with Debian's poppler-utils
// (pdftotext, pdfinfo, pdffonts, pdftoppm), so that a test checks the PDF
// a resident or a reviewer gets, not the code that made it. It is for
// tests only.
//
// A test that needs a program it cannot find is skipped, saying which
// and how to install it, unless REDRESS_REQUIRE_POPPLER=1, which CI sets
// so that a failed install fails the run instead of passing it with the
// checks skipped.
package poppler

import (
	"bytes"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Need skips (or, in CI, fails) the test unless every program is found.
func Need(t testing.TB, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("REDRESS_REQUIRE_POPPLER") == "1" {
				t.Fatalf("%s not found, and REDRESS_REQUIRE_POPPLER=1: the PDF checks must run", p)
			}
			t.Skipf("%s not found: install Debian's poppler-utils package to run the PDF checks", p)
		}
	}
}

// Write saves a PDF in the test's temporary directory and returns its path.
func Write(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Run runs a poppler program and returns its standard output.
func Run(t testing.TB, prog string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(prog, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// Text is the text of the whole PDF with white space collapsed, so text
// wrapped onto several lines compares equal to the text before wrapping.
// It needs pdftotext (see Need).
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	Need(t, "pdftotext")
	return Squash(Run(t, "pdftotext", "-enc", "UTF-8", Write(t, pdf), "-"))
}

// Squash collapses all white space to single spaces.
func Squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// Word is one word of pdftotext -bbox output, in points from the top left.
type Word struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

var bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// Words returns the words on page 1 of the PDF at path, with their boxes.
func Words(t testing.TB, path string) []Word {
	t.Helper()
	var out []Word
	for _, m := range bboxWord.FindAllStringSubmatch(Run(t, "pdftotext", "-bbox", "-enc", "UTF-8", "-f", "1", "-l", "1", path, "-"), -1) {
		w := Word{Text: html.UnescapeString(m[5])}
		for i, f := range []*float64{&w.XMin, &w.YMin, &w.XMax, &w.YMax} {
			*f, _ = strconv.ParseFloat(m[i+1], 64)
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		t.Fatal("pdftotext -bbox found no words on page 1")
	}
	return out
}

// MM converts millimetres to PDF points.
func MM(x float64) float64 { return x * 72 / 25.4 }
