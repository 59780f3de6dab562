package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testPicklists checks the lists a manager keeps: adding, renaming,
// retiring and merging entries, a name refused where the list has it
// (naming the field), every change audited with who and when, seeding
// from the values already on cases, and the management figures counting
// a merged category and service area as one row.
func testPicklists(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	const manager = "manager@example.org"
	mustAdd := func(list, name string) store.PicklistEntry {
		t.Helper()
		e, err := s.AddPicklistEntry(ctx, list, name, manager, t0)
		if err != nil {
			t.Fatalf("add %q to %s: %v", name, list, err)
		}
		return e
	}
	entry := func(list string, id int64) store.PicklistEntry {
		t.Helper()
		es, err := s.Picklist(ctx, list)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.ID == id {
				return e
			}
		}
		t.Fatalf("entry %d is not on the %s list", id, list)
		return store.PicklistEntry{}
	}
	// refused checks that err is a refusal naming field.
	refused := func(t *testing.T, what string, err error, field string) {
		t.Helper()
		var e *complaint.Error
		if err == nil {
			t.Fatalf("%s: allowed, want refused naming %s", what, field)
		}
		if !errors.As(err, &e) || e.Fields[field] == "" {
			t.Fatalf("%s: %v, want a refusal naming the field %s", what, err, field)
		}
	}

	// Values already on cases seed the lists, once each whatever their
	// case; a second seeding adds nothing.
	var seeded []string // Repairs, repairs, Estates
	for _, ct := range []struct {
		area     string
		cats     []string
		received string
	}{{"Repairs", []string{"contractor", "damp"}, "2026-05-04"}, {"repairs", []string{"contractor conduct"}, "2026-05-05"}, {"Estates", nil, "2026-05-06"}} {
		seeded = append(seeded, w.create(t, s, complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: ptr(at(ct.received, 10)),
			Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: "seed", ServiceArea: ct.area, Categories: ct.cats}).Reference)
	}
	n, err := s.SeedPicklists(ctx, manager, t0)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("seeding added %d entries, want 5: Estates, one of Repairs/repairs, contractor, contractor conduct, damp", n)
	}
	if n, err := s.SeedPicklists(ctx, manager, t0); err != nil || n != 0 {
		t.Errorf("seeding again added %d (%v), want 0", n, err)
	}
	names := func(list string) []string {
		t.Helper()
		es, err := s.Picklist(ctx, list)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			if e.Active() {
				out = append(out, e.Name)
			}
		}
		return out
	}
	if got, want := names(store.ListCategories), []string{"contractor", "contractor conduct", "damp"}; !slices.Equal(got, want) {
		t.Errorf("categories after seeding = %q, want %q", got, want)
	}

	// A name the list has is refused, whatever its case and spacing; the
	// other list may have it.
	refused(t, "adding Damp again", func() error {
		_, err := s.AddPicklistEntry(ctx, store.ListCategories, "  DAMP ", manager, t0)
		return err
	}(), "name")
	mustAdd(store.ListServiceAreas, "Damp")
	for _, bad := range []string{"", "two\nlines", "a, b", strings.Repeat("x", 201)} {
		refused(t, "adding "+bad, func() error { _, err := s.AddPicklistEntry(ctx, store.ListCategories, bad, manager, t0); return err }(), "name")
	}
	refused(t, "adding to no list", func() error { _, err := s.AddPicklistEntry(ctx, "colours", "red", manager, t0); return err }(), "list")

	// Renaming keeps the old name with the entry, so it is not free for
	// another entry, and cases with it count as the entry.
	noise := mustAdd(store.ListCategories, "noise")
	if err := s.RenamePicklistEntry(ctx, noise.ID, "Noise nuisance", manager, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if e := entry(store.ListCategories, noise.ID); e.Name != "Noise nuisance" || !slices.Equal(e.OtherNames, []string{"noise"}) {
		t.Errorf("renamed entry = %q (other names %q), want Noise nuisance (noise)", e.Name, e.OtherNames)
	}
	refused(t, "adding a renamed entry's old name", func() error {
		_, err := s.AddPicklistEntry(ctx, store.ListCategories, "Noise", manager, t0)
		return err
	}(), "name")
	refused(t, "renaming onto another entry's name", s.RenamePicklistEntry(ctx, noise.ID, "damp", manager, t0), "name")

	// Retiring hides an entry from the picklists and keeps it listed.
	damp := findEntry(t, s, store.ListCategories, "damp")
	if err := s.RetirePicklistEntry(ctx, damp.ID, manager, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if e := entry(store.ListCategories, damp.ID); e.Active() || e.Retired.IsZero() {
		t.Errorf("retired entry = %+v, want retired and not offered", e)
	}
	refused(t, "retiring it twice", s.RetirePicklistEntry(ctx, damp.ID, manager, t0), "id")

	// Merging contractor into contractor conduct: contractor leaves the
	// picklists, and the figures count both as one theme.
	from, into := findEntry(t, s, store.ListCategories, "contractor"), findEntry(t, s, store.ListCategories, "contractor conduct")
	refused(t, "merging an entry into itself", s.MergePicklistEntries(ctx, from.ID, from.ID, manager, t0), "into")
	refused(t, "merging across lists", s.MergePicklistEntries(ctx, from.ID, findEntry(t, s, store.ListServiceAreas, "Estates").ID, manager, t0), "into")
	if err := s.MergePicklistEntries(ctx, from.ID, into.ID, manager, t0.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	refused(t, "merging into a merged entry", s.MergePicklistEntries(ctx, into.ID, from.ID, manager, t0), "into")
	refused(t, "renaming a merged entry", s.RenamePicklistEntry(ctx, from.ID, "contractors", manager, t0), "id")
	if got, want := names(store.ListCategories), []string{"contractor conduct", "Noise nuisance"}; !slices.Equal(got, want) {
		t.Errorf("categories offered after the merge = %q, want %q", got, want)
	}
	aliases, err := s.PicklistAliases(ctx, store.ListCategories)
	if err != nil {
		t.Fatal(err)
	}
	if got := store.Canonical(aliases, "Contractor"); got != "contractor conduct" {
		t.Errorf("Contractor counts as %q, want contractor conduct", got)
	}

	m, err := s.ManagementFigures(ctx, report.Filter{From: calendar.MustParseDate("2026-04-01"), To: calendar.MustParseDate("2026-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	wantCats := []report.Row{{Label: "contractor conduct", N: 2}, {Label: "damp", N: 1}}
	if !slices.Equal(m.ByCategory, wantCats) {
		t.Errorf("themes by category after the merge = %v, want one row for contractor conduct: %v", m.ByCategory, wantCats)
	}
	wantAreas := []report.Row{{Label: "Repairs", N: 2}, {Label: "Estates", N: 1}}
	if !slices.Equal(m.ByServiceArea, wantAreas) {
		t.Errorf("by service area = %v, want Repairs and repairs as one row: %v", m.ByServiceArea, wantAreas)
	}

	// Every change is audited, newest first, with who and when.
	changes, err := s.PicklistChanges(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) == 0 {
		t.Fatal("no changes audited")
	}
	if c := changes[0]; c.Action != "merge" || c.Actor != manager || !c.At.Equal(t0.Add(3*time.Minute)) || c.Detail != "contractor merged into contractor conduct" {
		t.Errorf("latest change = %+v, want the merge by %s at %v", c, manager, t0.Add(3*time.Minute))
	}
	var actions []string
	for _, c := range changes {
		actions = append(actions, c.Action)
	}
	if want := []string{"merge", "retire", "rename", "add", "add", "seed", "seed", "seed", "seed", "seed"}; !slices.Equal(actions, want) {
		t.Errorf("audited actions = %q, want %q", actions, want)
	}

	// A list or the figures narrowed to a service area find its cases
	// under every name it is counted under: its own whatever the case,
	// and the names merged into it. Estates merged into Repairs is then
	// found by any of the three names.
	if err := s.MergePicklistEntries(ctx, findEntry(t, s, store.ListServiceAreas, "Estates").ID, findEntry(t, s, store.ListServiceAreas, "Repairs").ID, manager, t0.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	all := store.Viewer{AllConfidential: true}
	for _, area := range []string{"Repairs", "repairs", "Estates"} {
		wantListed(t, s, "service area "+area, store.CaseFilter{Viewer: all, ServiceArea: area}, []string{seeded[2], seeded[1], seeded[0]})
		m, err := s.ManagementFigures(ctx, report.Filter{From: calendar.MustParseDate("2026-04-01"), To: calendar.MustParseDate("2026-06-30"), ServiceArea: area})
		if err != nil {
			t.Fatal(err)
		}
		if want := []report.Row{{Label: "Repairs", N: 3}}; !slices.Equal(m.ByServiceArea, want) {
			t.Errorf("figures narrowed to %s: by service area %v, want %v", area, m.ByServiceArea, want)
		}
	}
	wantListed(t, s, "a service area no case has", store.CaseFilter{Viewer: all, ServiceArea: "Gardens"}, nil)
}

// findEntry returns the list's entry named name.
func findEntry(t *testing.T, s store.Store, list, name string) store.PicklistEntry {
	t.Helper()
	es, err := s.Picklist(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("%q is not on the %s list", name, list)
	return store.PicklistEntry{}
}
