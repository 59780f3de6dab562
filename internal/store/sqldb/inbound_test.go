package sqldb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

var inboundNow = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

func openInbound(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "redress.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func inboundRecord(key, outcome string, raw []byte) store.InboundMessage {
	sum := sha256.Sum256(raw)
	return store.InboundMessage{Key: key, SHA256: hex.EncodeToString(sum[:]), Source: "INBOX/1/7", Outcome: outcome,
		FromDomain: "example.org", Subject: "Automatic reply: damp", ArrivedAt: inboundNow.Add(-time.Minute), ProcessedAt: inboundNow, Raw: raw}
}

// create and attach are the decisions the inbound processor gives the
// store: a new contact, then its files.
func inboundDecisions(t *testing.T) (func(store.NewReference) (complaint.Case, complaint.Event, error), func(store.Attachment) store.Decision) {
	t.Helper()
	p, cal := policytest.Code(t)
	actor := complaint.Actor{Email: "inbound email", Role: "system"}
	create := func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "enquiry", Channel: "email",
			Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: "Damp in the bedroom"},
			complaint.Env{Now: inboundNow, Actor: actor, Policy: p, Calendar: cal, NewReference: ref})
	}
	attach := func(f store.Attachment) store.Decision {
		return func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			info := complaint.AddInformation{Source: "email", From: "r@example.org",
				Attachments: []complaint.AttachmentRef{{Name: f.Name, SHA256: f.SHA256, Size: int64(len(f.Data))}}}
			return complaint.Decide(c, info, complaint.Env{Now: inboundNow, Actor: actor, Policy: p, Calendar: cal, NewReference: nr})
		}
	}
	return create, attach
}

func pdfFile() store.Attachment {
	data := []byte("%PDF-1.4\n% photo of the damp\n")
	sum := sha256.Sum256(data)
	return store.Attachment{Name: "damp.pdf", ContentType: "application/pdf", Data: data, SHA256: hex.EncodeToString(sum[:]),
		Source: "email", AddedAt: inboundNow, AddedBy: "inbound email"}
}

func TestInboundMessageIsRecordedOnceByKeyAndKeptAcrossARestart(t *testing.T) {
	ctx := context.Background()
	db, path := openInbound(t)
	raw := []byte("From: <mailer-daemon@example.org>\r\nSubject: x\r\n\r\nbody")
	m, err := db.RecordInbound(ctx, inboundRecord("<a1@mail.example.net>", store.InboundIgnored, raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == 0 || m.Size != int64(len(raw)) {
		t.Fatalf("recorded %+v", m)
	}
	again := inboundRecord("<a1@mail.example.net>", store.InboundQuarantined, []byte("other"))
	if _, err := db.RecordInbound(ctx, again); !errors.Is(err, store.ErrInboundRepeat) {
		t.Fatalf("second record of the same key: %v, want ErrInboundRepeat", err)
	}
	db.Close()
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.InboundByKey(ctx, "<a1@mail.example.net>")
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != store.InboundIgnored || got.Raw != nil || !got.ArrivedAt.Equal(inboundNow.Add(-time.Minute)) {
		t.Errorf("after reopening: %+v", got)
	}
	full, err := db.InboundMessage(ctx, got.ID)
	if err != nil || !bytes.Equal(full.Raw, raw) {
		t.Errorf("raw message: %q, %v", full.Raw, err)
	}
	if _, err := db.InboundByKey(ctx, "<nobody@mail.example.net>"); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("unknown key: %v, want not_found", err)
	}
}

func TestInboundRecordRefusesARawMessageItsHashDoesNotMatch(t *testing.T) {
	db, _ := openInbound(t)
	m := inboundRecord("<a2@mail.example.net>", store.InboundQuarantined, []byte("one"))
	m.Raw = []byte("two")
	if _, err := db.RecordInbound(context.Background(), m); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("mismatched hash: %v, want invalid", err)
	}
	m = inboundRecord("<a3@mail.example.net>", store.InboundCaseCreated, []byte("one"))
	if _, err := db.RecordInbound(context.Background(), m); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("case_created through RecordInbound: %v, want invalid", err)
	}
}

