package storetest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testTracking checks what residents prove a case is theirs with: a case's
// tracking code is made once, when first needed, and read back however
// it is typed; a wrong code, a case with no code yet and a reference of no
// case are all just "no"; a tracking link works once, until it expires,
// and is stored with its email or not at all.
func testTracking(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Leaking roof")
	other := w.create(t, s, complaintCmd("Broken gate", w.now.Add(-time.Hour)))

	// Before any code is made, nothing matches: not even a well-formed
	// guess.
	if ok, err := s.CheckTrackingCode(ctx, c.Reference, "00000-00000"); ok || err != nil {
		t.Errorf("a case with no code yet: %v, %v", ok, err)
	}
	if _, err := s.TrackingCode(ctx, "C-2026-999999", w.now); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("the code of no case: %v", err)
	}

	// Made once, by whoever asks first, however many ask at once.
	codes := make([]string, 8)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			code, err := s.TrackingCode(ctx, c.Reference, w.now)
			if err != nil {
				t.Errorf("tracking code: %v", err)
			}
			codes[i] = code
		})
	}
	wg.Wait()
	code := codes[0]
	if n, ok := store.NormalTrackingCode(code); !ok || n != code {
		t.Fatalf("tracking code %q is not a stored code", code)
	}
	for _, got := range codes {
		if got != code {
			t.Fatalf("tracking codes made at once: %q, want one code", codes)
		}
	}
	if again, err := s.TrackingCode(ctx, c.Reference, w.now.Add(time.Hour)); err != nil || again != code {
		t.Errorf("the code asked for again: %q, %v; want %q", again, err, code)
	}
	otherCode, err := s.TrackingCode(ctx, other.Reference, w.now)
	if err != nil || otherCode == code {
		t.Errorf("another case's code: %q, %v (the first is %q)", otherCode, err, code)
	}

	// Read back as people type it.
	typed := strings.ToLower(store.FormatTrackingCode(code))
	for _, good := range []string{code, store.FormatTrackingCode(code), typed, " " + code[:3] + " " + code[3:] + " "} {
		if ok, err := s.CheckTrackingCode(ctx, c.Reference, good); !ok || err != nil {
			t.Errorf("code typed as %q: %v, %v", good, ok, err)
		}
	}
	wrong := []byte(code)
	wrong[9] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(strings.IndexByte("0123456789ABCDEFGHJKMNPQRSTVWXYZ", wrong[9])+1)%32]
	for what, bad := range map[string][2]string{
		"the last character wrong": {c.Reference, string(wrong)},
		"another case's code":      {c.Reference, otherCode},
		"the code of another case": {other.Reference, code},
		"a reference of no case":   {"C-2026-999999", code},
		"nothing":                  {c.Reference, ""},
		"too short":                {c.Reference, code[:9]},
	} {
		if ok, err := s.CheckTrackingCode(ctx, bad[0], bad[1]); ok || err != nil {
			t.Errorf("%s: %v, %v", what, ok, err)
		}
	}

	// A link, stored with its email.
	hash := strings.Repeat("ab", 32)
	link := store.TrackingLink{TokenHash: hash, CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now.Add(30 * time.Minute)}
	mail := store.OutboundMessage{CaseRef: c.Reference, To: "ada@example.org", Subject: "Your link", TextBody: "The link", Kind: "tracking_link"}
	if err := s.SendTrackingLink(ctx, link, mail, w.now); err != nil {
		t.Fatal(err)
	}
	out, err := s.Outbox(ctx, c.Reference)
	if err != nil || len(out) != 1 || out[0].Kind != "tracking_link" || out[0].To != "ada@example.org" {
		t.Fatalf("the case's outbox after a link: %+v, %v", out, err)
	}
	// A link or an email the store cannot take saves neither.
	for what, bad := range map[string]struct {
		link store.TrackingLink
		mail store.OutboundMessage
		code string
	}{
		"a token that is not a hash": {store.TrackingLink{TokenHash: "abc", CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now.Add(time.Minute)}, mail, complaint.Invalid},
		"an expiry before it starts": {store.TrackingLink{TokenHash: strings.Repeat("01", 32), CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now}, mail, complaint.Invalid},
		"an email with no address":   {store.TrackingLink{TokenHash: strings.Repeat("02", 32), CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now.Add(time.Minute)}, store.OutboundMessage{CaseRef: c.Reference, Subject: "x", TextBody: "x", Kind: "tracking_link"}, complaint.Invalid},
		"a case that does not exist": {store.TrackingLink{TokenHash: strings.Repeat("03", 32), CaseRef: "C-2026-999999", CreatedAt: w.now, ExpiresAt: w.now.Add(time.Minute)}, mail, complaint.NotFound},
	} {
		if err := s.SendTrackingLink(ctx, bad.link, bad.mail, w.now); complaint.ErrorCode(err) != bad.code {
			t.Errorf("%s: %v, want %s", what, err, bad.code)
		}
		if _, err := s.UseTrackingLink(ctx, bad.link.TokenHash, w.now); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("%s: the link was stored (%v)", what, err)
		}
	}
	if out, err := s.Outbox(ctx, c.Reference); err != nil || len(out) != 1 {
		t.Errorf("refused links queued mail: %d messages, %v", len(out), err)
	}

	// Used once; not again; not after it expires; not if unknown.
	got, err := s.UseTrackingLink(ctx, hash, w.now.Add(10*time.Minute))
	if err != nil || got.CaseRef != c.Reference || !got.UsedAt.Equal(w.now.Add(10*time.Minute)) {
		t.Fatalf("use the link: %+v, %v", got, err)
	}
	if _, err := s.UseTrackingLink(ctx, hash, w.now.Add(11*time.Minute)); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("the link used twice: %v", err)
	}
	late := strings.Repeat("cd", 32)
	if err := s.SendTrackingLink(ctx, store.TrackingLink{TokenHash: late, CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now.Add(30 * time.Minute)}, mail, w.now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseTrackingLink(ctx, late, w.now.Add(30*time.Minute)); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("the link once expired: %v", err)
	}
	if _, err := s.UseTrackingLink(ctx, strings.Repeat("ef", 32), w.now); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("an unknown link: %v", err)
	}

	// A case's stage 2 reference has the case's code and links.
	g := newWorld(t, "gentoo")
	esc := g.create(t, s, complaintCmd("Damp", g.now.Add(-72*time.Hour)))
	g.do(t, s, esc.Reference, "a@example.org", complaint.Acknowledge{Points: []string{"p"}})
	g.respond(t, s, esc.Reference, "a@example.org", complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "r"}}})
	esc = g.do(t, s, esc.Reference, "a@example.org", complaint.Escalate{})
	ref2 := esc.Stages[len(esc.Stages)-1].Reference
	if ref2 == esc.Reference {
		t.Fatalf("stage 2 took no reference of its own")
	}
	escCode, err := s.TrackingCode(ctx, ref2, w.now)
	if err != nil {
		t.Fatal(err)
	}
	if byFirst, err := s.TrackingCode(ctx, esc.Reference, w.now); err != nil || byFirst != escCode {
		t.Errorf("the code by each reference: %q and %q, %v", escCode, byFirst, err)
	}
	if ok, err := s.CheckTrackingCode(ctx, ref2, escCode); !ok || err != nil {
		t.Errorf("the code by the stage 2 reference: %v, %v", ok, err)
	}
	byRef2 := strings.Repeat("12", 32)
	if err := s.SendTrackingLink(ctx, store.TrackingLink{TokenHash: byRef2, CaseRef: ref2, CreatedAt: w.now, ExpiresAt: w.now.Add(time.Hour)},
		store.OutboundMessage{CaseRef: ref2, To: "ada@example.org", Subject: "Your link", TextBody: "The link", Kind: "tracking_link"}, w.now); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UseTrackingLink(ctx, byRef2, w.now); err != nil || got.CaseRef != esc.Reference {
		t.Errorf("a link asked for by the stage 2 reference: %+v, %v; want the case's own reference", got, err)
	}

	// Expired links are deleted as new ones are made.
	if err := s.SendTrackingLink(ctx, store.TrackingLink{TokenHash: strings.Repeat("34", 32), CaseRef: other.Reference, CreatedAt: w.now.Add(2 * time.Hour), ExpiresAt: w.now.Add(3 * time.Hour)},
		store.OutboundMessage{CaseRef: other.Reference, To: "ada@example.org", Subject: "Your link", TextBody: "The link", Kind: "tracking_link"}, w.now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{hash, late} {
		if _, err := s.UseTrackingLink(ctx, h, w.now.Add(2*time.Hour)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("a link expired an hour before a new one is still kept: %v", err)
		}
	}
}
