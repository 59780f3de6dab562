package storetest

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testTrust holds a store to store.TrustStore: TP09 as recorded, audited
// and never replaced silently; both questions of the survey; responses
// counted against the landlord's own deadline; and events recorded long
// after their date, found for the data-quality list.
func testTrust(t *testing.T, s store.Store) {
	t.Run("TP09IsRecordedWithWhoAndWhen", func(t *testing.T) { testTP09(t, s) })
	t.Run("SurveyAsksAboutHandlingAndOutcome", func(t *testing.T) { testSurveyQuestions(t, s) })
	t.Run("ResponsesAgainstTheLandlordsOwnDeadline", func(t *testing.T) { testWithinPolicy(t, s) })
	t.Run("EventsRecordedLateAreFound", func(t *testing.T) { testLateRecordedEvents(t, s) })
}

func testTP09(t *testing.T, s store.Store) {
	if rs, err := s.TP09Results(ctx, 2026); err != nil || len(rs) != 0 {
		t.Fatalf("TP09 before any: %+v, %v", rs, err)
	}
	first := time.Date(2027, 4, 20, 9, 0, 0, 0, time.UTC)
	good := report.TP09Result{Year: 2026, LowCostRental: report.TP09Count{Satisfied: 300, Respondents: 420},
		LowCostHomeOwnership: report.TP09Count{Satisfied: 20, Respondents: 40}, RecordedBy: "m@example.org", RecordedAt: first}
	for _, bad := range []struct {
		name   string
		r      report.TP09Result
		fields []string
	}{
		{"more satisfied than respondents, and a year out of range", func() report.TP09Result {
			r := good
			r.Year, r.LowCostRental.Satisfied = 1999, 421
			return r
		}(), []string{"lcra_satisfied", "year"}},
		{"no one recorded it", func() report.TP09Result { r := good; r.RecordedBy = ""; return r }(), []string{"recorded_by"}},
	} {
		err := s.RecordTP09(ctx, bad.r)
		var e *complaint.Error
		if !errors.As(err, &e) || e.Code != complaint.Invalid || !slices.Equal(slices.Sorted(maps.Keys(e.Fields)), bad.fields) {
			t.Errorf("%s: %v, want invalid %q", bad.name, err, bad.fields)
		}
	}
	if rs, err := s.TP09Results(ctx, 2026); err != nil || len(rs) != 0 {
		t.Fatalf("TP09 after bad entries: %+v, %v", rs, err)
	}
	if err := s.RecordTP09(ctx, good); err != nil {
		t.Fatal(err)
	}
	corrected := good
	corrected.LowCostRental.Satisfied, corrected.RecordedBy, corrected.RecordedAt = 310, "n@example.org", first.Add(24*time.Hour)
	if err := s.RecordTP09(ctx, corrected); err != nil {
		t.Fatal(err)
	}
	rs, err := s.TP09Results(ctx, 2026)
	if err != nil || len(rs) != 2 {
		t.Fatalf("TP09 2026: %+v, %v", rs, err)
	}
	if rs[0] != corrected || rs[1] != good {
		t.Errorf("TP09 2026, latest first:\n got %+v\nwant %+v, %+v", rs, corrected, good)
	}
	if rs, err := s.TP09Results(ctx, 2025); err != nil || len(rs) != 0 {
		t.Errorf("TP09 2025: %+v, %v", rs, err)
	}
}

