package httpapi

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// TestTheCodesClockForCH02OverHTTP is issue 12's rules 2, 3 and 4 over
// HTTP, counted into CH02(1) from the real SQLite store:
//
//   - rule 2, a late acknowledgement buys no time (Code 6.2 with 6.3);
//   - rule 3, an extension given after the response was due is recorded,
//     moves the resident's date, but not the Code's (Code 6.4);
//   - rule 4, an extension beyond the Code's cap of 10 working days needs
//     a good reason, and with one counts in full (Code 6.4).
//
// Five stage 1 complaints under the Code's own policy, all in the autumn
// of 2026 when England has no bank holidays:
//
//   - A (low-cost rental): received Mon 5 Oct, acknowledgement due Mon 12
//     Oct, acknowledged late on Wed 14 Oct. The landlord's 10 working days
//     run to Wed 28 Oct (15, 16, 19-23, 26-28); the Code's still from 12
//     Oct, to Mon 26 Oct (13-16, 19-23, 26). Responded Tue 27 Oct: late.
//   - B (low-cost home ownership): as A, responded Fri 23 Oct: on time.
//   - C (low-cost rental): received Mon 2 Nov, acknowledged Tue 3 Nov, due
//     Tue 17 Nov (4-6, 9-13, 16, 17). Extended 5 days on Wed 18 Nov, the
//     day after: the resident is promised Tue 24 Nov (18-20, 23, 24), but
//     the Code's date stays 17 Nov. Responded Mon 23 Nov: late.
//   - D (low-cost home ownership): as C until extended on Thu 12 Nov by 15
//     working days with the resident's agreement: refused without a good
//     reason, accepted with one, to Tue 8 Dec (18-20, 23-27, 30 Nov, 1-4,
//     7, 8 Dec) for both. Responded Mon 7 Dec: on time.
//   - E (low-cost rental): as C, extended 5 days on Mon 16 Nov, in time, to
//     Tue 24 Nov. Responded Tue 24 Nov: on time.
//
// CH02(1), by hand: low-cost rental 1 of 3 (E) = 33.3%; low-cost home
// ownership 2 of 2 (B, D) = 100%; All 3 of 5 (B, D, E) = 60%. Before these
// rules A and C counted on time and D's 15 days were capped at 10 (to 1
// Dec), so the figure would have been 4 of 5.
func TestTheCodesClockForCH02OverHTTP(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	const lcr, lcho complaint.Tenure = "low_cost_rental", "low_cost_home_ownership"

	// Times are given in UTC: 10:00 is 11:00 in London until 25 Oct and
	// 10:00 after, the same London date either way.
	open := func(received string, tenure complaint.Tenure) string {
		t.Helper()
		body := newComplaint(received + "T10:00:00Z")
		body["tenure"] = string(tenure)
		return getString(t, a.must(201, "olive", "POST", "/api/v1/cases", body).body, "reference")
	}
	do := func(ref, command, on string, body map[string]any) reply {
		t.Helper()
		body["at"] = on + "T10:00:00Z"
		return a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/"+command, body)
	}
	ack := func(ref, on string) reply {
		return do(ref, "acknowledge", on, map[string]any{"points": []string{"The roof was not fixed"}})
	}
	// A stage is responded when its response letter is sent (rule 1): the
	// decisions are recorded at 10:00 and the letter goes at 10:30, the
	// same London date, which is the response date the figures count.
	respond := func(ref, on string) {
		t.Helper()
		r := a.respondAndSend("olive", ref, map[string]any{"at": on + "T10:00:00Z",
			"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "It was not fixed."}}}, on+"T10:30:00Z")
		if got := get(r.body, "stages", 0, "responded_at"); got != on+"T10:30:00Z" {
			t.Errorf("%s responded at %v, want the letter's time %sT10:30:00Z", ref, got, on)
		}
	}
	extend := func(days int) map[string]any {
		return map[string]any{"working_days": days, "reason": "Waiting for the roofer's survey", "ombudsman_details_given": true}
	}
	dates := func(label string, r reply, respondBy, codeBy string) {
		t.Helper()
		if got, gotCode := get(r.body, "stages", 0, "respond_by"), get(r.body, "stages", 0, "code_respond_by"); got != respondBy || gotCode != codeBy {
			t.Errorf("%s: respond_by %v, code_respond_by %v; want %s and %s", label, got, gotCode, respondBy, codeBy)
		}
	}
	refs := map[string]string{}

	refs["A"] = open("2026-10-05", lcr)
	dates("A acknowledged late", ack(refs["A"], "2026-10-14"), "2026-10-28", "2026-10-26")
	respond(refs["A"], "2026-10-27")

	refs["B"] = open("2026-10-05", lcho)
	ack(refs["B"], "2026-10-14")
	respond(refs["B"], "2026-10-23")

	refs["C"] = open("2026-11-02", lcr)
	ack(refs["C"], "2026-11-03")
	r := do(refs["C"], "extend", "2026-11-18", extend(5))
	dates("C extended late", r, "2026-11-24", "2026-11-17")
	if get(r.body, "stages", 0, "extensions", 0, "late") != true {
		t.Errorf("C's extension on 18 Nov is not marked late: %v", get(r.body, "stages", 0, "extensions"))
	}
	respond(refs["C"], "2026-11-23")

	refs["D"] = open("2026-11-02", lcho)
	ack(refs["D"], "2026-11-03")
	over := extend(15)
	over["agreed_with_resident"], over["at"] = true, "2026-11-12T10:00:00Z"
	bad := a.must(400, "olive", "POST", "/api/v1/cases/"+refs["D"]+"/extend", over)
	if get(bad.body, "error", "fields", "good_reason") == nil {
		t.Errorf("15 working days without a good reason: the error does not name good_reason: %s", bad.raw)
	}
	over["good_reason"] = "The roof needs scaffolding, which cannot go up before the survey"
	r = do(refs["D"], "extend", "2026-11-12", over)
	dates("D extended beyond the cap with a good reason", r, "2026-12-08", "2026-12-08")
	if get(r.body, "stages", 0, "extensions", 0, "good_reason") != over["good_reason"] || get(r.body, "stages", 0, "extensions", 0, "late") != nil {
		t.Errorf("D's extension: %v; want its good reason recorded and not late", get(r.body, "stages", 0, "extensions"))
	}
	respond(refs["D"], "2026-12-07")

	refs["E"] = open("2026-11-02", lcr)
	ack(refs["E"], "2026-11-03")
	dates("E extended in time", do(refs["E"], "extend", "2026-11-16", extend(5)), "2026-11-24", "2026-11-24")
	respond(refs["E"], "2026-11-24")

	ctx := context.Background()
	from, to := report.Year(2026).Dates()
	counts, err := a.st.TSMCounts(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	tsm := report.ComputeTSM(2026, counts, policy.Homes{Year: 2026, LowCostRental: 1000, LowCostHomeOwnership: 500}, true)
	for _, w := range []struct {
		tenure   complaint.Tenure
		num, den int
		value    float64
	}{
		{"", 3, 5, 60}, {lcr, 1, 3, 33.3}, {lcho, 2, 2, 100},
	} {
		f, ok := tsm.Find(report.CH02Stage1, w.tenure)
		if !ok || f.Numerator != w.num || f.Denominator != w.den || f.Value != w.value {
			t.Errorf("CH02(1) %q = %d/%d = %v, want %d/%d = %v", w.tenure, f.Numerator, f.Denominator, f.Value, w.num, w.den, w.value)
		}
	}

	// The cases behind the figures are the ones worked out above.
	names := func(numerator bool, tenure *complaint.Tenure) []string {
		t.Helper()
		got, _, err := a.st.TSMCases(ctx, store.TSMQuery{
			Measure: report.CH02Stage1, Numerator: numerator, Tenure: tenure,
			From: calendar.MustParseDate("2026-04-01"), To: calendar.MustParseDate("2027-03-31"),
			Viewer: store.Viewer{AllConfidential: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for n, ref := range refs {
			if slices.Contains(got, ref) {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	lcrT, lchoT := lcr, lcho
	for _, q := range []struct {
		label     string
		numerator bool
		tenure    *complaint.Tenure
		want      []string
	}{
		{"All within the Code", true, nil, []string{"B", "D", "E"}},
		{"All responded", false, nil, []string{"A", "B", "C", "D", "E"}},
		{"low-cost rental within the Code", true, &lcrT, []string{"E"}},
		{"low-cost home ownership within the Code", true, &lchoT, []string{"B", "D"}},
	} {
		if got := names(q.numerator, q.tenure); !slices.Equal(got, q.want) {
			t.Errorf("CH02(1) %s: %v, want %v", q.label, got, q.want)
		}
	}
}
