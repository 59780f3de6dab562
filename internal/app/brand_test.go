package app

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// brandClient is a cookie-keeping client that does not follow redirects.
func brandClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// brandGet fetches path and returns its status, headers and body.
func brandGet(t *testing.T, c *http.Client, base, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// TestTheLetterheadBrandsTheStaffAndResidentsPages starts the whole app
// with a service name and no letterhead, then has an admin save a
// letterhead with a logo through the letterhead page: before, the staff
// pages' header, the residents' pages' header and the public summary
// show the service name and no logo; straight after, all three show the
// letterhead's name and its logo, whose alternative text is the name,
// served from a cacheable address.
func TestTheLetterheadBrandsTheStaffAndResidentsPages(t *testing.T) {
	ctx := context.Background()
	a, err := New(ctx, Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), ServiceName: "Vale Complaints"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	u, err := a.Store.CreateUser(ctx, store.User{Email: "admin@example.org", Name: "Ann Admin", Role: string(auth.Admin)})
	if err != nil {
		t.Fatal(err)
	}
	const password = "correct horse battery staple 42"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SetPassword(ctx, u.ID, hash, false); err != nil {
		t.Fatal(err)
	}
	base := serve(t, a)
	staff, resident := brandClient(t), brandClient(t)
	resp, err := staff.PostForm(base+"/sign-in", url.Values{"email": {u.Email}, "password": {password}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in: %d", resp.StatusCode)
	}

	// header is the page's service navigation: the header's name and logo.
	header := func(body string) string {
		_, after, ok := strings.Cut(body, `class="govuk-service-navigation__service-name"`)
		if !ok {
			t.Fatalf("no service name in the page:\n%.500s", body)
		}
		before, _, _ := strings.Cut(after, "</span>\n")
		return before
	}
	pages := []struct {
		name string
		c    *http.Client
		path string
	}{
		{"the staff dashboard", staff, "/"},
		{"the residents' start page", resident, "/complain"},
		{"the public summary", resident, "/summary"},
	}
	for _, p := range pages {
		resp, body := brandGet(t, p.c, base, p.path)
		h := header(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(h, "Vale Complaints") || strings.Contains(h, "<img") {
			t.Errorf("before a letterhead, %s (%d) has the header %q: want the service name and no logo", p.name, resp.StatusCode, h)
		}
	}
	if resp, _ := brandGet(t, resident, base, "/brand/logo"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the logo with no letterhead: %d, want 404", resp.StatusCode)
	}

	logo := testLogo(t)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("name", "Riverside Vale Homes")
	mw.WriteField("address", "1 Quay Street\nSunderland")
	fw, err := mw.CreateFormFile("logo", "logo.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(logo)
	mw.Close()
	req, err := http.NewRequest("POST", base+"/letters/letterhead", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", base)
	resp, err = staff.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the letterhead: %d", resp.StatusCode)
	}

	var logoURL string
	for _, p := range pages {
		resp, body := brandGet(t, p.c, base, p.path)
		h := header(body)
		src := between(h, `<img src="`, `"`)
		if resp.StatusCode != http.StatusOK || !strings.Contains(h, "Riverside Vale Homes") || strings.Contains(h, "Vale Complaints") ||
			!strings.Contains(h, `alt="Riverside Vale Homes"`) || !strings.HasPrefix(src, "/brand/logo?v=") {
			t.Errorf("after the letterhead, %s (%d) has the header %q: want its name, and its logo with the name as alternative text", p.name, resp.StatusCode, h)
		}
		if logoURL == "" {
			logoURL = src
		} else if src != logoURL {
			t.Errorf("%s links the logo at %q, another page at %q", p.name, src, logoURL)
		}
	}
	if _, body := brandGet(t, resident, base, "/summary"); !strings.Contains(body, `<span class="govuk-caption-l">Riverside Vale Homes</span>`) {
		t.Error("the public summary's heading does not name the landlord")
	}
	resp, body := brandGet(t, resident, base, strings.ReplaceAll(logoURL, "&amp;", "&"))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || body != string(logo) ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("the logo, signed out: %d %q %q, %d bytes; want the saved PNG, cacheable for good", resp.StatusCode,
			resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), len(body))
	}
}

// between returns the text of s after the first from, up to to.
func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, to)
	return before
}

// testLogo is a small PNG the letterhead page accepts.
func testLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, 10, color.RGBA{0, 0x70, 0xb8, 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
