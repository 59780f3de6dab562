package letters

import "strings"

// block is one piece of a letter's body, as the markup marks it out.
//
// The markup is deliberately tiny, because officers type it: a line
// starting "# " is a heading ("## " a smaller one), a line starting "- "
// (or "* " or "• ") is a bullet, a blank line ends a paragraph or a list,
// and a line break inside a paragraph is kept, for sign-offs and addresses.
// A line after a bullet with no blank line between continues the bullet.
// Nothing else is special, so text pasted from a case cannot turn into
// anything but text, short of starting a line with one of the markers.
type block struct {
	heading int // 1 or 2 for a heading, 0 otherwise
	text    string
	items   []string
}

// parseMarkup splits a body into blocks.
func parseMarkup(body string) []block {
	var out []block
	var para, items []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, block{text: strings.Join(para, "\n")})
			para = nil
		}
		if len(items) > 0 {
			out = append(out, block{items: items})
			items = nil
		}
	}
	for line := range strings.SplitSeq(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		if level, text, ok := headingLine(line); ok {
			flush()
			out = append(out, block{heading: level, text: text})
			continue
		}
		if item, ok := bulletLine(line); ok {
			if len(para) > 0 {
				flush()
			}
			items = append(items, item)
			continue
		}
		if len(items) > 0 {
			items[len(items)-1] += "\n" + line
			continue
		}
		para = append(para, line)
	}
	flush()
	return out
}

func headingLine(line string) (int, string, bool) {
	for level, marker := range []string{"# ", "## "} {
		if text, ok := strings.CutPrefix(line, marker); ok && strings.TrimSpace(text) != "" {
			return level + 1, strings.TrimSpace(text), true
		}
	}
	return 0, "", false
}

func bulletLine(line string) (string, bool) {
	for _, marker := range []string{"- ", "* ", "• "} {
		if item, ok := strings.CutPrefix(line, marker); ok && strings.TrimSpace(item) != "" {
			return strings.TrimSpace(item), true
		}
	}
	return "", false
}

// plainText is the body as a reader sees it, markers removed, one block or
// item to a line.
func plainText(body string) string {
	var b strings.Builder
	for _, bl := range parseMarkup(body) {
		if len(bl.items) > 0 {
			for _, it := range bl.items {
				b.WriteString(it + "\n")
			}
			continue
		}
		b.WriteString(bl.text + "\n")
	}
	return b.String()
}

// folder makes text comparable the way a reader compares it: case,
// spacing, line breaks, curly quotes and dashes do not matter.
var folder = strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`, "–", "-", "—", "-", "\u00a0", " ")

func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(folder.Replace(s))), " ")
}

// Block is one piece of a letter's body as the markup marks it out: a
// heading (level 1 or 2), a paragraph, or a list of items.
type Block struct {
	Heading int
	Text    string
	Items   []string
}

// Blocks reads a body's markup the way Render lays it out, so a page can
// preview a draft as it will print.
func Blocks(body string) []Block {
	bs := parseMarkup(body)
	out := make([]Block, len(bs))
	for i, b := range bs {
		out[i] = Block{Heading: b.heading, Text: b.text, Items: b.items}
	}
	return out
}
