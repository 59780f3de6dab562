package casework_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// lettersNow is when the letters tests issue: a Monday after the
// complaint was received and acknowledged.
var lettersNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

var officer = store.User{ID: 1, Email: "olive@example.org", Role: "officer"}

// outbox returns the mail queued for a case by s's store. The queue is
// not case work's, so casework.Store does not reach it; the store the
// test opened (a *sqldb.DB) does.
func outbox(ctx context.Context, s *casework.Service, ref string) ([]store.OutboundMessage, error) {
	return s.Store.(store.Outbox).Outbox(ctx, ref)
}

// acknowledgedCase opens a store and a Service over it, and logs a
// stage 1 complaint from a resident with an email address,
// acknowledged, as the acknowledgement letter calls for.
func acknowledgedCase(t *testing.T) (*casework.Service, complaint.Case) {
	t.Helper()
	ctx := context.Background()
	st := testdb.Open(t, sqldb.Options{})
	p, cal := policytest.Code(t)
	s := &casework.Service{Store: st, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return lettersNow }}
	received := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	c, err := s.Create(ctx, officer, complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
		Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org", Address: "1 Mill Lane, Sunderland", Postcode: "SR3 3XR", TenancyRef: "T-1001"},
		Summary:     "Boiler keeps failing", Description: "The boiler failed three times in November.", ServiceArea: "repairs",
		Categories: []string{"heating"}, Tenure: "low_cost_rental"})
	if err != nil {
		t.Fatalf("logging the complaint: %v", err)
	}
	c, err = s.Apply(ctx, officer, c.Reference, 0, time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC),
		complaint.Acknowledge{Points: []string{"The boiler failed three times in November"}})
	if err != nil {
		t.Fatalf("acknowledging: %v", err)
	}
	return s, c
}

