package webui_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
)

// With a letterhead and its logo, the header of the residents' pages,
// the public summary and the staff pages shows the logo, loaded from its
// own address, with the landlord's name as its alternative text, and
// every page still passes axe.
func TestTheBrandedHeaderShowsTheLogoAndPassesAxe(t *testing.T) {
	tb := newTab(t)
	img := image.NewRGBA(image.Rect(0, 0, 120, 32))
	for x := range 120 {
		for y := range 32 {
			img.Set(x, y, color.RGBA{0, 0x70, 0xb8, 0xff})
		}
	}
	var logo bytes.Buffer
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	// Saved before any page is served, so the first page reads it.
	if err := tb.app.Store.SetLetterhead(context.Background(), store.Letterhead{Name: "Riverside Vale Homes",
		Address: []string{"1 Quay Street"}, Logo: logo.Bytes(), UpdatedBy: "adam.admin@riversidevale.example", UpdatedAt: clock.Wall()}); err != nil {
		t.Fatal(err)
	}
	logoShown := func(page string) {
		t.Helper()
		alt := browsertest.Eval[string](tb.Tab, `(() => { const i = document.querySelector(".govuk-service-navigation__service-name img"); return i && i.complete && i.naturalWidth === 120 ? i.alt : ""; })()`)
		if alt != "Riverside Vale Homes" {
			t.Errorf("%s: the header's logo is not loaded with the landlord's name as its alternative text (got %q)", page, alt)
		}
	}
	tb.WantStatus("the residents' start page", tb.Open("/complain"), 200)
	logoShown("the residents' start page")
	tb.Look("brand-complain")
	tb.WantStatus("the public summary", tb.Open("/summary"), 200)
	logoShown("the public summary")
	tb.Look("brand-summary")
	tb.WantStatus("sign-in", tb.Open("/sign-in"), 200)
	tb.WantStatus("sign in as the admin", tb.signIn("admin"), 200)
	logoShown("the dashboard")
	tb.Look("brand-dashboard")
}