func TestCaseFromInboundIsSavedWithItsFilesAndRecordOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	db, _ := openInbound(t)
	create, attach := inboundDecisions(t)
	f := pdfFile()
	rec := inboundRecord("<new@mail.example.net>", "", []byte("raw"))
	rec.Raw, rec.Subject = nil, ""
	c, m, err := db.CreateCaseFromInbound(ctx, rec, create, attach(f), []store.Attachment{f})
	if err != nil {
		t.Fatal(err)
	}
	if m.Outcome != store.InboundCaseCreated || m.CaseRef != c.Reference || c.Version != 2 {
		t.Fatalf("case %s v%d, record %+v", c.Reference, c.Version, m)
	}
	files, err := db.Attachments(ctx, c.Reference)
	if err != nil || len(files) != 1 || files[0].Name != "damp.pdf" || files[0].EventSeq != 2 {
		t.Fatalf("attachments: %+v, %v", files, err)
	}
	evs, err := db.CaseEvents(ctx, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Kind != complaint.EventCreated || evs[1].Kind != complaint.EventInformationAdded {
		t.Errorf("events: %+v", evs)
	}

	// The same message again changes nothing, not even the reference
	// counter.
	if _, _, err := db.CreateCaseFromInbound(ctx, rec, create, attach(f), []store.Attachment{f}); !errors.Is(err, store.ErrInboundRepeat) {
		t.Fatalf("same key again: %v, want ErrInboundRepeat", err)
	}
	cases, _, err := db.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil || len(cases) != 1 {
		t.Errorf("cases after a repeat: %d, %v", len(cases), err)
	}

	// A refused decision leaves no case, no file and no record.
	rec.Key = "<refused@mail.example.net>"
	refuse := func(complaint.Case, store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Case{}, complaint.Event{}, complaint.InvalidField("text", "is required")
	}
	if _, _, err := db.CreateCaseFromInbound(ctx, rec, create, refuse, []store.Attachment{f}); complaint.ErrorCode(err) != complaint.Invalid {
		t.Fatalf("refused: %v", err)
	}
	if _, err := db.InboundByKey(ctx, rec.Key); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("a refused message was recorded: %v", err)
	}
	cases, _, err = db.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1 {
		t.Errorf("a refused message left a case: %d cases", len(cases))
	}
}

func TestInboundInformationIsAddedWithItsRecordOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := openInbound(t)
	create, attach := inboundDecisions(t)
	c, err := db.CreateCase(ctx, create)
	if err != nil {
		t.Fatal(err)
	}
	f := pdfFile()
	rec := inboundRecord("<reply@mail.example.net>", "", []byte("raw"))
	rec.Raw = nil
	got, m, err := db.AddInboundInformation(ctx, rec, c.Reference, attach(f), []store.Attachment{f})
	if err != nil {
		t.Fatal(err)
	}
	if m.Outcome != store.InboundAdded || m.CaseRef != c.Reference || got.Version != 2 {
		t.Fatalf("record %+v, case v%d", m, got.Version)
	}
	if _, _, err := db.AddInboundInformation(ctx, rec, c.Reference, attach(f), []store.Attachment{f}); !errors.Is(err, store.ErrInboundRepeat) {
		t.Fatalf("same key again: %v", err)
	}
	files, err := db.Attachments(ctx, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.CaseEvents(ctx, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || len(evs) != 2 {
		t.Errorf("after a repeat: %d files, %d events; want 1 and 2", len(files), len(evs))
	}
	bad := f
	bad.Data = []byte("not the data hashed")
	rec.Key = "<bad@mail.example.net>"
	if _, _, err := db.AddInboundInformation(ctx, rec, c.Reference, attach(bad), []store.Attachment{bad}); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("file whose hash does not match: %v, want invalid", err)
	}
	if _, _, err := db.AddInboundInformation(ctx, rec, "C-2026-999999", attach(f), []store.Attachment{f}); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("unknown case: %v, want not_found", err)
	}
}