// issueAck drafts the acknowledgement of c as drafted and issues it by
// email with the reissue given.
func issueAck(t *testing.T, s *casework.Service, c complaint.Case, r casework.Reissue) (complaint.Case, store.Letter, error) {
	t.Helper()
	ctx := context.Background()
	c, err := s.Load(ctx, officer, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.DraftLetter(ctx, c, letters.Acknowledgement)
	if err != nil {
		t.Fatalf("drafting: %v", err)
	}
	d.Reissue = r
	return s.IssueDraft(ctx, officer, c, d, casework.ChannelEmail, 0)
}

// A letter of a kind already issued at the stage is refused as a
// conflict naming reissue_reason (and the confirmation) when it comes
// without a reason and a confirmation, or with only one of them; nothing
// is stored or sent. With both it goes, and the reason is kept with the
// letter, on its event, and in a new email.
func TestALetterAlreadyIssuedGoesAgainOnlyWithAReasonAndConfirmation(t *testing.T) {
	s, c := acknowledgedCase(t)
	ctx := context.Background()
	if _, _, err := issueAck(t, s, c, casework.Reissue{}); err != nil {
		t.Fatalf("the first acknowledgement: %v", err)
	}
	// A changed letter is not a duplicate of the first: it is a second
	// letter of the kind.
	edited := func(r casework.Reissue) error {
		c, err := s.Load(ctx, officer, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.DraftLetter(ctx, c, letters.Acknowledgement)
		if err != nil {
			t.Fatal(err)
		}
		d.Letter.Body += "\n\nWe have also written to you by post."
		d.Reissue = r
		_, _, err = s.IssueDraft(ctx, officer, c, d, casework.ChannelEmail, 0)
		return err
	}
	for _, tc := range []struct {
		name   string
		r      casework.Reissue
		fields []string
	}{
		{"neither", casework.Reissue{}, []string{"confirm_reissue", "reissue_reason"}},
		{"a reason not confirmed", casework.Reissue{Reason: "The resident did not receive it"}, []string{"confirm_reissue"}},
		{"confirmed with no reason", casework.Reissue{Confirmed: true}, []string{"reissue_reason"}},
		{"confirmed with a blank reason", casework.Reissue{Reason: "   ", Confirmed: true}, []string{"reissue_reason"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := edited(tc.r)
			var refused *casework.LetterRefused
			var e *complaint.Error
			if !errors.As(err, &refused) || !errors.As(err, &e) || e.Code != complaint.Conflict || refused.Issued == nil {
				t.Fatalf("got %v, want a conflict naming the letter already issued", err)
			}
			var got []string
			for f := range e.Fields {
				got = append(got, f)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.fields) {
				t.Errorf("the refusal names %v, want %v", got, tc.fields)
			}
			if !strings.Contains(e.Message, "already issued") {
				t.Errorf("the refusal says %q", e.Message)
			}
		})
	}
	if ls, _ := s.Store.Letters(ctx, c.Reference); len(ls) != 1 {
		t.Fatalf("%d letters after the refusals, want 1", len(ls))
	}
	if out, _ := outbox(ctx, s, c.Reference); len(out) != 1 {
		t.Fatalf("%d emails after the refusals, want 1", len(out))
	}

	const why = "The resident says the first email never arrived"
	if err := edited(casework.Reissue{Reason: "  " + why + " ", Confirmed: true}); err != nil {
		t.Fatalf("reissuing with a reason, confirmed: %v", err)
	}
	ls, err := s.Store.Letters(ctx, c.Reference)
	if err != nil || len(ls) != 2 {
		t.Fatalf("%d letters after the reissue (%v), want 2", len(ls), err)
	}
	if ls[0].ReissueReason != "" || ls[1].ReissueReason != why {
		t.Errorf("the reasons kept: %q and %q, want none and %q", ls[0].ReissueReason, ls[1].ReissueReason, why)
	}
	evs, err := s.Store.CaseEvents(ctx, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		complaint.RecordLetter
		Reissue       bool   `json:"reissue"`
		ReissueReason string `json:"reissue_reason"`
	}
	last := evs[len(evs)-1]
	if err := json.Unmarshal(store.EventData(last), &rec); err != nil || last.Kind != complaint.EventLetterIssued {
		t.Fatalf("the last event: %s, %v", last.Kind, err)
	}
	if !rec.Reissue || rec.ReissueReason != why || rec.SHA256 != ls[1].SHA256 || rec.Kind != "acknowledgement" {
		t.Errorf("the reissue's event: %+v", rec)
	}
	out, err := outbox(ctx, s, c.Reference)
	if err != nil || len(out) != 2 || out[0].DedupeKey == out[1].DedupeKey {
		t.Errorf("the outbox after the reissue: %d emails (%v), want 2 with different keys", len(out), err)
	}
}

// The same letter issued twice, as a double click sends it, goes once:
// the second is the conflict of a letter already issued. The same
// reissue twice goes once too: the second returns the reissue and the
// case unchanged. Nothing more is stored or sent either time.
func TestTheSameLetterIssuedTwiceGoesOnce(t *testing.T) {
	s, c := acknowledgedCase(t)
	ctx := context.Background()
	_, first, err := issueAck(t, s, c, casework.Reissue{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := issueAck(t, s, c, casework.Reissue{}); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("the same letter again: %v, want a conflict", err)
	}
	reissue := casework.Reissue{Reason: "Asked for another copy", Confirmed: true}
	after, third, err := issueAck(t, s, c, reissue)
	if err != nil || third.ID == first.ID || third.ReissueReason != reissue.Reason {
		t.Fatalf("the reissue: %+v, %v", third, err)
	}
	if again, fourth, err := issueAck(t, s, c, reissue); err != nil || fourth.ID != third.ID || again.Version != after.Version {
		t.Errorf("the same reissue again: letter %d (the reissue %d), version %d (was %d), %v", fourth.ID, third.ID, again.Version, after.Version, err)
	}
	ls, _ := s.Store.Letters(ctx, c.Reference)
	out, _ := outbox(ctx, s, c.Reference)
	if len(ls) != 2 || len(out) != 2 {
		t.Errorf("%d letters and %d emails, want 2 of each", len(ls), len(out))
	}
}

// A reason for reissuing a letter never issued is refused rather than
// kept on a first letter, where it would say something untrue.
func TestAReasonToReissueAFirstLetterIsRefused(t *testing.T) {
	s, c := acknowledgedCase(t)
	_, _, err := issueAck(t, s, c, casework.Reissue{Reason: "Another copy", Confirmed: true})
	var e *complaint.Error
	if !errors.As(err, &e) || e.Code != complaint.Invalid || e.Fields["reissue_reason"] == "" {
		t.Fatalf("got %v, want an invalid reissue_reason", err)
	}
}

// Repeated is the rule: one letter of a kind at a stage, except an
// extension notice for each extension and action updates, which are
// news whenever there is some; reissues do not count as the notice for
// a new extension.
func TestALetterRepeatsOneOfItsKindAtTheSameStageOnly(t *testing.T) {
	stage1 := complaint.Case{Kind: complaint.KindComplaint, Stage: 1, Stages: []complaint.Stage{{Stage: 1}}}
	extended := func(n int) complaint.Case {
		c := stage1
		c.Stages = []complaint.Stage{{Stage: 1, Extensions: make([]complaint.Extension, n)}}
		return c
	}
	stage2 := complaint.Case{Kind: complaint.KindComplaint, Stage: 2, Stages: []complaint.Stage{{Stage: 1}, {Stage: 2}}}
	letter := func(kind letters.Kind, stage int, why string) store.Letter {
		return store.Letter{Kind: string(kind), Stage: stage, ReissueReason: why}
	}
	for _, tc := range []struct {
		name string
		c    complaint.Case
		kind letters.Kind
		ls   []store.Letter
		want int
	}{
		{"none issued", stage1, letters.Acknowledgement, nil, 0},
		{"issued at the stage", stage1, letters.Acknowledgement, []store.Letter{letter(letters.Acknowledgement, 1, "")}, 1},
		{"issued and reissued", stage1, letters.Acknowledgement, []store.Letter{letter(letters.Acknowledgement, 1, ""), letter(letters.Acknowledgement, 1, "lost")}, 2},
		{"another kind issued", stage1, letters.Stage1Response, []store.Letter{letter(letters.Acknowledgement, 1, "")}, 0},
		{"issued at the stage before", stage2, letters.Extension, []store.Letter{letter(letters.Extension, 1, "")}, 0},
		{"one notice for one extension", extended(1), letters.Extension, []store.Letter{letter(letters.Extension, 1, "")}, 1},
		{"a second extension calls for a second notice", extended(2), letters.Extension, []store.Letter{letter(letters.Extension, 1, "")}, 0},
		{"a reissued notice is not the second extension's", extended(2), letters.Extension,
			[]store.Letter{letter(letters.Extension, 1, ""), letter(letters.Extension, 1, "lost")}, 0},
		{"action updates are news each time", stage1, letters.ActionUpdate, []store.Letter{letter(letters.ActionUpdate, 1, "")}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := casework.Repeated(tc.c, tc.kind, tc.ls); len(got) != tc.want {
				t.Errorf("Repeated = %d letters, want %d", len(got), tc.want)
			}
		})
	}
}
