package httpapi

import (
	"bytes"
	"context"
	"mime/multipart"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// Issue 16, items 2 and 3, over HTTP: staff correct the complaint
// definition, supersede an earlier stage's remedy, correct the
// description and representative, and mark read what the resident sent.
// Each command succeeds for an officer; invalid input is a 400 naming
// the field; a rule that forbids it is a 409; a viewer gets a 403; and
// nothing refused changes the case.

// correctionsAPI is the API with an officer (olive, who handles stage
// 1), a manager (rita, who reviews stage 2) and a viewer (vic).
func correctionsAPI(t *testing.T) *api {
	a := newAPI(t, "code-2024", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("rita", "manager")
	a.user("vic", "viewer")
	return a
}

// ackedCase logs the standard complaint and acknowledges it with two
// points, as olive.
func (a *api) ackedCase() string {
	a.t.Helper()
	ref := getString(a.t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z")).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{
		"at": "2026-12-22T10:00:00Z", "points": []string{"The roof leaks", "Nobody called back"}})
	return ref
}

// stage2Case is ackedCase answered at stage 1 with compensation (remedy
// 1) and an action (remedy 2), escalated, and acknowledged at stage 2 by
// rita.
func (a *api) stage2Case() string {
	a.t.Helper()
	ref := a.ackedCase()
	a.respondAndSend("olive", ref, map[string]any{
		"at": "2027-01-05T16:00:00Z",
		"decisions": []map[string]any{
			{"point": 1, "outcome": "upheld", "reasons": "The repairs failed."},
			{"point": 2, "outcome": "upheld", "reasons": "No call was made."},
		},
		"remedies": []map[string]any{
			{"kind": "compensation", "description": "For the trouble", "amount_pence": 5000},
			{"kind": "action", "description": "Replace the flashing", "owner": "Repairs team", "due": "2027-02-12"},
		},
	}, "2027-01-05T16:30:00Z")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/escalate", map[string]any{"at": "2027-01-11T10:00:00Z"})
	a.must(200, "rita", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"at": "2027-01-13T10:00:00Z", "points": []string{"The offer was too low"}})
	return ref
}

// unreadCase is ackedCase with information the resident sent by email,
// recorded as the inbound mail does, which the API has no route for.
func (a *api) unreadCase() string {
	a.t.Helper()
	ref := a.ackedCase()
	p, cal := policytest.Code(a.t)
	at := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	info := complaint.AddInformation{Source: "email", From: "ada@example.org", Text: "It leaked again last night."}
	if _, _, err := a.st.AddInformation(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, info, complaint.Env{Now: a.clock.now(), At: at, Actor: complaint.Actor{Email: "ada@example.org"}, Policy: p, Calendar: cal, NewReference: nr})
	}, nil); err != nil {
		a.t.Fatal(err)
	}
	return ref
}