func testSurveyQuestions(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Leaking roof")
	hash := strings.Repeat("a1", 32)
	if err := s.InviteToSurvey(ctx, store.SurveyInvite{TokenHash: hash, CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	later := w.now.Add(time.Hour)
	for _, bad := range []struct {
		a     store.SurveyAnswers
		field string
	}{
		{store.SurveyAnswers{Handling: "very_satisfied", Outcome: "delighted"}, "outcome"},
		{store.SurveyAnswers{Handling: "very_satisfied"}, "outcome"},
		{store.SurveyAnswers{Handling: "", Outcome: "neither"}, "answer"},
	} {
		_, err := s.AnswerSurveyQuestions(ctx, hash, bad.a, later)
		var e *complaint.Error
		if !errors.As(err, &e) || e.Code != complaint.Invalid || e.Fields[bad.field] == "" {
			t.Errorf("answers %+v: %v, want invalid %s", bad.a, err, bad.field)
		}
	}
	if inv, err := s.SurveyInviteByHash(ctx, hash); err != nil || !inv.UsedAt.IsZero() {
		t.Fatalf("bad answers used the link up: %+v, %v", inv, err)
	}
	if _, err := s.AnswerSurveyQuestions(ctx, hash, store.SurveyAnswers{Handling: "very_satisfied", Outcome: "fairly_dissatisfied", Comment: " Kind but no fix "}, later); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AnswerSurveyQuestions(ctx, hash, store.SurveyAnswers{Handling: "very_satisfied", Outcome: "very_satisfied"}, later); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("answering twice: %v", err)
	}
	// Staff may record answers told to them, the outcome left out.
	if err := s.RecordSurveyAnswers(ctx, c.Reference, store.SurveyAnswers{Handling: "neither"}, later); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordSurveyAnswers(ctx, c.Reference, store.SurveyAnswers{Handling: "neither", Outcome: "meh"}, later); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a bad outcome recorded by staff: %v", err)
	}
	day := calendar.DateOf(later)
	counts, err := s.TSMCounts(ctx, day, day)
	if err != nil {
		t.Fatal(err)
	}
	total := func(m map[string]report.ByTenure) int {
		n := 0
		for _, b := range m {
			n += b.Total()
		}
		return n
	}
	if total(counts.Survey) != 2 || counts.Survey["very_satisfied"].Total() != 1 || counts.Survey["neither"].Total() != 1 {
		t.Errorf("handling answers: %+v", counts.Survey)
	}
	if total(counts.Outcome) != 1 || counts.Outcome["fairly_dissatisfied"].Total() != 1 {
		t.Errorf("outcome answers: %+v, want only the one given", counts.Outcome)
	}
	none := report.NotRecorded
	for _, q := range []struct {
		measure   string
		numerator bool
		want      int
	}{{report.SurveyOutcome, false, 1}, {report.SurveyOutcome, true, 0}, {report.SurveyHandling, false, 2}, {report.SurveyHandling, true, 1}} {
		refs, _, err := s.TSMCases(ctx, store.TSMQuery{Measure: q.measure, Numerator: q.numerator, Tenure: &none, From: day, To: day, Viewer: store.Viewer{AllConfidential: true}})
		if err != nil || len(refs) != q.want {
			t.Errorf("%s numerator=%v: %v, %v; want %d", q.measure, q.numerator, refs, err, q.want)
		}
	}
	if _, _, err := s.TSMCases(ctx, store.TSMQuery{Measure: report.TP09, From: day, To: day}); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("cases behind TP09: %v; none are, it is recorded from the perception survey", err)
	}
}

// respondAndSend responds to the current stage and issues its response
// letter by email on date, so the stage is responded to whether a
// response counts from the decisions or from the letter sent.
func (w world) respondAndSend(t *testing.T, s store.Store, ref, date string) {
	t.Helper()
	w.run(t, s, complaint.Case{Reference: ref}, []step{{date, respondOK}})
	pdf := []byte("%PDF-1.3 response " + ref + " " + date)
	l := store.Letter{Kind: "stage1_response", Title: "Stage 1 response", Stage: 1, IssuedAt: at(date, 11), IssuedBy: "officer@example.org",
		Channel: "email", Recipient: "R", Subject: "Our response", Body: "Dear R", PDF: pdf, SHA256: hexSHA256(pdf)}
	env := w.env("officer@example.org", nil)
	env.At = at(date, 11)
	if _, _, err := s.IssueLetter(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		env.NewReference = nr
		return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256}, env)
	}, l, nil); err != nil {
		t.Fatalf("%s: the response letter: %v", ref, err)
	}
}

