package webui_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// postMultipart posts a form with an optional file as the logo.
func (s *site) postMultipart(c *http.Client, path string, fields map[string]string, filename string, file []byte) (*http.Response, string) {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			s.t.Fatal(err)
		}
	}
	if filename != "" {
		fw, err := mw.CreateFormFile("logo", filename)
		if err != nil {
			s.t.Fatal(err)
		}
		if _, err := fw.Write(file); err != nil {
			s.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", s.srv.URL+path, &buf)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", s.srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		s.t.Fatalf("POST %s: reading the response: %v", path, err)
	}
	return resp, b.String()
}

func TestLetterheadIsCheckedThenSaved(t *testing.T) {
	s := newSite(t)
	c := s.signIn("admin")
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, 10, color.RGBA{0, 0x70, 0xb8, 0xff})
	}
	var logo bytes.Buffer
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	if logo.Len() <= 60 {
		t.Fatalf("the test logo is %d bytes, too few to cut short at 60", logo.Len())
	}
	fields := map[string]string{"name": "Riverside Vale Homes", "address": "1 River Street\nSunderland\nSR1 1AA", "contact": "0191 000 0000\ncomplaints@example.org"}

	for _, tt := range []struct {
		name     string
		fields   map[string]string
		filename string
		file     []byte
		status   int
		want     string
	}{
		{"no name", map[string]string{"address": "1 River Street"}, "", nil, http.StatusBadRequest, "Enter the landlord&#39;s name"},
		{"a text file named .png", fields, "logo.png", []byte("not an image at all"), http.StatusBadRequest, "The logo must be a PNG or JPEG image"},
		{"a PNG that is cut short", fields, "logo.png", logo.Bytes()[:60], http.StatusBadRequest, "The letterhead cannot be printed"},
		{"too big", fields, "big.png", append(append([]byte{}, logo.Bytes()...), make([]byte, 600<<10)...), http.StatusBadRequest, "smaller than 512 KB"},
	} {
		resp, body := s.postMultipart(c, "/letters/letterhead", tt.fields, tt.filename, tt.file)
		if resp.StatusCode != tt.status && !(tt.name == "too big" && resp.StatusCode == http.StatusRequestEntityTooLarge) || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want %d with %q\n%.400s", tt.name, resp.StatusCode, tt.status, tt.want, pageText(body))
		}
	}
	if _, ok, err := s.st.Letterhead(t.Context()); err != nil {
		t.Fatalf("the letterhead: %v", err)
	} else if ok {
		t.Fatal("a refused letterhead was saved")
	}
	resp, _ := s.postMultipart(c, "/letters/letterhead", fields, "logo.png", logo.Bytes())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving: %d", resp.StatusCode)
	}
	lh, ok, err := s.st.Letterhead(t.Context())
	if !ok || err != nil || lh.Name != "Riverside Vale Homes" || len(lh.Address) != 3 || !bytes.Equal(lh.Logo, logo.Bytes()) || lh.UpdatedBy != "admin@example.org" {
		t.Errorf("saved %+v, %v, %v", lh, ok, err)
	}
	_, body := s.get(c, "/letters/letterhead?saved=1")
	wantContains(t, "the letterhead page", body, "The letterhead is saved", "1 River Street\nSunderland\nSR1 1AA", "A logo is saved")
	// Saving without a file keeps the logo; ticking remove drops it.
	s.postMultipart(c, "/letters/letterhead", fields, "", nil)
	if lh, _, err := s.st.Letterhead(t.Context()); err != nil {
		t.Errorf("the letterhead: %v", err)
	} else if !bytes.Equal(lh.Logo, logo.Bytes()) {
		t.Error("saving without a file dropped the logo")
	}
	fields["remove_logo"] = "yes"
	s.postMultipart(c, "/letters/letterhead", fields, "", nil)
	if lh, _, err := s.st.Letterhead(t.Context()); err != nil {
		t.Errorf("the letterhead: %v", err)
	} else if lh.Logo != nil {
		t.Error("remove the logo kept it")
	}
}

// postRaw posts body as it is, with contentType (none if ""), from this
// site's own origin, as a signed-in browser would.
func (s *site) postRaw(c *http.Client, path, contentType, body string) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest("POST", s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Origin", s.srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		s.t.Fatalf("POST %s: reading the response: %v", path, err)
	}
	return resp, b.String()
}

// TestMalformedFormsAreRefusedWith400AndSaveNothing posts, as a signed-in
// admin from the site's own origin, bodies that no page sends: to the
// letterhead form (multipart, with a logo) and to the forms that take
// plain fields. Each is a 400 saying what is wrong, never a 500, and
// nothing is saved.
func TestMalformedFormsAreRefusedWith400AndSaveNothing(t *testing.T) {
	s := newSite(t)
	c := s.signIn("admin")
	for _, tt := range []struct {
		name, path, contentType, body, want string
	}{
		{"a urlencoded letterhead", "/letters/letterhead", "application/x-www-form-urlencoded",
			"name=Riverside+Vale+Homes&address=1+River+Street", "The form was not sent as this page sends it"},
		{"garbage with a boundary", "/letters/letterhead", "multipart/form-data; boundary=xyz",
			"\x00\xff\xfe garbage, not a form --xyz", "The form could not be read"},
		{"a part cut short", "/letters/letterhead", "multipart/form-data; boundary=xyz",
			"--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nRiverside", "The form could not be read"},
		{"multipart without a boundary", "/letters/letterhead", "multipart/form-data", "--xyz\r\n", "The form could not be read"},
		{"no Content-Type", "/letters/letterhead", "", "\x89PNG garbage", "The form was not sent as this page sends it"},
		{"an unreadable Content-Type", "/letters/letterhead", "multipart/;;;", "name=x", "The form could not be read"},
		{"a bad escape in the letterhead", "/letters/letterhead", "application/x-www-form-urlencoded", "name=%zz", "The form could not be read"},
		{"a bad escape in a new user", "/users", "application/x-www-form-urlencoded", "email=new%zz@example.org&role=officer", "The form could not be read"},
		{"a bad escape in homes", "/reports/homes", "application/x-www-form-urlencoded", "year=2026&general_needs=%", "The form could not be read"},
	} {
		resp, body := s.postRaw(c, tt.path, tt.contentType, tt.body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want 400 with %q\n%.600s", tt.name, resp.StatusCode, tt.want, pageText(body))
		}
	}
	if lh, ok, err := s.st.Letterhead(t.Context()); err != nil || ok {
		t.Errorf("a refused letterhead was saved: %+v, %v, %v", lh, ok, err)
	}
	if n, err := s.st.CountUsers(t.Context()); err != nil || n != len(s.users) {
		t.Errorf("a refused user was created: %d users, want %d (%v)", n, len(s.users), err)
	}
	// What could be read of a urlencoded letterhead is kept for the
	// person to send again.
	_, body := s.postRaw(c, "/letters/letterhead", "application/x-www-form-urlencoded", "name=Riverside+Vale+Homes")
	wantContains(t, "the refused letterhead", body, `value="Riverside Vale Homes"`)
}
