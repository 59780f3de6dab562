package letters

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/poppler"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/pdfdoc"
)

func TestTheSameDraftRendersTheSameBytes(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.stage2Responded()
	a := f.draft(Stage2Response, c, "2027-02-03")
	b := f.draft(Stage2Response, c, "2027-02-03")
	if a.Body != b.Body {
		t.Fatal("two drafts of the same letter differ")
	}
	pa, err := Render(a, letterhead)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := Render(b, letterhead)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa, pb) {
		t.Error("the same letter rendered to different bytes")
	}
	// The date is the letter's, not the clock's.
	later := a
	later.Date = day("2027-02-04")
	pl, err := Render(later, letterhead)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(pa, pl) {
		t.Error("letters of different dates rendered to the same bytes")
	}
}

// TestLargePrintAdjustmentPrintsLargerText renders the same letter for a
// case with and without a large print adjustment and measures the words
// with poppler.
func TestLargePrintAdjustmentPrintsLargerText(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged()
	normal := f.draft(Acknowledgement, c, "2026-12-23")
	c.Adjustments = []string{"Large print letters (18 point)"}
	large := f.draft(Acknowledgement, c, "2026-12-23")
	if normal.LargePrint || !large.LargePrint {
		t.Fatalf("large print: %v without the adjustment, %v with it", normal.LargePrint, large.LargePrint)
	}
	poppler.Need(t, "pdftotext")
	height := func(l Letter) map[string]float64 {
		b, err := Render(l, letterhead)
		if err != nil {
			t.Fatal(err)
		}
		h := map[string]float64{}
		for _, w := range poppler.Words(t, poppler.Write(t, b)) {
			h[w.Text] = max(h[w.Text], w.YMax-w.YMin)
		}
		return h
	}
	n, l := height(normal), height(large)
	// "Thank" is body text, "Page" the footer and "Riverside" (at its
	// largest) the letterhead's name.
	for _, w := range []string{"Thank", "Page", "Riverside"} {
		if n[w] == 0 || l[w] == 0 {
			t.Errorf("%q not found on page 1 (normal %.1f pt, large %.1f pt)", w, n[w], l[w])
			continue
		}
		if l[w] < n[w]*1.25 {
			t.Errorf("%q is %.1f pt tall in large print and %.1f pt in normal print; want at least 25%% taller", w, l[w], n[w])
		}
	}
	if l["Thank"] < 16 {
		t.Errorf("large print body text is %.1f pt tall, want at least 16", l["Thank"])
	}
}

// TestAddressShowsThroughTheEnvelopeWindow finds the recipient's address
// on the page and checks it is inside the window of a DL envelope.
func TestAddressShowsThroughTheEnvelopeWindow(t *testing.T) {
	poppler.Need(t, "pdftotext")
	f := newFixture(t, "code-2024")
	l := f.draft(Acknowledgement, f.acknowledged(), "2026-12-23")
	b, err := Render(l, letterhead)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, w := range poppler.Words(t, poppler.Write(t, b)) {
		if w.Text != "Primrose" && w.Text != "ZZ1" && w.Text != "Margaret" {
			continue
		}
		if w.YMin > poppler.MM(pdfdoc.WindowTop+pdfdoc.WindowHeight) || w.XMin > poppler.MM(pdfdoc.WindowLeft+pdfdoc.WindowWidth) {
			continue // the same word in the body or the letterhead
		}
		found++
		if w.XMin < poppler.MM(pdfdoc.WindowLeft) || w.XMax > poppler.MM(pdfdoc.WindowLeft+pdfdoc.WindowWidth) ||
			w.YMin < poppler.MM(pdfdoc.WindowTop) || w.YMax > poppler.MM(pdfdoc.WindowTop+pdfdoc.WindowHeight) {
			t.Errorf("%q at (%.0f, %.0f)-(%.0f, %.0f) pt is outside the envelope window", w.Text, w.XMin, w.YMin, w.XMax, w.YMax)
		}
	}
	if found != 3 {
		t.Errorf("found %d of the 3 address words above the body", found)
	}
}

func TestRenderLaysTheMarkupOut(t *testing.T) {
	got := parseMarkup("Dear Ada,\n\n# Our decision\n\n## Point 1\nUpheld.\nWith reasons.\n- one\n  carried on\n* two\n\n#nohashtag\n")
	want := []block{
		{text: "Dear Ada,"},
		{heading: 1, text: "Our decision"},
		{heading: 2, text: "Point 1"},
		{text: "Upheld.\nWith reasons."},
		{items: []string{"one\ncarried on", "two"}},
		{text: "#nohashtag"},
	}
	if len(got) != len(want) {
		t.Fatalf("parseMarkup = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].heading != want[i].heading || got[i].text != want[i].text || strings.Join(got[i].items, "|") != strings.Join(want[i].items, "|") {
			t.Errorf("block %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestRenderRefusesALetterWithNoDate(t *testing.T) {
	f := newFixture(t, "code-2024")
	l := f.draft(Acknowledgement, f.acknowledged(), "2026-12-23")
	l.Date = calendar.Date{}
	if _, err := Render(l, letterhead); err == nil {
		t.Error("Render accepted a letter with no date")
	}
}

func TestLetterheadIsCheckedWhenSaved(t *testing.T) {
	var logo bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	good := letterhead
	good.Logo = logo.Bytes()
	if err := good.Validate(); err != nil {
		t.Errorf("a letterhead with a PNG logo: %v", err)
	}
	bad := letterhead
	bad.Logo = logo.Bytes()[:40]
	err := bad.Validate()
	if complaint.ErrorCode(err) != complaint.Invalid || !strings.Contains(err.Error(), "logo") {
		t.Errorf("a truncated logo: error %v, want an invalid-input error about the logo", err)
	}
}
