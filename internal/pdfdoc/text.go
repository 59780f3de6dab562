package pdfdoc

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// fontFamily is the name the fonts are registered under in each PDF.
const fontFamily = "go"

// fontBytes maps fpdf's style letters to the TrueType font for that style.
var fontBytes = map[string][]byte{
	"":   goregular.TTF,
	"B":  gobold.TTF,
	"I":  goitalic.TTF,
	"BI": gobolditalic.TTF,
}

// covered reports which runes of the Basic Multilingual Plane all four Go
// fonts have a glyph for. It is computed once, because parsing the fonts'
// character maps costs far more than a lookup.
//
// The check matters for more than looks: fpdf addresses glyphs by 16-bit
// code and indexes its width table by rune without a bounds check, so a rune
// outside the plane (an emoji, say) must never reach it.
var covered = sync.OnceValue(func() []bool {
	ok := make([]bool, 0x10000)
	for i := range ok {
		ok[i] = true
	}
	var buf sfnt.Buffer
	for _, ttf := range fontBytes {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			// The fonts are compiled in, so this is a broken build.
			// Covering nothing turns all text into '?', which the
			// tests notice, rather than into missing glyphs.
			return make([]bool, 0x10000)
		}
		for r := range ok {
			if !ok[r] {
				continue
			}
			if g, err := f.GlyphIndex(&buf, rune(r)); err != nil || g == 0 {
				ok[r] = false
			}
		}
	}
	return ok
})

// hasGlyph reports whether r can be drawn with the Go fonts.
func hasGlyph(r rune) bool {
	return r >= 0 && r < 0x10000 && covered()[r]
}

// cleanText makes s safe to draw: it keeps line breaks (normalised to
// "\n"), turns tabs into spaces, collapses runs of spaces, trims spaces at
// the ends of lines, drops control and invisible formatting characters, and
// replaces invalid UTF-8 and characters the fonts lack with U+FFFD. Without
// this, fpdf would draw missing glyphs as blanks, so a resident's name could
// silently lose a letter.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	lineStart := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			r = unicode.ReplacementChar
		}
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue
			}
			r = '\n'
		}
		switch {
		case r == '\n':
			b.WriteByte('\n')
			space, lineStart = false, true
			continue
		case unicode.IsSpace(r):
			// Tabs and other Unicode spaces (no-break, en, thin) become
			// plain spaces: spacing is for typesetting, which this
			// package does itself, and fpdf breaks lines at any of them.
			if !lineStart {
				space = true
			}
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Controls and invisible formatting (zero-width space, soft
			// hyphen, byte-order mark) would print as boxes or stray
			// hyphens.
			continue
		case !hasGlyph(r):
			r = unicode.ReplacementChar
			if !hasGlyph(r) {
				r = '?'
			}
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		lineStart = false
	}
	return b.String()
}

// cleanLine is cleanText for text that must fit on one line, such as a
// heading or the running header: line breaks become spaces.
func cleanLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// paragraphs splits cleaned text into paragraphs at blank lines, dropping
// empty ones.
func paragraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(cleanText(s), "\n\n") {
		if p = strings.Trim(p, "\n"); p != "" {
			out = append(out, p)
		}
	}
	return out
}
