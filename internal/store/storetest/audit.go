package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testAudit holds a store to store.Auditor: a case handled through both
// stages checks out against its events, with its count of events and
// letters; a checkpoint the store signs holds as the chain grows; and a
// checkpoint altered, or ahead of the chain, does not. The store under
// test must hold an audit key.
func testAudit(t *testing.T, s store.Store) {
	w := newWorld(t, "gentoo") // gentoo gives stage 2 a new reference
	c := w.create(t, s, complaintCmd("Damp in the bedroom", w.now.Add(-72*time.Hour)))
	w.do(t, s, c.Reference, "a@example.org", complaint.Acknowledge{Points: []string{"Damp", "Mould"}})
	w.respond(t, s, c.Reference, "a@example.org", complaint.Respond{
		Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "r"}, {Point: 2, Outcome: "partly_upheld", Reasons: "r"}},
		Remedies:  []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "For the distress", AmountPence: 2500}}})
	c = w.do(t, s, c.Reference, "a@example.org", complaint.Escalate{})
	w.do(t, s, c.Stages[1].Reference, "b@example.org", complaint.Assign{Handler: "b@example.org"})
	w.do(t, s, c.Reference, "b@example.org", complaint.CompleteRemedy{ID: 1, Note: "paid"})

	ca, err := s.VerifyCase(ctx, c.Stages[1].Reference)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.OK() || ca.Reference != c.Reference || ca.Events != 7 || ca.Letters != 1 || ca.Attachments != 0 || len(ca.Problems) != 0 {
		t.Errorf("the case's audit: %+v", ca)
	}
	if _, err := s.VerifyCase(ctx, "C-2026-999999"); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("an unknown case's audit: %v", err)
	}
	chain, err := s.VerifyChain(ctx)
	if err != nil || !chain.OK || chain.Events != 7 {
		t.Errorf("the chain: %+v, %v", chain, err)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK || rep.Events != 7 || rep.Cases != 1 {
		t.Errorf("the whole audit: %+v, %v", rep, err)
	}

	kept, err := s.AuditCheckpoint(ctx, w.now)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Count != 7 || kept.Head == "" || kept.KeyID == "" || !kept.At.Equal(w.now) {
		t.Errorf("checkpoint %+v", kept)
	}
	read, err := store.ParseCheckpoint(`time=x msg="audit checkpoint" checkpoint="` + kept.String() + `"`)
	if err != nil || read != kept {
		t.Errorf("the checkpoint read back from a log line: %+v, %v; want %+v", read, err, kept)
	}
	// A kept checkpoint still holds once the chain has grown past it.
	w.do(t, s, c.Reference, "b@example.org", complaint.Note{Text: "later"})
	if ps, err := s.VerifyCheckpoints(ctx, []store.Checkpoint{kept}); err != nil || len(ps) != 0 {
		t.Errorf("the kept checkpoint after a later event: %q, %v", ps, err)
	}
	ahead := kept
	ahead.Count = 99
	altered := kept
	altered.Head = strings.Repeat("0", len(kept.Head))
	ps, err := s.VerifyCheckpoints(ctx, []store.Checkpoint{kept, ahead, altered})
	if err != nil || len(ps) != 2 || !slices.ContainsFunc(ps, func(p string) bool { return strings.Contains(p, "not signed with this audit key") }) {
		t.Errorf("altered checkpoints: %q, %v", ps, err)
	}
}
