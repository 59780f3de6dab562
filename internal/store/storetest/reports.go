package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// at is a London date and time.
func at(date string, hour int) time.Time {
	d := calendar.MustParseDate(date)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, calendar.London)
}

// step is one dated command in a case's life.
type step struct {
	when string
	cmd  complaint.Command
}

// story creates a complaint received on date and runs its steps, each
// dated; it returns the reference.
func (w world) story(t *testing.T, s store.Store, tenure complaint.Tenure, confidential bool, received string, steps ...step) string {
	t.Helper()
	recv := at(received, 10)
	c, err := s.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv, Tenure: tenure, Confidential: confidential,
			Complainant: complaint.Person{Name: "R", Phone: "0191 496 0000"}, Summary: "case received " + received}, w.env("officer@example.org", ref))
	})
	if err != nil {
		t.Fatal(err)
	}
	return w.run(t, s, c, steps)
}

// run gives the case its steps, each at 11:00 on its date, by the
// officer, except that stage 2 is the reviewer's (the Code wants someone
// not involved at stage 1); it returns the case's reference.
func (w world) run(t *testing.T, s store.Store, c complaint.Case, steps []step) string {
	t.Helper()
	ref := c.Reference
	for _, st := range steps {
		env := w.env("officer@example.org", nil)
		if _, escalating := st.cmd.(complaint.Escalate); c.Stage == 2 && !escalating {
			env = w.env("reviewer@example.org", nil)
		}
		env.At = at(st.when, 11)
		var err error
		c, err = s.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			env.NewReference = nr
			return complaint.Decide(c, st.cmd, env)
		})
		if err != nil {
			t.Fatalf("%s on %s: %v", ref, st.when, err)
		}
		// A response counts when its letter goes: the same day here.
		if _, ok := st.cmd.(complaint.Respond); ok {
			c = w.sendResponse(t, s, c, env)
		}
	}
	return c.Reference
}

var (
	ack       = complaint.Acknowledge{Points: []string{"The repair was not done"}}
	respondOK = complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It was not done."}}}
	escalate  = complaint.Escalate{}
)