func TestQuarantinedMessagesAreListedUntilAPersonResolvesThem(t *testing.T) {
	ctx := context.Background()
	db, _ := openInbound(t)
	q1, err := db.RecordInbound(ctx, inboundRecord("<q1@mail.example.net>", store.InboundQuarantined, []byte("one")))
	if err != nil {
		t.Fatal(err)
	}
	q2, err := db.RecordInbound(ctx, inboundRecord("<q2@mail.example.net>", store.InboundQuarantined, []byte("two")))
	if err != nil {
		t.Fatal(err)
	}
	ign, err := db.RecordInbound(ctx, inboundRecord("<i1@mail.example.net>", store.InboundIgnored, []byte("three")))
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.InboundMessages(ctx, store.InboundFilter{Outcome: store.InboundQuarantined})
	if err != nil || len(list) != 2 || list[0].ID != q2.ID || list[1].ID != q1.ID || list[0].Raw != nil || list[0].Size != 3 {
		t.Fatalf("quarantine, newest first, without raw: %+v, %v", list, err)
	}
	if err := db.ResolveInbound(ctx, q1.ID, "manager@example.org", "  ", inboundNow); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("resolve without a note: %v, want invalid", err)
	}
	if err := db.ResolveInbound(ctx, q1.ID, "manager@example.org", "Logged by hand as C-2026-000009", inboundNow); err != nil {
		t.Fatal(err)
	}
	if err := db.ResolveInbound(ctx, q1.ID, "manager@example.org", "again", inboundNow); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("resolve twice: %v, want conflict", err)
	}
	if err := db.ResolveInbound(ctx, ign.ID, "manager@example.org", "note", inboundNow); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("resolve an ignored message: %v, want conflict", err)
	}
	if err := db.ResolveInbound(ctx, 9999, "manager@example.org", "note", inboundNow); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("resolve an unknown message: %v, want not_found", err)
	}
	list, err = db.InboundMessages(ctx, store.InboundFilter{Outcome: store.InboundQuarantined})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != q2.ID {
		t.Errorf("open quarantine after resolving one: %+v", list)
	}
	list, err = db.InboundMessages(ctx, store.InboundFilter{Outcome: store.InboundQuarantined, Resolved: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].ResolvedBy != "manager@example.org" || list[1].Resolution != "Logged by hand as C-2026-000009" || !list[1].ResolvedAt.Equal(inboundNow) {
		t.Errorf("quarantine with resolved: %+v", list)
	}
}

func TestPruningForgetsRawMessagesButStillRecognisesThem(t *testing.T) {
	ctx := context.Background()
	db, _ := openInbound(t)
	record := func(key, outcome, raw string) store.InboundMessage {
		t.Helper()
		m, err := db.RecordInbound(ctx, inboundRecord(key, outcome, []byte(raw)))
		if err != nil {
			t.Fatalf("recording %s: %v", key, err)
		}
		return m
	}
	ign := record("<old-ignored@mail.example.net>", store.InboundIgnored, "ignored")
	done := record("<resolved@mail.example.net>", store.InboundQuarantined, "resolved")
	open := record("<open@mail.example.net>", store.InboundQuarantined, "open")
	if err := db.ResolveInbound(ctx, done.ID, "manager@example.org", "dealt with", inboundNow); err != nil {
		t.Fatal(err)
	}
	n, err := db.PruneInbound(ctx, inboundNow.Add(time.Hour), inboundNow.Add(time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
	for id, want := range map[int64]bool{ign.ID: false, done.ID: false, open.ID: true} {
		m, err := db.InboundMessage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if (m.Raw != nil) != want {
			t.Errorf("message %d (%s): raw kept %v, want %v", id, m.Key, m.Raw != nil, want)
		}
		if !want && m.Subject != "" {
			t.Errorf("message %d keeps its subject after pruning", id)
		}
	}
	if _, err := db.RecordInbound(ctx, inboundRecord("<old-ignored@mail.example.net>", store.InboundIgnored, []byte("ignored"))); !errors.Is(err, store.ErrInboundRepeat) {
		t.Errorf("a pruned message is no longer recognised: %v", err)
	}
}
