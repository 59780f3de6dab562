package sqldb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func draftFile(name, data string) store.DraftFile {
	return store.DraftFile{Name: name, ContentType: "text/plain", Data: []byte(data), SHA256: hashOf(data)}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := complaint.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %s), want code %s", what, err, got, code)
	}
}

var draftNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newDraft(t *testing.T, db *DB, id string) string {
	t.Helper()
	h := hashOf(id)
	if err := db.CreateDraft(context.Background(), store.Draft{IDHash: h, CreatedAt: draftNow, ExpiresAt: draftNow.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestDraftKeepsAnswersAndFilesUntilItExpires(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	h := newDraft(t, db, "draft one")

	d, err := db.Draft(ctx, h, draftNow)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Answers) != "{}" || d.CaseRef != "" || len(d.Files) != 0 || !d.ExpiresAt.Equal(draftNow.Add(24*time.Hour)) {
		t.Fatalf("new draft: %+v", d)
	}
	later := draftNow.Add(time.Hour)
	if err := db.SaveDraft(ctx, h, []byte(`{"kind":"unhappy"}`), later, later.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	files, err := db.AddDraftFiles(ctx, h, []store.DraftFile{draftFile("a.txt", "first"), draftFile("b.txt", "second file")}, later, 10, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].ID == 0 || files[1].Size != 11 || files[0].Data != nil {
		t.Fatalf("added files: %+v", files)
	}
	if err := db.RemoveDraftFile(ctx, h, files[0].ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "remove a file twice", db.RemoveDraftFile(ctx, h, files[0].ID), complaint.NotFound)

	d, err = db.Draft(ctx, h, later)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Answers) != `{"kind":"unhappy"}` || len(d.Files) != 1 || d.Files[0].Name != "b.txt" || d.Files[0].Data != nil {
		t.Fatalf("saved draft: %+v", d)
	}
	data, err := db.DraftFileData(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != 1 || string(data[0].Data) != "second file" || data[0].SHA256 != hashOf("second file") {
		t.Fatalf("file data: %+v", data)
	}

	// Saving moved the expiry: alive just before it, gone at it.
	expiry := later.Add(24 * time.Hour)
	if _, err := db.Draft(ctx, h, expiry.Add(-time.Second)); err != nil {
		t.Fatalf("draft before its expiry: %v", err)
	}
	_, err = db.Draft(ctx, h, expiry)
	wantCode(t, "expired draft", err, complaint.NotFound)
	wantCode(t, "save an expired draft", db.SaveDraft(ctx, h, []byte(`{}`), expiry, expiry.Add(time.Hour)), complaint.NotFound)
	_, err = db.Draft(ctx, hashOf("no such draft"), draftNow)
	wantCode(t, "unknown draft", err, complaint.NotFound)
}

func TestDraftFilesOverTheLimitsAreRefusedWhole(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	h := newDraft(t, db, "limits")
	if _, err := db.AddDraftFiles(ctx, h, []store.DraftFile{draftFile("a.txt", "12345")}, draftNow, 2, 10); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files []store.DraftFile
	}{
		{"too many", []store.DraftFile{draftFile("b.txt", "1"), draftFile("c.txt", "2")}},
		{"too large", []store.DraftFile{draftFile("b.txt", "123456")}},
		{"hash does not match", []store.DraftFile{{Name: "x.txt", Data: []byte("x"), SHA256: hashOf("y")}}},
		{"empty", []store.DraftFile{{Name: "x.txt", SHA256: hashOf("")}}},
	}
	for _, tt := range tests {
		_, err := db.AddDraftFiles(ctx, h, tt.files, draftNow, 2, 10)
		wantCode(t, tt.name, err, complaint.Invalid)
	}
	d, err := db.Draft(ctx, h, draftNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 1 {
		t.Errorf("refused uploads changed the draft: %d files", len(d.Files))
	}
}

func TestSubmitDraftCreatesOneCase(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	h := newDraft(t, db, "submit")
	p, cal := policytest.Code(t)
	decide := func(summary string) func(store.NewReference) (complaint.Case, complaint.Event, error) {
		return func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "web",
				Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: summary},
				complaint.Env{Now: draftNow, Actor: complaint.Actor{Email: "resident (web form)", Role: "resident"}, Policy: p, Calendar: cal, NewReference: ref})
		}
	}

	// A case the rules refuse changes nothing: the draft stays unsent.
	_, err := db.SubmitDraft(ctx, h, draftNow, decide(""))
	wantCode(t, "submit an invalid case", err, complaint.Invalid)
	if d, err := db.Draft(ctx, h, draftNow); err != nil {
		t.Fatal(err)
	} else if d.CaseRef != "" {
		t.Fatalf("a refused case marked the draft sent: %+v", d)
	}

	c, err := db.SubmitDraft(ctx, h, draftNow, decide("Boiler"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Draft(ctx, h, draftNow)
	if err != nil || d.CaseRef != c.Reference {
		t.Fatalf("sent draft: %+v, %v; want case %s", d, err, c.Reference)
	}
	if got, err := db.GetCase(ctx, c.Reference); err != nil || got.CreatedBy != "resident (web form)" {
		t.Fatalf("stored case: %+v, %v", got, err)
	}

	_, err = db.SubmitDraft(ctx, h, draftNow, decide("Boiler again"))
	wantCode(t, "send twice", err, complaint.Conflict)
	cases, _, err := db.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil || len(cases) != 1 {
		t.Fatalf("after sending twice there are %d cases (%v), want 1", len(cases), err)
	}
	wantCode(t, "save a sent draft", db.SaveDraft(ctx, h, []byte(`{}`), draftNow, draftNow.Add(time.Hour)), complaint.Conflict)
	_, err = db.AddDraftFiles(ctx, h, []store.DraftFile{draftFile("a.txt", "a")}, draftNow, 10, 100)
	wantCode(t, "add files to a sent draft", err, complaint.Conflict)
}

func TestDeleteExpiredDraftsTakesTheirFiles(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	old := newDraft(t, db, "old")
	if _, err := db.AddDraftFiles(ctx, old, []store.DraftFile{draftFile("a.txt", "a")}, draftNow, 10, 100); err != nil {
		t.Fatal(err)
	}
	fresh := hashOf("fresh")
	if err := db.CreateDraft(ctx, store.Draft{IDHash: fresh, CreatedAt: draftNow, ExpiresAt: draftNow.Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	n, err := db.DeleteExpiredDrafts(ctx, draftNow.Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("deleted %d drafts (%v), want 1", n, err)
	}
	var files int
	if err := db.r.QueryRow(`SELECT count(*) FROM portal_draft_files`).Scan(&files); err != nil || files != 0 {
		t.Fatalf("%d draft files left (%v), want 0", files, err)
	}
	if _, err := db.Draft(ctx, fresh, draftNow.Add(24*time.Hour)); err != nil {
		t.Fatalf("the fresh draft went too: %v", err)
	}
	if err := db.DeleteDraft(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Draft(ctx, fresh, draftNow); complaint.ErrorCode(err) != complaint.NotFound {
		t.Fatalf("deleted draft: %v", err)
	}
	wantCode(t, "draft id not a hash", db.CreateDraft(ctx, store.Draft{IDHash: "short"}), complaint.Invalid)
}