// A year of cases with known answers: refusals, withdrawals, an
// extension within the Code's cap and one beyond it given too late, a response made in
// the year to a complaint of the year before, a stage 2 that crosses the
// year end, both tenures and none, and a confidential case.
func testTSM(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	w.now = time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	const lcr, lcho complaint.Tenure = "low_cost_rental", "low_cost_home_ownership"
	refs := map[string]string{}
	// A: within the Code.
	refs["A"] = w.story(t, s, lcr, false, "2026-04-10", step{"2026-04-13", ack}, step{"2026-04-20", respondOK})
	// B: extended 5 days, within the Code's cap; responded 22 May, before
	// the Code's deadline of 27 May (25 May was a bank holiday).
	refs["B"] = w.story(t, s, lcr, false, "2026-05-01", step{"2026-05-05", ack},
		step{"2026-05-12", complaint.Extend{WorkingDays: 5, Reason: "survey", OmbudsmanDetailsGiven: true}}, step{"2026-05-22", respondOK})
	// C: extended 15 days with agreement and a good reason, beyond the
	// Code's cap of 10, but only on 17 June, after the Code's deadline of
	// 16 June had passed (Code 6.4): the resident is promised 7 July, but
	// the response on 3 July is outside the Code's timescale.
	refs["C"] = w.story(t, s, lcho, false, "2026-06-01", step{"2026-06-02", ack},
		step{"2026-06-17", complaint.Extend{WorkingDays: 15, Reason: "contractor", AgreedWithResident: true, OmbudsmanDetailsGiven: true, GoodReason: "the only contractor for the work is booked up"}}, step{"2026-07-03", respondOK})
	// D: refused, so not counted.
	refs["D"] = w.story(t, s, lcho, false, "2026-07-01", step{"2026-07-02", complaint.Refuse{Exclusion: "legal_proceedings", Explanation: "in court"}})
	// E: withdrawn, still counted; confidential.
	refs["E"] = w.story(t, s, lcr, true, "2026-08-03", step{"2026-08-04", complaint.Withdraw{Reason: "resolved"}})
	// F: no tenure; late at stage 1; escalated in March, answered in April.
	refs["F"] = w.story(t, s, "", false, "2026-09-01", step{"2026-09-02", ack}, step{"2026-09-30", respondOK},
		step{"2027-03-20", escalate}, step{"2027-03-24", ack}, step{"2027-04-20", respondOK})
	// G: received the year before, responded in this one.
	refs["G"] = w.story(t, s, lcr, false, "2026-03-20", step{"2026-03-23", ack}, step{"2026-04-02", respondOK})
	// H: both stages within the year and the Code.
	refs["H"] = w.story(t, s, lcr, false, "2026-11-02", step{"2026-11-03", ack}, step{"2026-11-10", respondOK},
		step{"2026-11-20", escalate}, step{"2026-11-23", ack}, step{"2026-12-15", respondOK})
	// I: received on the year's last day; J: on the next year's first.
	refs["I"] = w.story(t, s, lcho, false, "2027-03-31", step{"2027-04-01", ack})
	refs["J"] = w.story(t, s, lcr, false, "2027-04-01")
	// Not complaints: not counted.
	sr := complaintCmd("a request", at("2026-10-01", 9))
	sr.Kind = complaint.KindServiceRequest
	w.create(t, s, sr)

	for name, answer := range map[string][2]string{
		"A": {"very_satisfied", "2026-05-01"}, "B": {"fairly_dissatisfied", "2026-06-01"},
		"H": {"fairly_satisfied", "2027-01-05"}, "G": {"neither", "2026-04-10"}, "C": {"very_satisfied", "2027-04-05"},
	} {
		if err := s.RecordSurvey(ctx, refs[name], answer[0], "", at(answer[1], 12)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordSurvey(ctx, refs["A"], "delighted", "", at("2026-05-01", 12)); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("unknown survey answer: %v", err)
	}

	from, to := report.Year(2026).Dates()
	counts, err := s.TSMCounts(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	tsm := report.ComputeTSM(2026, counts, policy.Homes{Year: 2026, LowCostRental: 10000, LowCostHomeOwnership: 2000}, true)
	want := []struct {
		id       string
		tenure   complaint.Tenure
		num, den int
		value    float64
	}{
		// "All" is LCRA and LCHO: F, with no tenure, is on its own line.
		{"CH01(1)", "", 6, 12000, 0.5}, {"CH01(1)", lcr, 4, 10000, 0.4}, {"CH01(1)", lcho, 2, 2000, 1.0},
		{"CH01(2)", "", 1, 12000, 0.1}, {"CH01(2)", lcr, 1, 10000, 0.1}, {"CH01(2)", lcho, 0, 2000, 0},
		{"CH02(1)", "", 4, 5, 80}, {"CH02(1)", lcr, 4, 4, 100}, {"CH02(1)", lcho, 0, 1, 0},
		{"CH02(2)", "", 1, 1, 100}, {"CH02(2)", lcr, 1, 1, 100}, {"CH02(2)", lcho, 0, 0, 0},
		{report.SurveyHandling, "", 2, 4, 50}, {report.SurveyHandling, lcr, 2, 4, 50}, {report.SurveyHandling, lcho, 0, 0, 0},
		{"CH01(1)", report.NotRecorded, 1, 0, 0}, {"CH01(2)", report.NotRecorded, 1, 0, 0}, {"CH02(1)", report.NotRecorded, 0, 1, 0},
	}
	for _, wf := range want {
		f, ok := tsm.Find(wf.id, wf.tenure)
		if !ok || f.Numerator != wf.num || f.Denominator != wf.den || f.Value != wf.value {
			t.Errorf("%s %q = %d/%d = %v, want %d/%d = %v", wf.id, wf.tenure, f.Numerator, f.Denominator, f.Value, wf.num, wf.den, wf.value)
		}
	}

	// The cases behind each count are exactly the ones above; the
	// confidential one is counted but listed only for those who may see it.
	names := func(rs []string) []string {
		var out []string
		for _, r := range rs {
			for n, ref := range refs {
				if ref == r {
					out = append(out, n)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	all := store.Viewer{AllConfidential: true}
	someone := store.Viewer{Email: "someone@example.org"}
	lcrT, none := lcr, report.NotRecorded
	for _, q := range []struct {
		q      store.TSMQuery
		want   []string
		hidden int
	}{
		{store.TSMQuery{Measure: report.CH01Stage1, Numerator: true, Viewer: all}, []string{"A", "B", "C", "E", "H", "I"}, 0},
		{store.TSMQuery{Measure: report.CH01Stage1, Numerator: true, Viewer: someone}, []string{"A", "B", "C", "H", "I"}, 1},
		{store.TSMQuery{Measure: report.CH01Stage1, Numerator: true, Tenure: &lcrT, Viewer: all}, []string{"A", "B", "E", "H"}, 0},
		{store.TSMQuery{Measure: report.CH01Stage1, Numerator: true, Tenure: &none, Viewer: all}, []string{"F"}, 0},
		{store.TSMQuery{Measure: report.CH01Stage2, Numerator: true, Viewer: all}, []string{"H"}, 0},
		{store.TSMQuery{Measure: report.CH02Stage1, Numerator: false, Viewer: all}, []string{"A", "B", "C", "G", "H"}, 0},
		{store.TSMQuery{Measure: report.CH02Stage1, Numerator: true, Viewer: all}, []string{"A", "B", "G", "H"}, 0},
		{store.TSMQuery{Measure: report.CH02Stage2, Numerator: false, Viewer: all}, []string{"H"}, 0},
		{store.TSMQuery{Measure: report.SurveyHandling, Numerator: true, Viewer: all}, []string{"A", "H"}, 0},
		{store.TSMQuery{Measure: report.SurveyHandling, Numerator: false, Viewer: all}, []string{"A", "B", "G", "H"}, 0},
	} {
		q.q.From, q.q.To = from, to
		got, hidden, err := s.TSMCases(ctx, q.q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(got), q.want) || hidden != q.hidden {
			t.Errorf("%s numerator=%v tenure=%v: %v (+%d hidden), want %v (+%d)", q.q.Measure, q.q.Numerator, q.q.Tenure, names(got), hidden, q.want, q.hidden)
		}
	}
}