func TestCorrectionCommandsOverHTTP(t *testing.T) {
	a := correctionsAPI(t)
	type setup func() string
	acked, stage2, unread := a.ackedCase, a.stage2Case, a.unreadCase
	tests := []struct {
		name   string
		setup  setup
		who    string
		path   string // after /api/v1/cases/{ref}
		body   any
		status int
		field  string // the field a 400 names
		check  func(t *testing.T, c map[string]any)
	}{
		{name: "a point is added and another reworded", setup: acked, who: "olive", path: "/definition", status: 200,
			body: map[string]any{"add": []string{"The boiler fails too"}, "reword": []map[string]any{{"point": 2, "text": "Nobody called back as promised"}}, "reason": "The resident called", "no_unreasonable_delay": true},
			check: func(t *testing.T, c map[string]any) {
				if got := getList(t, c, "stages", 0, "points"); len(got) != 3 || got[1] != "Nobody called back as promised" || got[2] != "The boiler fails too" {
					t.Errorf("points after the amendment: %v", got)
				}
			}},
		{name: "a point is withdrawn and kept for the record", setup: acked, who: "olive", path: "/definition", status: 200,
			body: map[string]any{"withdraw": []int{1}, "reason": "Recorded in error"},
			check: func(t *testing.T, c map[string]any) {
				if get(c, "stages", 0, "withdrawn_points", 0, "text") != "The roof leaks" || len(getList(t, c, "stages", 0, "points")) != 1 {
					t.Errorf("stage after withdrawing point 1: %v", get(c, "stages", 0))
				}
			}},
		{name: "an amendment names a point there is not", setup: acked, who: "olive", path: "/definition", status: 400, field: "withdraw[0]",
			body: map[string]any{"withdraw": []int{5}, "reason": "x"}},
		{name: "an amendment needs its reason", setup: acked, who: "olive", path: "/definition", status: 400, field: "reason",
			body: map[string]any{"add": []string{"x"}, "no_unreasonable_delay": true}},
		{name: "the definition before an amendment is never given", setup: acked, who: "olive", path: "/definition", status: 400, field: "before",
			body: map[string]any{"add": []string{"x"}, "reason": "r", "before": map[string]any{"points": []string{"y"}}}},
		{name: "a viewer may not amend the definition", setup: acked, who: "vic", path: "/definition", status: 403,
			body: map[string]any{"add": []string{"x"}, "reason": "r"}},

		{name: "stage 2 supersedes stage 1's action", setup: stage2, who: "rita", path: "/remedies/2/supersede", status: 200,
			body: map[string]any{"reason": "Fixed under the insurance claim"},
			check: func(t *testing.T, c map[string]any) {
				if get(c, "remedies", 1, "superseded_at") == nil || get(c, "remedies", 1, "supersede_reason") != "Fixed under the insurance claim" || get(c, "remedies", 0, "superseded_at") != nil {
					t.Errorf("remedies after superseding 2: %v", get(c, "remedies"))
				}
			}},
		{name: "superseding needs a reason", setup: stage2, who: "rita", path: "/remedies/1/supersede", status: 400, field: "reason",
			body: map[string]any{"reason": " "}},
		{name: "superseding names a replacement that is a remedy", setup: stage2, who: "rita", path: "/remedies/1/supersede", status: 400, field: "replaced_by",
			body: map[string]any{"reason": "Too low", "replaced_by": 9}},
		{name: "superseding takes no other field", setup: stage2, who: "rita", path: "/remedies/1/supersede", status: 400, field: "after",
			body: map[string]any{"reason": "Too low", "after": map[string]any{}}},
		{name: "whoever acted on stage 1 may not supersede at stage 2", setup: stage2, who: "olive", path: "/remedies/1/supersede", status: 409,
			body: map[string]any{"reason": "Too low"}},
		{name: "a viewer may not supersede a remedy", setup: stage2, who: "vic", path: "/remedies/1/supersede", status: 403,
			body: map[string]any{"reason": "Too low"}},

		{name: "what the resident sent is marked read", setup: unread, who: "olive", path: "/mark-read", status: 200, body: map[string]any{},
			check: func(t *testing.T, c map[string]any) {
				if v, ok := c["unread_from_resident"]; ok {
					t.Errorf("unread_from_resident after marking read: %v", v)
				}
			}},
		{name: "when it arrived is never given", setup: unread, who: "olive", path: "/mark-read", status: 400, field: "since",
			body: map[string]any{"since": "2027-01-01T00:00:00Z"}},
		{name: "nothing unread is a conflict", setup: acked, who: "olive", path: "/mark-read", status: 409, body: map[string]any{}},
		{name: "a viewer may not mark it read", setup: unread, who: "vic", path: "/mark-read", status: 403, body: map[string]any{}},

		{name: "the description is corrected", setup: acked, who: "olive", path: "/details", status: 200,
			body: map[string]any{"description": "Water comes through the back bedroom ceiling.", "reason": "The resident put it right"},
			check: func(t *testing.T, c map[string]any) {
				if c["description"] != "Water comes through the back bedroom ceiling." {
					t.Errorf("description %v", c["description"])
				}
			}},
		{name: "a representative is named", setup: acked, who: "olive", path: "/details", status: 200,
			body: map[string]any{"representative": map[string]any{"name": "Cllr Byron", "relationship": "Councillor", "consent_recorded": true}},
			check: func(t *testing.T, c map[string]any) {
				if get(c, "representative", "name") != "Cllr Byron" || get(c, "representative", "consent_recorded") != true {
					t.Errorf("representative %v", c["representative"])
				}
			}},
		{name: "a representative needs a name", setup: acked, who: "olive", path: "/details", status: 400, field: "representative.name",
			body: map[string]any{"representative": map[string]any{"relationship": "Son"}}},
		{name: "a description holds no control characters", setup: acked, who: "olive", path: "/details", status: 400, field: "description",
			body: map[string]any{"description": "Damp\u0000"}},
		{name: "a viewer may not correct the description", setup: acked, who: "vic", path: "/details", status: 403,
			body: map[string]any{"description": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := tt.setup()
			before := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
			r := a.call(tt.who, "POST", "/api/v1/cases/"+ref+tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tt.status, r.raw)
			}
			after := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
			if tt.status != 200 {
				if tt.field != "" && get(r.body, "error", "fields", tt.field) == nil {
					t.Errorf("400 does not name %s: %s", tt.field, r.raw)
				}
				if after.raw != before.raw {
					t.Errorf("a refused command changed the case:\nbefore %s\nafter  %s", before.raw, after.raw)
				}
				return
			}
			if got := after.header.Get("ETag"); got == before.header.Get("ETag") {
				t.Errorf("the case's version did not move: %s", got)
			}
			tt.check(t, r.body)
		})
	}
	if rep, err := a.st.VerifyAudit(context.Background()); err != nil || !rep.OK {
		t.Errorf("the audit after the corrections: %+v, %v", rep, err)
	}
}

