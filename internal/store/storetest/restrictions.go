package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// testRestrictions checks the restrictions register: a restriction is
// saved whole with its id, every command is an event with who and when,
// a stale version changes nothing, a failed decision writes nothing, and
// the filters select by person, status and review date.
func testRestrictions(t *testing.T, s store.Store) {
	ctx := context.Background()
	p, err := policy.Preset("greatwell-homes")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	env := func(role string) restriction.Env {
		return restriction.Env{Now: now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: p}
	}
	start := func(key string, cmd restriction.Command) restriction.Restriction {
		t.Helper()
		r, err := s.CreateRestriction(ctx, func() (restriction.Restriction, restriction.Event, error) {
			return restriction.Start(restriction.Subject{PersonKey: key, PersonName: "Pat", CaseRef: "C-2026-000001"}, cmd, env("manager"))
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	warn := restriction.Warn{Behaviour: "Abusive calls", ActionPlan: "Email only"}
	a := start("email:pat@example.org", warn)
	b := start("email:sam@example.org", warn)
	if a.ID == 0 || a.ID == b.ID || a.Version != 1 {
		t.Fatalf("ids %d and %d, version %d", a.ID, b.ID, a.Version)
	}
	got, err := s.GetRestriction(ctx, a.ID)
	if err != nil || got.ID != a.ID || got.Status != restriction.Warned || got.Warning.Behaviour != "Abusive calls" {
		t.Fatalf("GetRestriction = %+v, %v", got, err)
	}
	if _, err := s.GetRestriction(ctx, 99999); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("missing restriction: %v, want not_found", err)
	}

	decide := restriction.Decide{Reasons: "Continued", AdjustmentsConsidered: "Advocate offered",
		Arrangements: restriction.Arrangements{NamedContact: "Sam Lee", Channels: []string{"email"}}}
	apply := func(id int64, version int, cmd restriction.Command, role string) (restriction.Restriction, error) {
		return s.UpdateRestriction(ctx, id, version, func(r restriction.Restriction) (restriction.Restriction, restriction.Event, error) {
			return restriction.Apply(r, cmd, env(role))
		})
	}
	if _, err := apply(a.ID, 1, decide, "officer"); complaint.ErrorCode(err) != complaint.Forbidden {
		t.Errorf("officer's decision: %v, want forbidden", err)
	}
	a, err = apply(a.ID, 1, decide, "manager")
	if err != nil || a.Status != restriction.InForce || a.Version != 2 {
		t.Fatalf("decide: %+v, %v", a, err)
	}
	if _, err := apply(a.ID, 1, restriction.LiftNow{Reasons: "x"}, "manager"); complaint.ErrorCode(err) != complaint.Stale {
		t.Errorf("stale version: %v, want stale", err)
	}

	evs, err := s.RestrictionEvents(ctx, a.ID)
	if err != nil || len(evs) != 2 {
		t.Fatalf("events = %+v, %v; want the warning and the decision only", evs, err)
	}
	if evs[0].Kind != restriction.EventWarned || evs[1].Kind != restriction.EventDecided || evs[1].Actor != "manager@example.org" || !evs[1].At.Equal(now) {
		t.Errorf("events = %+v", evs)
	}
	if d, ok := evs[1].Data.(*restriction.Decide); !ok || d.Arrangements.NamedContact != "Sam Lee" {
		t.Errorf("decision event data = %#v", evs[1].Data)
	}

	ids := func(f store.RestrictionFilter) []int64 {
		t.Helper()
		rs, err := s.ListRestrictions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	check := func(name string, got []int64, want ...int64) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", name, got, want)
			return
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", name, got, want)
			}
		}
	}
	check("all, review due first", ids(store.RestrictionFilter{}), a.ID, b.ID)
	check("in force", ids(store.RestrictionFilter{Status: restriction.InForce}), a.ID)
	check("by person", ids(store.RestrictionFilter{PersonKey: "email:sam@example.org", ActiveOnly: true}), b.ID)
	check("review due by its date", ids(store.RestrictionFilter{ReviewDueBy: a.ReviewDue}), a.ID)
	check("review not yet due", ids(store.RestrictionFilter{ReviewDueBy: a.ReviewDue.AddDays(-1)}))
	if a.ReviewDue != calendar.NewDate(2026, 9, 2) {
		t.Errorf("review due %s", a.ReviewDue)
	}

	if _, err := apply(a.ID, 0, restriction.LiftNow{Reasons: "Behaviour changed"}, "admin"); err != nil {
		t.Fatal(err)
	}
	check("active after lifting", ids(store.RestrictionFilter{PersonKey: "email:pat@example.org", ActiveOnly: true}))
}
