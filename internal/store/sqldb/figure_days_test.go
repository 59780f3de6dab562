package sqldb

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// TestFigureDaysAndChainsFollowTheFacts checks that the daily counts the
// triggers keep (figure_days) and the chains of each person's complaints
// (complaint_chain) always hold what counting them afresh from the facts
// gives: after an import, and after corrections that move cases between
// people, tenures, service areas and categories, conversions that make
// contacts complaints, and notes that change no fact at all.
func TestFigureDaysAndChainsFollowTheFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("imports thousands of cases")
	}
	ctx := context.Background()
	db := openTemp(t)
	p, cal := policytest.Code(t)
	importBenchCases(t, db, 2000, 300) // 300 people: many complain more than once
	check := func(when string) {
		t.Helper()
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		queries := []string{
			`SELECT month, figure, stage, key, day, n, pence FROM figure_days WHERE n <> 0`,
			`SELECT case_id, received, prior, prior2 FROM complaint_chain`,
		}
		var kept [][]string
		for _, q := range queries {
			rows, err := rowSet(ctx, tx, q)
			if err != nil {
				t.Fatal(err)
			}
			kept = append(kept, rows)
		}
		if err := countFiguresBackfill(ctx, tx, db.d); err != nil {
			t.Fatal(err)
		}
		for i, q := range queries {
			counted, err := rowSet(ctx, tx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(counted) < 100 {
				t.Fatalf("%s: %s has only %d rows counted afresh: the test counts too little", when, q, len(counted))
			}
			if !slices.Equal(kept[i], counted) {
				var extra, missing []string
				for _, r := range kept[i] {
					if !slices.Contains(counted, r) {
						extra = append(extra, r)
					}
				}
				for _, r := range counted {
					if !slices.Contains(kept[i], r) {
						missing = append(missing, r)
					}
				}
				t.Errorf("%s: %s: kept %d rows, counted afresh %d; kept but not counted %.5q; counted but not kept %.5q",
					when, q, len(kept[i]), len(counted), extra, missing)
			}
		}
		var negative int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM figure_days WHERE n < 0 OR pence < 0`).Scan(&negative); err != nil || negative != 0 {
			t.Errorf("%s: %d negative daily counts (%v)", when, negative, err)
		}
	}
	check("after the import")

	cases, _, err := db.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Limit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	env := func(nr store.NewReference) complaint.Env {
		return complaint.Env{Now: benchNow, At: benchNow, Actor: complaint.Actor{Email: benchOfficer, Role: "officer"}, Policy: p, Calendar: cal, NewReference: nr}
	}
	var converted, corrected int
	for i, c := range cases {
		var cmd complaint.Command
		switch {
		case i%7 == 0:
			// Another person's complaint now, or no one's known: it
			// leaves one chain and joins another.
			who := complaint.Person{Name: "Someone else", Email: fmt.Sprintf("resident%d@example.org", (i*7)%300)}
			if i%14 == 0 {
				who = complaint.Person{Name: "Known by address alone", Address: "1 High Street, Newcastle"}
			}
			area, tenure := benchAreas[i%len(benchAreas)], benchTenures[i%len(benchTenures)]
			cats := []string{benchCategories[i%len(benchCategories)]}
			cmd = complaint.EditDetails{Complainant: &who, ServiceArea: &area, Tenure: &tenure, Categories: &cats}
		case c.Kind == complaint.KindEnquiry && c.Status.Open():
			cmd = complaint.Convert{}
		case i%5 == 0:
			cmd = complaint.Note{Text: "checked"}
		default:
			continue
		}
		_, err := db.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, cmd, env(nr))
		})
		if err != nil {
			t.Fatalf("%s: %T: %v", c.Reference, cmd, err)
		}
		switch cmd.(type) {
		case complaint.Convert:
			converted++
		case complaint.EditDetails:
			corrected++
		}
	}
	// One person's complaints on one day: their order within it is by
	// case, and each new one is the latest.
	same := cases[0].ReceivedAt
	for range 4 {
		_, err := db.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &same,
				Complainant: complaint.Person{Name: "Often", Email: "often@example.org"}, Summary: "Again"}, env(nr))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if converted == 0 || corrected == 0 {
		t.Fatalf("converted %d and corrected %d cases: the test changes too little", converted, corrected)
	}
	check("after corrections, conversions and notes")

	// The figures from the counts are the figures from the facts.
	from, to := report.Year(2025).Dates()
	f := report.Filter{From: from, To: to}
	fromDays, err := db.ManagementFigures(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	tl := newTally(f)
	if err := db.readAtOnce(ctx, managementQueries(f, tl)); err != nil {
		t.Fatal(err)
	}
	if fromFacts := tl.management(); !reflect.DeepEqual(fromDays, fromFacts) {
		t.Errorf("figures from the daily counts differ from the figures from the facts:\n%+v\n%+v", fromDays, fromFacts)
	}
	if fromDays.RepeatComplainants == 0 || fromDays.ActionsOpen+fromDays.ActionsDone == 0 || len(fromDays.Compensation) == 0 {
		t.Errorf("the year counts no repeat complainants, actions or compensation: the test compares too little: %+v", fromDays)
	}
}