// upload posts a multipart form of files (name to content) and fields
// as who.
func (a *api) upload(who, ref string, files map[string][]byte, fields map[string]string) reply {
	a.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for name, data := range files {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			a.t.Fatal(err)
		}
		fw.Write(data)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return a.call(who, "POST", "/api/v1/cases/"+ref+"/files", b.String(), "Content-Type", mw.FormDataContentType())
}

func TestStaffUploadFilesCheckedAsTheResidentsAre(t *testing.T) {
	a := correctionsAPI(t)
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 64)...)
	tests := []struct {
		name   string
		who    string
		files  map[string][]byte
		fields map[string]string
		json   bool // send a JSON body instead
		status int
		field  string
	}{
		{name: "a scanned letter is added with what it is", who: "olive", files: map[string][]byte{"letter.pdf": pdf}, fields: map[string]string{"text": "The resident's letter of 2 January"}, status: 200},
		{name: "a program is refused whatever its name", who: "olive", files: map[string][]byte{"photo.jpg": exe}, status: 400, field: "files"},
		{name: "a file over the limit is refused", who: "olive", files: map[string][]byte{"big.txt": bytes.Repeat([]byte("a"), 10<<20+1)}, status: 400, field: "files"},
		{name: "an upload needs a file", who: "olive", fields: map[string]string{"text": "nothing attached"}, status: 400, field: "files"},
		{name: "an upload takes no other field", who: "olive", files: map[string][]byte{"letter.pdf": pdf}, fields: map[string]string{"note": "x"}, status: 400, field: "note"},
		{name: "an upload is a form, not JSON", who: "olive", json: true, status: 400, field: "body"},
		{name: "a viewer may not add files", who: "vic", files: map[string][]byte{"letter.pdf": pdf}, status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := a.ackedCase()
			before := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
			var r reply
			if tt.json {
				r = a.call(tt.who, "POST", "/api/v1/cases/"+ref+"/files", map[string]any{"text": "x"})
			} else {
				r = a.upload(tt.who, ref, tt.files, tt.fields)
			}
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%.500s", r.status, tt.status, r.raw)
			}
			after := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
			files, err := a.st.Attachments(context.Background(), ref)
			if err != nil {
				t.Fatal(err)
			}
			if tt.status != 200 {
				if tt.field != "" && get(r.body, "error", "fields", tt.field) == nil {
					t.Errorf("400 does not name %s: %.500s", tt.field, r.raw)
				}
				if after.raw != before.raw || len(files) != 0 {
					t.Errorf("a refused upload changed the case or stored %d files", len(files))
				}
				return
			}
			evs := getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil).body, "events")
			last := evs[len(evs)-1]
			if get(last, "kind") != "information_added" || get(last, "data", "source") != "staff" || get(last, "actor") != "olive@example.org" ||
				get(last, "data", "attachments", 0, "name") != "letter.pdf" || get(last, "data", "text") != tt.fields["text"] {
				t.Errorf("the upload recorded %v", last)
			}
			if len(files) != 1 || files[0].SHA256 != get(last, "data", "attachments", 0, "sha256") || files[0].Source != "staff" || files[0].AddedBy != "olive@example.org" {
				t.Errorf("stored files: %+v", files)
			} else if f, err := a.st.Attachment(context.Background(), ref, files[0].ID); err != nil || !bytes.Equal(f.Data, pdf) {
				t.Errorf("the file stored is not the file sent: %v", err)
			}
			if _, ok := r.body["unread_from_resident"]; ok {
				t.Errorf("staff's own files tagged the case new from resident")
			}
		})
	}
	if rep, err := a.st.VerifyAudit(context.Background()); err != nil || !rep.OK {
		t.Errorf("the audit after the uploads: %+v, %v", rep, err)
	}
}
