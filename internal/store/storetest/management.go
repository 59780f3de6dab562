package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// contact is a case to create for the management figures: who, how,
// about what, and when.
type contact struct {
	kind     complaint.Kind
	channel  complaint.Channel
	area     string
	cats     []string
	tenure   complaint.Tenure
	email    string
	received string
}

// tell creates the contact, received at 10:00 on its date, and runs its
// steps as story does; it returns the case's reference.
func (w world) tell(t *testing.T, s store.Store, ct contact, steps ...step) string {
	t.Helper()
	recv := at(ct.received, 10)
	c, err := s.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: ct.kind, Channel: ct.channel, ReceivedAt: &recv, Tenure: ct.tenure,
			ServiceArea: ct.area, Categories: ct.cats, Complainant: complaint.Person{Name: "R", Email: ct.email},
			Summary: "received " + ct.received}, w.env("officer@example.org", ref))
	})
	if err != nil {
		t.Fatal(err)
	}
	return w.run(t, s, c, steps)
}

func respond(learning string, remedies []complaint.RemedyInput, outcomes ...complaint.Outcome) complaint.Respond {
	r := complaint.Respond{Learning: learning, Remedies: remedies}
	for i, o := range outcomes {
		r.Decisions = append(r.Decisions, complaint.Decision{Point: i + 1, Outcome: o, Reasons: "Looked into."})
	}
	return r
}

func compensation(pence int64, kind string) complaint.RemedyInput {
	return complaint.RemedyInput{Kind: complaint.RemedyCompensation, Description: "For the trouble.", AmountPence: pence, CompensationKind: kind}
}

func action(due string) complaint.RemedyInput {
	return complaint.RemedyInput{Kind: complaint.RemedyAction, Description: "Fix it.", Owner: "repairs@example.org", Due: due}
}

func done(id int) complaint.CompleteRemedy { return complaint.CompleteRemedy{ID: id, Note: "done"} }

