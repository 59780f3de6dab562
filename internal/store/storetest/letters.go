package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testLetters issues letters on a case and checks they are stored exactly,
// recorded on the case's events, refused whole when anything is wrong, and
// that templates and the letterhead are kept.
func testLetters(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Leaking roof not repaired")
	pdf := []byte("%PDF-1.3 a letter")
	letter := store.Letter{Kind: "acknowledgement", Title: "Acknowledgement", Stage: 1, IssuedAt: w.now, IssuedBy: "officer@example.org",
		Channel: "print", Recipient: "Ada Resident", Subject: "Your complaint", Body: "Dear Ada", PDF: pdf, SHA256: hexSHA256(pdf)}
	record := func(l store.Letter) store.Decision {
		return func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256}, w.env("officer@example.org", nr))
		}
	}
	// A hash that does not match, or a stale version, changes nothing.
	bad := letter
	bad.SHA256 = noSuchSHA256
	if _, _, err := s.IssueLetter(ctx, c.Reference, 0, record(bad), bad, nil); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a letter whose hash does not match: %v", err)
	}
	if _, _, err := s.IssueLetter(ctx, c.Reference, c.Version+1, record(letter), letter, nil); complaint.ErrorCode(err) != complaint.Stale {
		t.Errorf("a stale version: %v", err)
	}
	if ls, err := s.Letters(ctx, c.Reference); err != nil || len(ls) != 0 {
		t.Fatalf("after refusals: %d letters, %v", len(ls), err)
	}
	next, got, err := s.IssueLetter(ctx, c.Reference, c.Version, record(letter), letter, nil)
	if err != nil {
		t.Fatal(err)
	}
	if next.Version != c.Version+1 || got.ID == 0 || got.CaseRef != c.Reference || got.EventSeq != 2 {
		t.Errorf("issued: case version %d, letter %+v", next.Version, got)
	}
	second := letter
	second.Kind, second.Title, second.Channel, second.Body = "extension", "Extension", "email", "Dear Ada, we need longer"
	second.PDF = []byte("%PDF-1.3 another")
	second.SHA256 = hexSHA256(second.PDF)
	mail := &store.OutboundMessage{To: "ada@example.org", Subject: "We need longer", TextBody: "Dear Ada, we need longer", Kind: "letter",
		Attachments: []store.OutboundAttachment{{Name: "letter.pdf", ContentType: "application/pdf", Data: second.PDF}}}
	// Mail that cannot be queued stops the letter too: nothing is saved.
	badMail := *mail
	badMail.To = "not an address"
	if _, _, err := s.IssueLetter(ctx, c.Reference, 0, record(second), second, &badMail); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a letter with mail that cannot be queued: %v", err)
	}
	if ls, err := s.Letters(ctx, c.Reference); err != nil {
		t.Errorf("letters after refused mail: %v", err)
	} else if len(ls) != 1 {
		t.Errorf("after refused mail: %d letters, want 1", len(ls))
	}
	if _, _, err := s.IssueLetter(ctx, c.Reference, 0, record(second), second, mail); err != nil {
		t.Fatal(err)
	}
	out, err := s.Outbox(ctx, c.Reference)
	if err != nil || len(out) != 1 || out[0].To != "ada@example.org" || out[0].Kind != "letter" || len(out[0].Attachments) != 1 ||
		out[0].Attachments[0].Size != int64(len(second.PDF)) || out[0].Status != store.OutboxQueued {
		t.Errorf("outbox after an emailed letter: %+v, %v", out, err)
	}
	ls, err := s.Letters(ctx, c.Reference)
	if err != nil || len(ls) != 2 {
		t.Fatalf("letters: %d, %v", len(ls), err)
	}
	if ls[0].PDF != nil || ls[0].SHA256 != letter.SHA256 || ls[0].Body != "Dear Ada" || ls[0].Channel != "print" ||
		!ls[0].IssuedAt.Equal(w.now) || ls[1].Kind != "extension" || ls[1].EventSeq != 3 {
		t.Errorf("letters listed: %+v", ls)
	}
	one, err := s.Letter(ctx, c.Reference, ls[0].ID)
	if err != nil || !bytes.Equal(one.PDF, pdf) || one.SHA256 != letter.SHA256 || one.Body != "Dear Ada" {
		t.Errorf("letter read back: %+v, %v", one, err)
	}
	other := w.create(t, s, complaintCmd("Another resident's case", w.now.Add(-time.Hour)))
	if _, err := s.Letter(ctx, other.Reference, ls[0].ID); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("a letter through another case: %v", err)
	}
	evs, err := s.CaseEvents(ctx, c.Reference)
	if err != nil || len(evs) != 3 || evs[1].Kind != complaint.EventLetterIssued {
		t.Fatalf("events: %v, %v", evs, err)
	}

	// Templates: set, replace, clear back to the built-in.
	if ts, err := s.LetterTemplates(ctx); err != nil || len(ts) != 0 {
		t.Errorf("templates before any: %v, %v", ts, err)
	}
	for _, src := range []string{"first wording", "second wording"} {
		if err := s.SetLetterTemplate(ctx, store.LetterTemplate{Kind: "acknowledgement", Source: src, UpdatedBy: "admin@example.org", UpdatedAt: w.now}); err != nil {
			t.Fatal(err)
		}
	}
	if ts, err := s.LetterTemplates(ctx); err != nil {
		t.Errorf("templates: %v", err)
	} else if ts["acknowledgement"].Source != "second wording" || ts["acknowledgement"].UpdatedBy != "admin@example.org" {
		t.Errorf("templates: %+v", ts)
	}
	if err := s.SetLetterTemplate(ctx, store.LetterTemplate{Kind: "acknowledgement", UpdatedAt: w.now}); err != nil {
		t.Fatal(err)
	}
	if ts, err := s.LetterTemplates(ctx); err != nil {
		t.Errorf("templates after clearing: %v", err)
	} else if len(ts) != 0 {
		t.Errorf("after clearing: %+v", ts)
	}

	// The letterhead.
	if _, ok, err := s.Letterhead(ctx); ok || err != nil {
		t.Errorf("letterhead before any: %v, %v", ok, err)
	}
	if err := s.SetLetterhead(ctx, store.Letterhead{}); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a letterhead with no name: %v", err)
	}
	lh := store.Letterhead{Name: "Riverside Vale Homes", Address: []string{"1 River Street", "Sunderland", "SR1 1AA"},
		Contact: []string{"0191 000 0000", "complaints@example.org"}, Logo: []byte{0x89, 'P', 'N', 'G'}, UpdatedBy: "admin@example.org", UpdatedAt: w.now}
	if err := s.SetLetterhead(ctx, lh); err != nil {
		t.Fatal(err)
	}
	got2, ok, err := s.Letterhead(ctx)
	if !ok || err != nil || got2.Name != lh.Name || len(got2.Address) != 3 || len(got2.Contact) < 2 || got2.Contact[1] != "complaints@example.org" || !bytes.Equal(got2.Logo, lh.Logo) {
		t.Errorf("letterhead: %+v, %v, %v", got2, ok, err)
	}
}
