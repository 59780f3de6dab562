package webui_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
)

// Files sent with a case are listed on it and downloaded, as sent, by
// those who may see the case, and by nobody else.
func TestFilesAreDownloadedOnlyByThoseWhoMaySeeTheCase(t *testing.T) {
	s := newSite(t)
	secret := s.newCase("officer", "About a member of staff", true)
	f, err := attach.Check(`mould "bathroom".jpg`, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00 a photo"))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatalf("the policy's calendar: %v", err)
	}
	cw := &casework.Service{Store: s.st, Policy: s.p, Calendar: cal, Now: func() time.Time { return s.now }}
	if _, err := cw.Receive(context.Background(), complaint.Actor{Email: "ada@example.org", Role: "resident"}, secret, s.now,
		complaint.AddInformation{Source: "email", From: "ada@example.org", Text: "A photo"}, []attach.File{f}); err != nil {
		t.Fatal(err)
	}
	files, err := s.st.Attachments(context.Background(), secret)
	if err != nil || len(files) != 1 {
		t.Fatalf("files: %+v, %v", files, err)
	}
	path := "/cases/" + secret + "/attachments/" + strconv.FormatInt(files[0].ID, 10)
	for role, sees := range map[string]bool{"officer": true, "manager": true, "reviewer": false, "viewer": false} {
		c := s.signIn(role)
		resp, body := s.get(c, path)
		switch {
		case sees && (resp.StatusCode != http.StatusOK || body != string(f.Data) || resp.Header.Get("Content-Type") != "image/jpeg" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;")):
			t.Errorf("%s: %d %q %q", role, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		case !sees && resp.StatusCode != http.StatusNotFound:
			t.Errorf("%s downloaded a confidential case's file: %d", role, resp.StatusCode)
		}
	}
	_, page := s.get(s.signIn("officer"), "/cases/"+secret)
	wantContains(t, "the case page", pageText(page), `Files sent with the case`, `mould bathroom.jpg`)
	if resp, _ := s.get(s.signIn("officer"), "/cases/"+secret+"/attachments/99"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown file: %d", resp.StatusCode)
	}
}
