package webui_test

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

// londonAt is a London date at an hour.
func londonAt(date string, hour int) time.Time {
	d := calendar.MustParseDate(date)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, calendar.London)
}

// step is one dated command in a case's life.
type step struct {
	when string
	cmd  complaint.Command
}

// contact is a contact to log for the reports, received on a date.
type contact struct {
	kind         complaint.Kind
	channel      complaint.Channel
	tenure       complaint.Tenure
	confidential bool
	area         string
	categories   []string
	email        string
	received     string
}

// story logs a contact as the officer and runs its steps, each on its own
// date, as the officer (the reviewer handles stage 2); each response is
// sent as a letter the same day. It returns the reference.
func (s *site) story(c contact, steps ...step) string {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	env := func(role string, at time.Time, ref store.NewReference) complaint.Env {
		return complaint.Env{Now: s.now, At: at, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: s.p, Calendar: cal, NewReference: ref}
	}
	if c.kind == "" {
		c.kind = complaint.KindComplaint
	}
	if c.channel == "" {
		c.channel = "phone"
	}
	if c.email == "" {
		c.email = "resident-" + c.received + "@example.org"
	}
	recv := londonAt(c.received, 10)
	cs, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: c.kind, Channel: c.channel, ReceivedAt: &recv, Tenure: c.tenure, Confidential: c.confidential,
			ServiceArea: c.area, Categories: c.categories,
			Complainant: complaint.Person{Name: "A Resident", Email: c.email}, Summary: "received " + c.received}, env("officer", recv, ref))
	})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, st := range steps {
		// Stage 2 is the reviewer's, who had no part in stage 1 (Code 6.13).
		role := "officer"
		if cs.Stage == 2 {
			role = "reviewer"
		}
		cs, err = s.st.UpdateCase(context.Background(), cs.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, st.cmd, env(role, londonAt(st.when, 11), nr))
		})
		if err != nil {
			s.t.Fatalf("case received %s, step on %s: %v", c.received, st.when, err)
		}
		if _, ok := st.cmd.(complaint.Respond); ok {
			// A stage is responded to when its written response is sent:
			// the response letter goes by email the same day.
			cs = s.sendResponse(cs, role, env(role, londonAt(st.when, 11), nil))
		}
	}
	return cs.Reference
}

// sendResponse issues the current stage's response letter by email, so
// the stage counts as responded to whether a response is its decisions
// or its letter sent.
func (s *site) sendResponse(c complaint.Case, role string, env complaint.Env) complaint.Case {
	s.t.Helper()
	stage := max(c.Stage, 1)
	kind := fmt.Sprintf("stage%d_response", stage)
	title := fmt.Sprintf("Stage %d response", stage)
	pdf := []byte("%PDF-1.3 " + title + " " + c.Reference)
	sum := sha256.Sum256(pdf)
	l := store.Letter{Kind: kind, Title: title, Stage: stage, IssuedAt: env.At, IssuedBy: role + "@example.org", Channel: "email",
		Recipient: "A Resident", Subject: title, Body: "Dear resident", PDF: pdf, SHA256: hex.EncodeToString(sum[:])}
	next, _, err := s.st.IssueLetter(context.Background(), c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		env.NewReference = nr
		return complaint.Decide(c, complaint.RecordLetter{Kind: kind, Title: title, Channel: "email", SHA256: l.SHA256}, env)
	}, l, nil)
	if err != nil {
		s.t.Fatalf("%s: the %s: %v", c.Reference, title, err)
	}
	return next
}

var (
	ackPoint  = complaint.Acknowledge{Points: []string{"The repair was not done"}}
	upheld    = complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It was not done."}}}
	escalated = complaint.Escalate{}
)

// reportYear is a year of cases with known figures, in the reporting year
// 2026/27 up to the site's today (23 November 2026), with homes recorded:
// 1,000 for low-cost rental and 500 for low-cost home ownership.
//
//	A  rental, Repairs, on time; compensation, an overdue action, learning
//	B  ownership, Repairs, extended beyond the Code's cap, so late
//	C  rental, Neighbourhoods, confidential, withdrawn
//	D  ownership, refused: not counted
//	E  no tenure, late
//	H  rental, Repairs, both stages on time; the same resident as A
//	K  a compliment by email, Repairs: not a complaint
func reportYear(s *site) map[string]string {
	s.t.Helper()
	s.p.Homes = []policy.Homes{{Year: 2026, LowCostRental: 1000, LowCostHomeOwnership: 500}}
	const lcr, lcho complaint.Tenure = "low_cost_rental", "low_cost_home_ownership"
	respondA := upheld
	respondA.Remedies = []complaint.RemedyInput{
		{Kind: complaint.RemedyCompensation, Description: "For the time and trouble", AmountPence: 15000, CompensationKind: "time_and_trouble"},
		{Kind: complaint.RemedyAction, Description: "Survey the damp", Owner: "Repairs team", Due: "2026-05-20"},
	}
	respondA.Learning = "Book damp surveys within a week"
	refs := map[string]string{
		"A": s.story(contact{tenure: lcr, area: "Repairs", categories: []string{"Damp and mould"}, email: "jo@example.org", received: "2026-04-10"},
			step{"2026-04-13", ackPoint}, step{"2026-04-20", respondA}),
		"B": s.story(contact{tenure: lcho, area: "Repairs", categories: []string{"Damp and mould", "Communication"}, received: "2026-06-01"},
			step{"2026-06-02", ackPoint},
			// Extended on 17 June, after the Code's deadline of 16 June:
			// the response is outside the Code's timescale (Code 6.4).
			step{"2026-06-17", complaint.Extend{WorkingDays: 15, Reason: "contractor", AgreedWithResident: true, OmbudsmanDetailsGiven: true, GoodReason: "the only contractor for the work is booked up"}},
			step{"2026-07-03", upheld}),
		"C": s.story(contact{tenure: lcr, area: "Neighbourhoods", confidential: true, received: "2026-08-03"},
			step{"2026-08-04", complaint.Withdraw{Reason: "resolved"}}),
		"D": s.story(contact{tenure: lcho, received: "2026-07-01"},
			step{"2026-07-02", complaint.Refuse{Exclusion: "legal_proceedings", Explanation: "in court"}}),
		"E": s.story(contact{received: "2026-09-01"}, step{"2026-09-02", ackPoint}, step{"2026-09-30", upheld}),
		"H": s.story(contact{tenure: lcr, area: "Repairs", email: "jo@example.org", received: "2026-11-02"},
			step{"2026-11-03", ackPoint}, step{"2026-11-10", upheld}, step{"2026-11-16", escalated}, step{"2026-11-17", ackPoint}, step{"2026-11-20", upheld}),
		"K": s.story(contact{kind: complaint.KindCompliment, channel: "email", area: "Repairs", received: "2026-10-01"}),
	}
	for name, answer := range map[string]string{"A": "very_satisfied", "B": "fairly_dissatisfied"} {
		if err := s.st.RecordSurvey(context.Background(), refs[name], answer, "", londonAt("2026-11-20", 12)); err != nil {
			s.t.Fatal(err)
		}
	}
	return refs
}

// readCSV parses a download, failing the test on a malformed one.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	return rows
}
