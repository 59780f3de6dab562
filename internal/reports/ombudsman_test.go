package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// Code 8.1 and 9.7, issue 19 item 4: the pack counts the period's
// Ombudsman determinations by finding and their orders, read from the
// store's referred cases, and names no case.
func TestAPackCountsTheOmbudsmansFindingsAndOrders(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	cal, err := s.Policy.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	env := func(who string, nr store.NewReference) complaint.Env {
		return complaint.Env{Now: now, Actor: complaint.Actor{Email: who, Role: "manager"}, Policy: s.Policy, Calendar: cal, NewReference: nr}
	}
	st := s.Store.(store.Store)
	received := now.Add(-time.Hour)
	c, err := st.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "email", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada", Email: "ada@example.org"}, Summary: "Leak"}, env("a@example.org", nr))
	})
	if err != nil {
		t.Fatal(err)
	}
	today := calendar.DateOf(now)
	decisions := complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "r"}}}
	letter := func(n int) complaint.RecordLetter {
		return complaint.RecordLetter{Kind: complaint.ResponseLetterKind(n), Title: "Response", Channel: "email", SHA256: strings.Repeat("ab", 32)}
	}
	for _, step := range []struct {
		who string
		cmd complaint.Command
	}{
		{"a@example.org", complaint.Acknowledge{Points: []string{"Leak"}}}, {"a@example.org", decisions}, {"a@example.org", letter(1)},
		{"a@example.org", complaint.Escalate{}}, {"b@example.org", complaint.Acknowledge{Points: []string{"Leak"}}},
		{"b@example.org", decisions}, {"b@example.org", letter(2)},
		{"b@example.org", complaint.ReferToOmbudsman{Reference: "HOS-1", NotifiedOn: today}},
		{"b@example.org", complaint.RecordOmbudsmanDetermination{DeterminedOn: today,
			Findings: []complaint.OmbudsmanFinding{{Point: "Leak", Finding: complaint.FindingMaladministration, Reasons: "Slow"}},
			Orders:   []complaint.OmbudsmanOrder{{Kind: complaint.KindOrder, Description: "Pay", Due: today.AddDays(14)}}}},
	} {
		if _, err := st.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, step.cmd, env(step.who, nr))
		}); err != nil {
			t.Fatalf("%T: %v", step.cmd, err)
		}
	}
	pk, err := s.Pack(ctx, report.Period{Year: 2026}, cal, time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	o := pk.Ombudsman
	if o.Referrals != 1 || o.Determinations != 1 || o.Orders != 1 || o.OrdersOverdue != 1 || o.ByFinding[1].Finding != complaint.FindingMaladministration || o.ByFinding[1].N != 1 {
		t.Errorf("the pack's Ombudsman figures = %+v", o)
	}
	if q1, err := s.Pack(ctx, report.Period{Year: 2026, Quarter: 1}, cal, time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)); err != nil || q1.Ombudsman.Determinations != 0 {
		t.Errorf("April to June, before the determination: %+v, %v", q1.Ombudsman, err)
	}
}
