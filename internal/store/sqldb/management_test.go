package sqldb

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// queryPlan returns the lines of EXPLAIN QUERY PLAN for a query.
func queryPlan(t testing.TB, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.r.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestManagementQueriesReadCoveringIndexes checks, for every shape of
// filter, that each query behind the management figures reads ranges of
// a covering index and nothing else: no table or index is scanned whole,
// no row is looked up, and nothing is sorted, so a year's figures over a
// million cases cost what the year's index entries cost. The exceptions:
// repeat complainants must sort the period's complaints by person, and
// the learning log reads the at most 200 rows it shows (for their text)
// and their cases' references.
func TestManagementQueriesReadCoveringIndexes(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	from, to := report.Year(2026).Dates()
	lcr := complaint.Tenure("low_cost_rental")
	filters := map[string]report.Filter{
		"no filter":                     {From: from, To: to},
		"service area":                  {From: from, To: to, ServiceArea: "repairs"},
		"tenure":                        {From: from, To: to, Tenure: &lcr},
		"service area, tenure, stage 2": {From: from, To: to, Stage: 2, ServiceArea: "repairs", Tenure: &lcr},
	}
	lookups := []string{
		"SEARCH x USING INDEX stage_facts_learning (responded>? AND responded<?)",
		"SEARCH c USING INTEGER PRIMARY KEY (rowid=?)",
	}
	harmless := regexp.MustCompile(`^(SCAN (d|s|repeats|\(subquery-\d+\)|CONSTANT ROW|\d+ CONSTANT ROWS)|CO-ROUTINE .*|MATERIALIZE .*|SETUP|RECURSIVE STEP|(CORRELATED )?SCALAR SUBQUERY \d+)$`)
	dateRange := regexp.MustCompile(`^SEARCH \w+ USING (COVERING )?INDEX \w+ \(.*>\? AND .*<\?\)$`)
	for name, f := range filters {
		var names []string
		for _, q := range managementQueries(f, newTally(f)) {
			names = append(names, q.name)
			plan := queryPlan(t, db, q.sql, q.args...)
			ranges := 0
			for _, line := range plan {
				if dateRange.MatchString(line) {
					ranges++
				}
				switch {
				case line == "USE TEMP B-TREE FOR GROUP BY" && q.name == "repeat complainants":
				case strings.HasPrefix(line, "SEARCH ") && strings.Contains(line, " USING COVERING INDEX "):
				case q.name == "learning" && slices.Contains(lookups, line):
				case harmless.MatchString(line):
				default:
					t.Errorf("%s, %s: the plan has %q:\n  %s", name, q.name, line, strings.Join(plan, "\n  "))
				}
			}
			if ranges == 0 {
				t.Errorf("%s, %s: no range of an index by date:\n  %s", name, q.name, strings.Join(plan, "\n  "))
			}
		}
		want := []string{"repeat complainants", "volumes", "responses", "stages received", "categories", "acknowledgement times",
			"response times", "compensation", "actions", "learning"}
		if !slices.Equal(names, want) {
			t.Errorf("queries %v: check the plans of new ones", names)
		}
	}
}

// TestFigureDaysQueriesReadOneRangeEach checks that the figures for
// everything read the period's daily counts and repeat complaints each as
// one range of one index, grouped in its order with no sort.
func TestFigureDaysQueriesReadOneRangeEach(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	from, to := report.Year(2026).Dates()
	f := report.Filter{From: from, To: to}
	want := map[string][]string{
		"daily counts":        {"SEARCH figure_days USING PRIMARY KEY (month>? AND month<?)"},
		"repeat complainants": {"SEARCH complaint_chain USING COVERING INDEX complaint_chain_received (received>? AND received<?)"},
		"learning": {"SEARCH x USING INDEX stage_facts_learning (responded>? AND responded<?)",
			"SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"},
	}
	for _, q := range figureDaysQueries(f, newTally(f)) {
		if plan := queryPlan(t, db, q.sql, q.args...); !slices.Equal(plan, want[q.name]) {
			t.Errorf("%s: the plan is\n  %s\nwant\n  %s", q.name, strings.Join(plan, "\n  "), strings.Join(want[q.name], "\n  "))
		}
	}
}

// TestRelinkingReadsOnlyNeighbours checks that keeping the chains of
// repeat complaints reads a person's complaints next to a place from
// their index, and never scans contact_facts: done on every save of a
// complaint, a scan would cost each save the whole table.
func TestRelinkingReadsOnlyNeighbours(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	join := "SEARCH ch USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN"
	key, day := "email:a@example.org", "2026-01-01"
	for _, tt := range []struct {
		name, sql string
		args      []any
		want      []string
	}{
		{"the same day before", chainSameDayBefore, []any{key, day, 5},
			[]string{"SEARCH f USING INDEX contact_facts_complainant (complainant_key=? AND received=? AND rowid<?)", join}},
		{"days before", chainDaysBefore, []any{key, day},
			[]string{"SEARCH f USING INDEX contact_facts_complainant (complainant_key=? AND received<?)", join}},
		{"at", chainAt, []any{key, day, 5}, []string{"SEARCH f USING INTEGER PRIMARY KEY (rowid=?)", join}},
		{"the same day after", chainSameDayAfter, []any{key, day, 5},
			[]string{"SEARCH f USING INDEX contact_facts_complainant (complainant_key=? AND received=? AND rowid>?)", join}},
		{"days after", chainDaysAfter, []any{key, day},
			[]string{"SEARCH f USING INDEX contact_facts_complainant (complainant_key=? AND received>?)", join}},
	} {
		if plan := queryPlan(t, db, tt.sql, tt.args...); !slices.Equal(plan, tt.want) {
			t.Errorf("%s: the plan is\n  %s\nwant\n  %s", tt.name, strings.Join(plan, "\n  "), strings.Join(tt.want, "\n  "))
		}
	}
}

// TestTSMCountsReadCoveringIndexesInOrder checks that the Tenant
// Satisfaction Measures' stage counts read the daily counts by their key,
// a range of days, and group in the key's order, with no sort.
func TestTSMCountsReadCoveringIndexesInOrder(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	plan := queryPlan(t, db, tsmDaysQuery, "2026-04-01", "2027-03-31")
	if len(plan) != 1 || !strings.Contains(plan[0], "SEARCH tsm_days USING PRIMARY KEY (day>? AND day<?)") {
		t.Errorf("%s:\n  %s", tsmDaysQuery, strings.Join(plan, "\n  "))
	}
}

// TestTSMDailyCountsMatchTheFacts checks that the daily counts the
// triggers keep (migration 0008) agree with counting stage_facts
// directly, after cases are imported and after a third of them are saved
// again, which replaces their facts.
func TestTSMDailyCountsMatchTheFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("imports thousands of cases")
	}
	ctx := context.Background()
	db := openTemp(t)
	p, cal := policytest.Code(t)
	importBenchCases(t, db, 2000, 500)
	check := func(when string) {
		t.Helper()
		for _, period := range [][2]string{{"2025-04-01", "2026-03-31"}, {"2025-05-17", "2026-02-03"}, {"2026-04-01", "2027-03-31"}} {
			got, err := db.TSMCounts(ctx, calendar.MustParseDate(period[0]), calendar.MustParseDate(period[1]))
			if err != nil {
				t.Fatal(err)
			}
			var want report.TSMCounts
			for s := 1; s <= 2; s++ {
				want.Received[s], want.Responded[s], want.WithinCode[s] = report.ByTenure{}, report.ByTenure{}, report.ByTenure{}
			}
			rows, err := db.r.QueryContext(ctx, `SELECT stage, tenure, CASE WHEN received BETWEEN ? AND ? AND refused = 0 THEN 1 ELSE 0 END,
				CASE WHEN responded BETWEEN ? AND ? THEN 1 ELSE 0 END, within_code FROM stage_facts`, period[0], period[1], period[0], period[1])
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var stage, received, responded, within int
				var tenure string
				if err := rows.Scan(&stage, &tenure, &received, &responded, &within); err != nil {
					t.Fatal(err)
				}
				if stage < 1 || stage > 2 {
					t.Fatalf("stage_facts holds stage %d, want 1 or 2", stage)
				}
				tn := complaint.Tenure(tenure)
				want.Received[stage][tn] += received
				want.Responded[stage][tn] += responded
				want.WithinCode[stage][tn] += responded * within
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			for s := 1; s <= 2; s++ {
				for _, pair := range [][2]report.ByTenure{{got.Received[s], want.Received[s]}, {got.Responded[s], want.Responded[s]}, {got.WithinCode[s], want.WithinCode[s]}} {
					for tn := range pair[1] {
						if pair[0][tn] != pair[1][tn] {
							t.Errorf("%s, %v, stage %d, tenure %q: daily counts say %d, the facts %d", when, period, s, tn, pair[0][tn], pair[1][tn])
						}
					}
				}
				if got.Received[s].Total() == 0 && period[0] == "2025-04-01" {
					t.Errorf("%s: no stage %d complaints in 2025/26; the test counts nothing", when, s)
				}
			}
		}
		var negative int
		if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM tsm_days WHERE n < 0`).Scan(&negative); err != nil || negative != 0 {
			t.Errorf("%s: %d negative daily counts (%v)", when, negative, err)
		}
	}
	check("after the import")

	page, _, err := db.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Limit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range page {
		if i%3 != 0 {
			continue
		}
		_, err := db.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, complaint.Note{Text: "checked"}, complaint.Env{Now: benchNow, At: benchNow,
				Actor: complaint.Actor{Email: benchOfficer, Role: "officer"}, Policy: p, Calendar: cal, NewReference: nr})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("after saving a third again")
}

// TestManagementFiguresMatchTheCases checks the figures over a few
// thousand generated cases (the benchmark's) against the same figures
// worked out here from the cases themselves, for a period with part
// months at both ends, with and without each filter, read on several
// connections at once and in one transaction.
func TestManagementFiguresMatchTheCases(t *testing.T) {
	if testing.Short() {
		t.Skip("imports thousands of cases")
	}
	ctx := context.Background()
	db := openTemp(t)
	importBenchCases(t, db, 3000, 1000)
	var cases []complaint.Case
	for cursor := ""; ; {
		page, next, err := db.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Limit: 500, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, page...)
		if cursor = next; next == "" {
			break
		}
	}
	from, to := calendar.MustParseDate("2025-05-17"), calendar.MustParseDate("2026-02-03")
	lcr, none := complaint.Tenure("low_cost_rental"), complaint.Tenure("")
	for _, f := range []report.Filter{
		{From: from, To: to},
		{From: from, To: to, ServiceArea: "repairs"},
		{From: from, To: to, Tenure: &lcr, Stage: 1},
		{From: from, To: to, Tenure: &none, ServiceArea: "estates", Stage: 2},
	} {
		want := figuresOf(cases, f)
		got, err := db.ManagementFigures(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(want, "", " ")
			t.Errorf("%+v:\n got %s\nwant %s", f, g, w)
		}
		// With another report reading at once, it reads in one transaction.
		db.figures.Lock()
		alone, err := db.ManagementFigures(ctx, f)
		db.figures.Unlock()
		if err != nil || !reflect.DeepEqual(alone, got) {
			t.Errorf("%+v in one transaction differs: %v", f, err)
		}
	}
}

// figuresOf works the management figures out from whole cases, as the
// reports define them, without the report facts.
func figuresOf(cases []complaint.Case, f report.Filter) report.Management {
	in := func(d calendar.Date) bool { return !d.IsZero() && !d.Before(f.From) && !d.After(f.To) }
	kind, channel, area, month, cat := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	complaints := map[string]int{}
	money := map[string]report.Money{}
	var stages []report.StageFigures
	refusals := map[int]map[string]int{}
	for _, s := range f.Stages() {
		stages = append(stages, report.StageFigures{Stage: s, Acknowledge: report.Times{Histogram: map[int]int{}}, Respond: report.Times{Histogram: map[int]int{}}})
		refusals[s] = map[string]int{}
	}
	within, responded := map[int]int{}, map[int]int{}
	m := report.Management{Filter: f, Learning: []report.Learning{}}
	type entry struct {
		l  report.Learning
		id int64
	}
	var learning []entry
	for _, c := range cases {
		if (f.ServiceArea != "" && c.ServiceArea != f.ServiceArea) || (f.Tenure != nil && c.Tenure != *f.Tenure) {
			continue
		}
		received := calendar.DateOf(c.ReceivedAt)
		if in(received) {
			kind[string(c.Kind)]++
			channel[string(c.Channel)]++
			area[c.ServiceArea]++
			month[received.String()[:7]]++
			for _, g := range c.Categories {
				cat[g]++
			}
			if c.Kind == complaint.KindComplaint && c.Complainant.Key() != "" {
				complaints[c.Complainant.Key()]++
			}
		}
		for _, fact := range c.Facts() {
			i := slices.IndexFunc(stages, func(s report.StageFigures) bool { return s.Stage == fact.Stage })
			if i < 0 {
				continue
			}
			st := &stages[i]
			if in(fact.Received) {
				switch {
				case fact.Refused:
					refusals[fact.Stage][fact.Exclusion]++
				case fact.Withdrawn:
					st.Received++
					st.Withdrawn++
				default:
					st.Received++
				}
			}
			if in(fact.Acknowledged) {
				st.Acknowledge.Histogram[fact.AcknowledgeWorkingDays]++
			}
			if in(fact.Responded) {
				st.Respond.Histogram[fact.RespondWorkingDays]++
				responded[fact.Stage]++
				if fact.WithinCode {
					within[fact.Stage]++
				}
				if fact.ExtensionDays > 0 {
					st.Extended++
				}
				if fact.OverCodeCap {
					st.OverCodeCap++
				}
				st.Upheld += fact.Upheld
				st.PartlyUpheld += fact.PartlyUpheld
				st.NotUpheld += fact.NotUpheld
				if fact.Learning != "" {
					learning = append(learning, entry{report.Learning{Reference: c.Reference, Stage: fact.Stage, Responded: fact.Responded,
						ServiceArea: c.ServiceArea, Text: fact.Learning}, c.ID})
				}
			}
		}
		for _, r := range c.Remedies {
			offered := received
			if st := c.Stages[r.Stage-1]; !st.RespondedAt.IsZero() {
				offered = calendar.DateOf(st.RespondedAt)
			}
			if !in(offered) {
				continue
			}
			switch r.Kind {
			case complaint.RemedyCompensation:
				mo := money[r.CompensationKind]
				mo.Offered++
				mo.OfferedPence += r.AmountPence
				if r.Done {
					mo.Paid++
					mo.PaidPence += r.AmountPence
				}
				money[r.CompensationKind] = mo
			case complaint.RemedyAction:
				switch {
				case r.Done:
					m.ActionsDone++
				case r.Due.Before(f.To):
					m.ActionsOpen++
					m.ActionsOverdue++
				default:
					m.ActionsOpen++
				}
			}
		}
	}
	for _, n := range complaints {
		if n >= 2 {
			m.RepeatComplainants++
		}
	}
	for i := range stages {
		st := &stages[i]
		report.Percentiles(&st.Acknowledge)
		report.Percentiles(&st.Respond)
		st.AcknowledgedOnTime = report.AcknowledgedOnTime(st.Acknowledge)
		st.RespondedOnTime = report.RateOf(within[st.Stage], responded[st.Stage])
		st.Refusals = report.RowsOf(refusals[st.Stage])
	}
	slices.SortFunc(learning, func(a, b entry) int {
		return cmp.Or(b.l.Responded.Compare(a.l.Responded), cmp.Compare(b.id, a.id), cmp.Compare(b.l.Stage, a.l.Stage))
	})
	for _, e := range learning[:min(len(learning), 200)] {
		m.Learning = append(m.Learning, e.l)
	}
	m.ByKind, m.ByChannel, m.ByServiceArea, m.ByCategory = report.RowsOf(kind), report.RowsOf(channel), report.RowsOf(area), report.RowsOf(cat)
	m.ByMonth, m.Stages, m.Compensation = report.MonthRows(month, f.From, f.To), stages, report.MoneyOf(money)
	return m
}

// The measures page's count of events recorded late reads one range of
// the events_recorded_late index and nothing else: not the events, not
// their cases.
func TestCountLateRecordedReadsOnlyItsIndex(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	plan := queryPlan(t, db, fmt.Sprintf(lateTimesQuery, db.d.recordedLate), "2026-04-01", "2027-04-01")
	want := []string{"SEARCH e USING COVERING INDEX events_recorded_late (at>? AND at<?)"}
	if !slices.Equal(plan, want) {
		t.Errorf("plan:\n got %q\nwant %q", plan, want)
	}
}