// A quarter, 1 April to 30 June 2026, of contacts with known figures,
// counted by hand. Working days are those of England in 2026: Good
// Friday 3 April, Easter Monday 6 April, and 4 and 25 May are bank
// holidays.
//
//	A complaint email repairs [damp communication] LCR ann, 13 Apr (Mon):
//	  acknowledged 15 Apr (2 working days), responded 24 Apr (9 wd; the
//	  Code's deadline 29 Apr) upheld and partly upheld, £50 time and
//	  trouble paid 1 May, an action due 15 May done 10 May, learning.
//	B complaint phone repairs [damp] LCHO bob, 20 Apr: acknowledged 28
//	  Apr (6 wd, late), extended 5 wd within the Code's cap, responded 19
//	  May (20 wd; the Code's deadline 20 May) not upheld, £25 goodwill not
//	  paid, an action due 15 Jul open.
//	C complaint web estates [] LCR cat, 1 May (Fri): acknowledged 5 May
//	  (1 wd), extended 15 wd with agreement, beyond the Code's cap of 10,
//	  responded 10 Jun (26 wd; the Code's deadline 3 Jun: late) upheld, £15
//	  goodwill paid 12 Jun, an action due 20 Jun open (overdue), learning;
//	  escalated 15 Jun, stage 2 acknowledged 17 Jun (2 wd), responded 8 Jul.
//	D complaint phone repairs [communication] no tenure ann, 11 May:
//	  refused 12 May, previously considered. Ann's second complaint.
//	E complaint email estates [] LCR eve, 20 May: withdrawn 22 May.
//	F complaint letter repairs [noise] LCR fay, 2 Feb, before the quarter:
//	  responded 13 Feb with an action due 1 Mar never done; escalated 1
//	  Apr, stage 2 acknowledged 2 Apr (1 wd), responded 27 Apr (16 wd; the
//	  Code's deadline 5 May) partly upheld, £100 distress and
//	  inconvenience paid 5 May, learning.
//	G complaint phone repairs [heating] LCR fay, 25 Jun: acknowledged 1
//	  Jul, after the quarter. Fay's first complaint of the quarter.
//	H compliment, 1 Jul: after the quarter.
//	I service request phone repairs [damp] LCR ivy, 7 Apr.
//	J compliment email estates [] LCHO jo, 30 Jun, the quarter's last day.
//	K enquiry web, no service area, no tenure, bob, 30 Apr: Bob's
//	  second contact but not a second complaint.
func testManagementFigures(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	w.now = time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	const lcr, lcho complaint.Tenure = "low_cost_rental", "low_cost_home_ownership"
	ack2 := complaint.Acknowledge{Points: []string{"Repair not done", "Not kept informed"}}
	email := func(name string) string { return name + "@example.org" }
	ref := map[string]string{}

	ref["A"] = w.tell(t, s, contact{"complaint", "email", "repairs", []string{"damp", "communication"}, lcr, email("ann"), "2026-04-13"},
		step{"2026-04-15", ack2},
		step{"2026-04-24", respond("Call back the same day", []complaint.RemedyInput{compensation(5000, "time_and_trouble"), action("2026-05-15")}, "upheld", "partly_upheld")},
		step{"2026-05-01", done(1)}, step{"2026-05-10", done(2)})
	ref["B"] = w.tell(t, s, contact{"complaint", "phone", "repairs", []string{"damp"}, lcho, email("bob"), "2026-04-20"},
		step{"2026-04-28", ack},
		step{"2026-05-01", complaint.Extend{WorkingDays: 5, Reason: "survey", OmbudsmanDetailsGiven: true}},
		step{"2026-05-19", respond("", []complaint.RemedyInput{compensation(2500, "goodwill"), action("2026-07-15")}, "not_upheld")})
	ref["C"] = w.tell(t, s, contact{"complaint", "web", "estates", nil, lcr, email("cat"), "2026-05-01"},
		step{"2026-05-05", ack},
		// Extended on 20 May, after the Code's deadline of 19 May: the
		// response on 10 June is outside the Code's timescale (Code 6.4).
		step{"2026-05-20", complaint.Extend{WorkingDays: 15, Reason: "contractor", AgreedWithResident: true, OmbudsmanDetailsGiven: true, GoodReason: "the only contractor for the work is booked up"}},
		step{"2026-06-10", respond("Agree contractor dates in writing", []complaint.RemedyInput{compensation(1500, "goodwill"), action("2026-06-20")}, "upheld")},
		step{"2026-06-12", done(1)},
		step{"2026-06-15", escalate}, step{"2026-06-17", ack}, step{"2026-07-08", respond("", nil, "not_upheld")})
	ref["D"] = w.tell(t, s, contact{"complaint", "phone", "repairs", []string{"communication"}, "", email("ann"), "2026-05-11"},
		step{"2026-05-12", complaint.Refuse{Exclusion: "previously_considered", Explanation: "answered in March"}})
	ref["E"] = w.tell(t, s, contact{"complaint", "email", "estates", nil, lcr, email("eve"), "2026-05-20"},
		step{"2026-05-22", complaint.Withdraw{Reason: "sorted"}})
	ref["F"] = w.tell(t, s, contact{"complaint", "letter", "repairs", []string{"noise"}, lcr, email("fay"), "2026-02-02"},
		step{"2026-02-04", ack}, step{"2026-02-13", respond("", []complaint.RemedyInput{action("2026-03-01")}, "not_upheld")},
		step{"2026-04-01", escalate}, step{"2026-04-02", ack},
		step{"2026-04-27", respond("Check the repair history first", []complaint.RemedyInput{compensation(10000, "distress_and_inconvenience")}, "partly_upheld")},
		step{"2026-05-05", done(2)})
	ref["G"] = w.tell(t, s, contact{"complaint", "phone", "repairs", []string{"heating"}, lcr, email("fay"), "2026-06-25"},
		step{"2026-07-01", ack})
	w.tell(t, s, contact{"compliment", "email", "repairs", nil, lcr, email("hal"), "2026-07-01"})
	w.tell(t, s, contact{"service_request", "phone", "repairs", []string{"damp"}, lcr, email("ivy"), "2026-04-07"})
	w.tell(t, s, contact{"compliment", "email", "estates", nil, lcho, email("jo"), "2026-06-30"})
	w.tell(t, s, contact{"enquiry", "web", "", nil, "", email("bob"), "2026-04-30"})

	d := calendar.MustParseDate
	from, to := d("2026-04-01"), d("2026-06-30")
	tenure := func(t complaint.Tenure) *complaint.Tenure { return &t }
	times := func(n int, median, p90 float64, h map[int]int) report.Times {
		return report.Times{N: n, Median: median, P90: p90, Histogram: h}
	}
	rate := func(num, den int, v float64) report.Rate { return report.Rate{Num: num, Den: den, Value: v} }
	learning := func(name string, stage int, responded, area, text string) report.Learning {
		return report.Learning{Reference: ref[name], Stage: stage, Responded: d(responded), ServiceArea: area, Text: text}
	}
	months := func(apr, may, jun int) []report.Row {
		return []report.Row{{Label: "2026-04", N: apr}, {Label: "2026-05", N: may}, {Label: "2026-06", N: jun}}
	}

	tests := []struct {
		name string
		f    report.Filter
		want report.Management
	}{
		{
			name: "the quarter",
			f:    report.Filter{From: from, To: to},
			want: report.Management{
				// A B C D E G I J K.
				ByKind:        []report.Row{{Label: "complaint", N: 6}, {Label: "compliment", N: 1}, {Label: "enquiry", N: 1}, {Label: "service_request", N: 1}},
				ByChannel:     []report.Row{{Label: "phone", N: 4}, {Label: "email", N: 3}, {Label: "web", N: 2}},
				ByServiceArea: []report.Row{{Label: "repairs", N: 5}, {Label: "estates", N: 3}, {Label: "", N: 1}},
				ByCategory:    []report.Row{{Label: "damp", N: 3}, {Label: "communication", N: 2}, {Label: "heating", N: 1}},
				ByMonth:       months(4, 3, 2),
				Stages: []report.StageFigures{
					{
						// Received A B C E G (D refused); acknowledged A B C;
						// responded A B C.
						Stage: 1, Received: 5,
						Acknowledge:        times(3, 2, 6, map[int]int{2: 1, 6: 1, 1: 1}),
						Respond:            times(3, 20, 26, map[int]int{9: 1, 20: 1, 26: 1}),
						AcknowledgedOnTime: rate(2, 3, 66.7), RespondedOnTime: rate(2, 3, 66.7),
						Extended: 2, OverCodeCap: 1, Upheld: 2, PartlyUpheld: 1, NotUpheld: 1,
						Refusals: []report.Row{{Label: "previously_considered", N: 1}}, Withdrawn: 1,
					},
					{
						// Received F C; acknowledged F C; responded F.
						Stage: 2, Received: 2,
						Acknowledge:        times(2, 1, 2, map[int]int{1: 1, 2: 1}),
						Respond:            times(1, 16, 16, map[int]int{16: 1}),
						AcknowledgedOnTime: rate(2, 2, 100), RespondedOnTime: rate(1, 1, 100),
						PartlyUpheld: 1, Refusals: []report.Row{},
					},
				},
				Compensation: []report.Money{
					{Label: "goodwill", Offered: 2, OfferedPence: 4000, Paid: 1, PaidPence: 1500},
					{Label: "time_and_trouble", Offered: 1, OfferedPence: 5000, Paid: 1, PaidPence: 5000},
					{Label: "distress_and_inconvenience", Offered: 1, OfferedPence: 10000, Paid: 1, PaidPence: 10000},
				},
				// A's done; B's open, due after the quarter; C's open and
				// overdue; F's offered in February, so not counted.
				ActionsOpen: 2, ActionsDone: 1, ActionsOverdue: 1,
				RepeatComplainants: 1, // Ann
				Learning: []report.Learning{
					learning("C", 1, "2026-06-10", "estates", "Agree contractor dates in writing"),
					learning("F", 2, "2026-04-27", "repairs", "Check the repair history first"),
					learning("A", 1, "2026-04-24", "repairs", "Call back the same day"),
				},
			},
		},
		{
			name: "repairs",
			f:    report.Filter{From: from, To: to, ServiceArea: "repairs"},
			want: report.Management{
				// A B D G I.
				ByKind:        []report.Row{{Label: "complaint", N: 4}, {Label: "service_request", N: 1}},
				ByChannel:     []report.Row{{Label: "phone", N: 4}, {Label: "email", N: 1}},
				ByServiceArea: []report.Row{{Label: "repairs", N: 5}},
				ByCategory:    []report.Row{{Label: "damp", N: 3}, {Label: "communication", N: 2}, {Label: "heating", N: 1}},
				ByMonth:       months(3, 1, 1),
				Stages: []report.StageFigures{
					{
						Stage: 1, Received: 3, // A B G
						Acknowledge:        times(2, 2, 6, map[int]int{2: 1, 6: 1}),
						Respond:            times(2, 9, 20, map[int]int{9: 1, 20: 1}),
						AcknowledgedOnTime: rate(1, 2, 50), RespondedOnTime: rate(2, 2, 100),
						Extended: 1, Upheld: 1, PartlyUpheld: 1, NotUpheld: 1,
						Refusals: []report.Row{{Label: "previously_considered", N: 1}},
					},
					{
						Stage: 2, Received: 1, // F
						Acknowledge:        times(1, 1, 1, map[int]int{1: 1}),
						Respond:            times(1, 16, 16, map[int]int{16: 1}),
						AcknowledgedOnTime: rate(1, 1, 100), RespondedOnTime: rate(1, 1, 100),
						PartlyUpheld: 1, Refusals: []report.Row{},
					},
				},
				Compensation: []report.Money{
					{Label: "goodwill", Offered: 1, OfferedPence: 2500},
					{Label: "time_and_trouble", Offered: 1, OfferedPence: 5000, Paid: 1, PaidPence: 5000},
					{Label: "distress_and_inconvenience", Offered: 1, OfferedPence: 10000, Paid: 1, PaidPence: 10000},
				},
				ActionsOpen: 1, ActionsDone: 1, ActionsOverdue: 0,
				RepeatComplainants: 1, // Ann: A and D are both repairs
				Learning: []report.Learning{
					learning("F", 2, "2026-04-27", "repairs", "Check the repair history first"),
					learning("A", 1, "2026-04-24", "repairs", "Call back the same day"),
				},
			},
		},
		{
			name: "low-cost rental",
			f:    report.Filter{From: from, To: to, Tenure: tenure(lcr)},
			want: report.Management{
				// A C E G I.
				ByKind:        []report.Row{{Label: "complaint", N: 4}, {Label: "service_request", N: 1}},
				ByChannel:     []report.Row{{Label: "email", N: 2}, {Label: "phone", N: 2}, {Label: "web", N: 1}},
				ByServiceArea: []report.Row{{Label: "repairs", N: 3}, {Label: "estates", N: 2}},
				ByCategory:    []report.Row{{Label: "damp", N: 2}, {Label: "communication", N: 1}, {Label: "heating", N: 1}},
				ByMonth:       months(2, 2, 1),
				Stages: []report.StageFigures{
					{
						Stage: 1, Received: 4, // A C E G
						Acknowledge:        times(2, 1, 2, map[int]int{2: 1, 1: 1}),
						Respond:            times(2, 9, 26, map[int]int{9: 1, 26: 1}),
						AcknowledgedOnTime: rate(2, 2, 100), RespondedOnTime: rate(1, 2, 50),
						Extended: 1, OverCodeCap: 1, Upheld: 2, PartlyUpheld: 1,
						Refusals: []report.Row{}, Withdrawn: 1,
					},
					{
						Stage: 2, Received: 2, // F C
						Acknowledge:        times(2, 1, 2, map[int]int{1: 1, 2: 1}),
						Respond:            times(1, 16, 16, map[int]int{16: 1}),
						AcknowledgedOnTime: rate(2, 2, 100), RespondedOnTime: rate(1, 1, 100),
						PartlyUpheld: 1, Refusals: []report.Row{},
					},
				},
				Compensation: []report.Money{
					{Label: "goodwill", Offered: 1, OfferedPence: 1500, Paid: 1, PaidPence: 1500},
					{Label: "time_and_trouble", Offered: 1, OfferedPence: 5000, Paid: 1, PaidPence: 5000},
					{Label: "distress_and_inconvenience", Offered: 1, OfferedPence: 10000, Paid: 1, PaidPence: 10000},
				},
				ActionsOpen: 1, ActionsDone: 1, ActionsOverdue: 1,
				RepeatComplainants: 0, // Ann's D has no tenure recorded
				Learning: []report.Learning{
					learning("C", 1, "2026-06-10", "estates", "Agree contractor dates in writing"),
					learning("F", 2, "2026-04-27", "repairs", "Check the repair history first"),
					learning("A", 1, "2026-04-24", "repairs", "Call back the same day"),
				},
			},
		},
		{
			name: "no tenure recorded, stage 2 only",
			f:    report.Filter{From: from, To: to, Tenure: tenure(""), Stage: 2},
			want: report.Management{
				// D K.
				ByKind:        []report.Row{{Label: "complaint", N: 1}, {Label: "enquiry", N: 1}},
				ByChannel:     []report.Row{{Label: "phone", N: 1}, {Label: "web", N: 1}},
				ByServiceArea: []report.Row{{Label: "", N: 1}, {Label: "repairs", N: 1}},
				ByCategory:    []report.Row{{Label: "communication", N: 1}},
				ByMonth:       months(1, 1, 0),
				Stages: []report.StageFigures{{
					Stage: 2, Acknowledge: times(0, 0, 0, map[int]int{}), Respond: times(0, 0, 0, map[int]int{}), Refusals: []report.Row{},
				}},
				Compensation: []report.Money{},
				Learning:     []report.Learning{},
			},
		},
	}
	// The stage filter narrows the stage figures and the learning log, not
	// the volumes, compensation or actions.
	stage1 := tests[0]
	stage1.name, stage1.f.Stage = "stage 1 only", 1
	stage1.want.Stages = stage1.want.Stages[:1]
	stage1.want.Learning = []report.Learning{stage1.want.Learning[0], stage1.want.Learning[2]}
	tests = append(tests, stage1)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ManagementFigures(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Filter = tt.f
			same := func(what string, got, want any) {
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
				}
			}
			same("by kind", got.ByKind, tt.want.ByKind)
			same("by channel", got.ByChannel, tt.want.ByChannel)
			same("by service area", got.ByServiceArea, tt.want.ByServiceArea)
			same("by category", got.ByCategory, tt.want.ByCategory)
			same("by month", got.ByMonth, tt.want.ByMonth)
			same("stages", got.Stages, tt.want.Stages)
			same("compensation", got.Compensation, tt.want.Compensation)
			same("actions open, done, overdue", []int{got.ActionsOpen, got.ActionsDone, got.ActionsOverdue},
				[]int{tt.want.ActionsOpen, tt.want.ActionsDone, tt.want.ActionsOverdue})
			same("repeat complainants", got.RepeatComplainants, tt.want.RepeatComplainants)
			same("learning", got.Learning, tt.want.Learning)
			if !t.Failed() {
				same("everything", got, tt.want)
			}
		})
	}

	if _, err := s.ManagementFigures(ctx, report.Filter{From: to, To: from}); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a period that runs backwards: %v, want invalid", err)
	}
}