// The 2018 policy answers stage 1 within 5 working days of receipt, faster
// than the Code's 10 from acknowledgement: a response can meet the Code
// and miss the landlord's own deadline.
func testWithinPolicy(t *testing.T, s store.Store) {
	w := newWorld(t, "feedback-policy-2018")
	w.now = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	const lcr complaint.Tenure = "low_cost_rental"
	// Received Monday 1 June 2026: the policy's deadline is 8 June, the
	// Code's 16 June (10 working days after the acknowledgement on 2 June).
	late := w.story(t, s, lcr, false, "2026-06-01", step{"2026-06-02", ack})
	w.respondAndSend(t, s, late, "2026-06-12")
	onTime := w.story(t, s, lcr, false, "2026-06-01", step{"2026-06-02", ack})
	w.respondAndSend(t, s, onTime, "2026-06-05")
	onTheDay := w.story(t, s, "", false, "2026-06-01", step{"2026-06-02", ack})
	w.respondAndSend(t, s, onTheDay, "2026-06-08")

	from, to := calendar.MustParseDate("2026-06-01"), calendar.MustParseDate("2026-06-30")
	counts, err := s.TSMCounts(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if r, c, p := counts.Responded[1].Total(), counts.WithinCode[1].Total(), counts.WithinPolicy[1].Total(); r != 3 || c != 3 || p != 2 {
		t.Errorf("responded %d, within the Code %d, within the policy %d; want 3, 3, 2", r, c, p)
	}
	if n := counts.WithinPolicy[1][""]; n != 1 {
		t.Errorf("within the policy with no tenure: %d, want 1", n)
	}
	all := store.Viewer{AllConfidential: true}
	for _, q := range []struct {
		numerator bool
		want      []string
	}{{true, []string{onTime}}, {false, []string{late, onTime}}} {
		refs, _, err := s.TSMCases(ctx, store.TSMQuery{Measure: report.PolicyStage1, Numerator: q.numerator, From: from, To: to, Viewer: all})
		slices.Sort(refs)
		slices.Sort(q.want)
		if err != nil || !slices.Equal(refs, q.want) {
			t.Errorf("Policy(1) numerator=%v: %v, %v; want %v", q.numerator, refs, err, q.want)
		}
	}
	// A case saved again is counted once, as the facts are replaced whole.
	w.run(t, s, complaint.Case{Reference: late}, []step{{"2026-06-15", complaint.Note{Text: "Called the resident"}}})
	if counts, err = s.TSMCounts(ctx, from, to); err != nil || counts.WithinPolicy[1].Total() != 2 || counts.Responded[1].Total() != 3 {
		t.Errorf("after saving again: %+v, %v", counts.WithinPolicy, err)
	}
}

// Events are found by the date they carry; those recorded more than 22
// hours later are all candidates, and the rest never are.
func testLateRecordedEvents(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	// Monday 23 November 2026, 10:00 UTC.
	recv := func(date string) complaint.Create {
		c := complaintCmd("received "+date, at(date, 10))
		c.Tenure = "low_cost_rental"
		return c
	}
	// Logged a week late: a candidate, and late.
	week := w.create(t, s, recv("2026-11-16"))
	// Logged on the day it was received, then acknowledged the same day:
	// neither is a candidate.
	today := w.create(t, s, recv("2026-11-23"))
	w.do(t, s, today.Reference, "officer@example.org", ack)
	// Received on Friday, logged on Monday: a candidate, but only one
	// working day late.
	friday := w.create(t, s, recv("2026-11-20"))
	// Confidential, logged late: counted for someone who may not see it,
	// never named.
	secret := recv("2026-11-02")
	secret.Confidential = true
	w.create(t, s, secret)
	// Dated in the year before: outside the period.
	w.create(t, s, recv("2026-03-02"))

	// From September: the subtests share a store, and the June responses
	// above were recorded in July.
	from, to := calendar.MustParseDate("2026-09-01"), calendar.MustParseDate("2027-03-31")
	evs, err := s.LateRecordedEvents(ctx, store.EventQuery{From: from, To: to, Viewer: store.Viewer{Email: "someone@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ref    string
		kind   complaint.EventKind
		hidden bool
	}
	var got []row
	for _, e := range evs {
		got = append(got, row{e.Reference, e.Kind, e.Hidden})
		if !e.RecordedAt.Equal(w.now) {
			t.Errorf("%s %d recorded at %s, want %s", e.Reference, e.Seq, e.RecordedAt, w.now)
		}
		if e.Hidden && (e.Reference != "" || e.Actor != "" || e.Kind != "") {
			t.Errorf("an event of a case the viewer may not see is named: %+v", e)
		}
	}
	// Oldest first, by the date they carry.
	want := []row{{"", "", true}, {week.Reference, complaint.EventCreated, false}, {friday.Reference, complaint.EventCreated, false}}
	if !slices.Equal(got, want) {
		t.Errorf("late recorded events:\n got %+v\nwant %+v", got, want)
	}
	for _, e := range evs {
		days, late := report.RecordedLate(w.cal, e.At, e.RecordedAt)
		wantLate := e.Reference != friday.Reference
		if late != wantLate {
			t.Errorf("%s recorded %d working days late: late = %v, want %v", e.Reference, days, late, wantLate)
		}
	}
	if _, err := s.LateRecordedEvents(ctx, store.EventQuery{From: to, To: from}); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a reversed period: %v", err)
	}

	// The count reads the same candidates, of every case (the
	// confidential one too), and keeps those late says are late.
	var seen int
	n, err := s.CountLateRecorded(ctx, from, to, func(at, recorded time.Time) bool {
		seen++
		_, late := report.RecordedLate(w.cal, at, recorded)
		return late
	})
	if err != nil || n != 2 || seen != 3 {
		t.Errorf("CountLateRecorded: %d of %d candidates (%v), want 2 of 3: the week-late case and the confidential one", n, seen, err)
	}
	if _, err := s.CountLateRecorded(ctx, to, from, func(time.Time, time.Time) bool { return true }); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a reversed period to count: %v", err)
	}
}
