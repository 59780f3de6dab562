package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// Words that must never appear in a notice: the complaint's own text and
// the resident's other details.
const (
	secretSummary     = "Mould in the back bedroom"
	secretDescription = "My son has asthma"
	residentPhone     = "07700 900123"
)

// sim runs a case through the real rules in memory, numbering its events
// as storage would.
type sim struct {
	t     *testing.T
	p     *policy.Policy
	cal   *calendar.Calendar
	clock time.Time
	n     int
	c     complaint.Case
	trail []complaint.Event
}

func newSim(t *testing.T, p *policy.Policy, create complaint.Create) *sim {
	t.Helper()
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &sim{t: t, p: p, cal: cal, clock: time.Date(2026, 11, 23, 10, 0, 0, 0, calendar.London)}
	c, ev, err := complaint.NewCase(create, s.env("olu@landlord.example"))
	if err != nil {
		t.Fatal(err)
	}
	s.c = c
	s.add(ev)
	return s
}

func (s *sim) env(actor string) complaint.Env {
	return complaint.Env{
		Now: s.clock, Actor: complaint.Actor{Email: actor, Role: "officer"}, Policy: s.p, Calendar: s.cal,
		NewReference: func(year int) (string, error) {
			s.n++
			return store.FormatReference(year, int64(s.n)), nil
		},
	}
}

func (s *sim) add(ev complaint.Event) int {
	ev.Seq = len(s.trail) + 1
	s.trail = append(s.trail, ev)
	return ev.Seq
}

// do gives a command a day after the last, and returns its event's seq.
func (s *sim) do(actor string, cmd complaint.Command) int {
	s.t.Helper()
	s.clock = s.clock.Add(24 * time.Hour)
	c, ev, err := complaint.Decide(s.c, cmd, s.env(actor))
	if err != nil {
		s.t.Fatalf("%T: %v", cmd, err)
	}
	s.c = c
	return s.add(ev)
}

// respond records the decisions and issues the stage's response letter
// by channel, a day apart, and returns the letter's event's seq: the
// response is the letter (issue 12, rule 1).
func (s *sim) respond(actor, channel string) int {
	s.t.Helper()
	s.do(actor, respond)
	return s.do(actor, letter(complaint.ResponseLetterKind(s.c.Stage), channel))
}

// facts are the facts of event seq, decided an hour after the last event.
func (s *sim) facts(seq int) Facts {
	return Facts{
		EventID: int64(1000 + seq), Event: s.trail[seq-1], Case: s.c, Trail: s.trail,
		SurveyToken: "tok_123", Now: s.clock.Add(time.Hour),
	}
}

func resident(mod ...func(*complaint.Create)) complaint.Create {
	cmd := complaint.Create{
		Kind: complaint.KindComplaint, Channel: "phone",
		Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org", Phone: residentPhone},
		Summary:     secretSummary, Description: secretDescription,
	}
	for _, m := range mod {
		m(&cmd)
	}
	return cmd
}

var (
	ack      = complaint.Acknowledge{Points: []string{"The mould was not treated"}}
	extend   = complaint.Extend{WorkingDays: 5, Reason: "Waiting for a survey", OmbudsmanDetailsGiven: true}
	respond  = complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "We were slow"}}}
	officer  = "olu@landlord.example"
	reviewer = "rita@landlord.example"
	manager  = "mo@landlord.example"
)

func letter(kind, channel string) complaint.RecordLetter {
	return complaint.RecordLetter{Kind: kind, Title: kind, Channel: channel, SHA256: strings.Repeat("ab", 32)}
}

func settings() Settings {
	p, _ := policy.Preset("code-2024")
	return Settings{ServiceName: "Complaints team", BaseURL: "https://complaints.example", Ombudsman: p.Ombudsman,
		MaxAge: DefaultMaxAge, SurveyValidFor: DefaultSurveyValidFor}
}

func code2024(t *testing.T) *policy.Policy {
	p, _ := policytest.Code(t)
	return p
}

// TestNoticesOfEachEvent checks which notices each event yields, to
// whom, and that each says what happens next and by when.
func TestNoticesOfEachEvent(t *testing.T) {
	tests := []struct {
		name string
		// build returns the facts of the event under test.
		build func(t *testing.T) Facts
		// want are the notices, as audience, recipient and kind; none
		// means no notice, for the reason containing skip.
		audience     Audience
		to, kind     string
		subject      string
		body         []string // each must appear in the body
		skip         string
		survey       bool
		settingsHook func(*Settings)
	}{
		{
			name: "a complaint logged from a phone call is confirmed, with the acknowledgement date",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident()).facts(1)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_created",
			subject: "We have received your complaint (C-2026-000001)",
			body: []string{"Dear Ada Resident", "received your complaint on Monday 23 November 2026", "acknowledge the complaint by Monday 30 November 2026",
				"follow it online at https://complaints.example/track", "Complaints team"},
		},
		{
			name: "a web complaint is confirmed too",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Channel = "web" })).facts(1)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_created",
			subject: "We have received your complaint (C-2026-000001)",
		},
		{
			name: "no email address, no notice",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Complainant.Email = "" })).facts(1)
			},
			skip: "no email address",
		},
		{
			name: "an adjustment asking for post only means no email",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Adjustments = []string{"Letters by POST ONLY please"} })).facts(1)
			},
			skip: "adjustments ask for no email",
		},
		{
			name: "a representative with consent gets the notice instead",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) {
					c.Representative = &complaint.Representative{Name: "Cllr Ben Rep", Relationship: "councillor", ConsentRecorded: true, Email: "ben@council.example"}
				})).facts(1)
			},
			audience: Resident, to: `"Cllr Ben Rep" <ben@council.example>`, kind: "notice_created",
			subject: "We have received the complaint (C-2026-000001)",
			body:    []string{"Dear Cllr Ben Rep"},
		},
		{
			name: "a representative without consent on record does not",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) {
					c.Representative = &complaint.Representative{Name: "Ben Rep", Relationship: "neighbour", Email: "ben@example.net"}
				})).facts(1)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_created",
		},
		{
			name: "a representative with consent but no email gets nothing, and the resident nothing either",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) {
					c.Representative = &complaint.Representative{Name: "Ben Rep", Relationship: "advocate", ConsentRecorded: true}
				})).facts(1)
			},
			skip: "representative has no email",
		},
		{
			name: "a compliment is thanked",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Kind = complaint.KindCompliment })).facts(1)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_created",
			subject: "Thank you for your compliment (C-2026-000001)",
		},
		{
			name: "a confirmation is superseded by an acknowledgement recorded before it went",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				return s.facts(1)
			},
			skip: "later acknowledged event",
		},
		{
			name: "acknowledged: the response date",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				return s.facts(s.do(officer, ack))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_acknowledged",
			subject: "We have acknowledged your complaint (C-2026-000001)",
			body:    []string{"stage 1 complaint C-2026-000001", "send you our response by Tuesday 8 December 2026"},
		},
		{
			name: "acknowledged, then the acknowledgement letter by email: the letter is the notice",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				seq := s.do(officer, ack)
				s.do(officer, letter("acknowledgement", "email"))
				return s.facts(seq)
			},
			skip: "acknowledgement letter went by email",
		},
		{
			name: "acknowledged, then the acknowledgement letter by post: the notice says so",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				seq := s.do(officer, ack)
				s.do(officer, letter("acknowledgement", "print"))
				return s.facts(seq)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_acknowledged",
			body: []string{"sent you a letter about this by post"},
		},
		{
			name: "a letter of another kind does not stand in for the notice",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				seq := s.do(officer, ack)
				s.do(officer, letter("extension", "email"))
				return s.facts(seq)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_acknowledged",
		},
		{
			name: "extended: the new date and the Ombudsman",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				return s.facts(s.do(officer, extend))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_extended",
			subject: "We need more time to respond to your complaint (C-2026-000001)",
			body:    []string{"now send you our response by Tuesday 15 December 2026", "Housing Ombudsman Service, PO Box 1484"},
		},
		{
			name: "responded at stage 1: the right to stage 2",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				return s.facts(s.respond(officer, "print"))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_responded",
			subject: "We have responded to your complaint (C-2026-000001)",
			body:    []string{"stage 1 response", "look at your complaint again at stage 2"},
		},
		{
			name: "decisions recorded: a draft no one hears of",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				return s.facts(s.do(officer, respond))
			},
		},
		{
			name: "the response letter by email is its own notice",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				return s.facts(s.respond(officer, "email"))
			},
			skip: "the stage1_response letter went by email",
		},
		{
			name: "escalated, with a new reference: the subject carries it",
			build: func(t *testing.T) Facts {
				p := *code2024(t)
				p.Stage2.NewReference = true
				s := newSim(t, &p, resident())
				s.do(officer, ack)
				s.respond(officer, "print")
				return s.facts(s.do(officer, complaint.Escalate{Reason: "Still mouldy"}))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_escalated",
			subject: "Your complaint has moved to stage 2 (C-2026-000002)",
			body:    []string{"stage 2 reference is C-2026-000002 (it was C-2026-000001 at stage 1)", "acknowledge it by"},
		},
		{
			name: "responded at stage 2: the end of the procedure, and the Ombudsman",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				s.respond(officer, "print")
				s.do(officer, complaint.Escalate{})
				s.do(reviewer, complaint.Assign{Handler: reviewer, HandlerRole: "manager"})
				s.do(reviewer, ack)
				return s.facts(s.respond(reviewer, "print"))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_responded",
			subject: "Our final response to your complaint (C-2026-000001)",
			body:    []string{"stage 2 response", "end of our complaints procedure", "Housing Ombudsman Service"},
		},
		{
			name: "closed: the survey link",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				s.respond(officer, "print")
				return s.facts(s.do(officer, complaint.Close{}))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_closed",
			subject: "We have closed your complaint: tell us how we did (C-2026-000001)",
			body:    []string{"https://complaints.example/survey/tok_123", "The link works once, until"},
			survey:  true,
		},
		{
			name: "closed without a base URL: no link, no invitation",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				s.do(officer, ack)
				s.respond(officer, "print")
				return s.facts(s.do(officer, complaint.Close{}))
			},
			settingsHook: func(s *Settings) { s.BaseURL = "" },
			audience:     Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_closed",
			subject: "We have closed your complaint (C-2026-000001)",
		},
		{
			name: "closing a compliment says nothing",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Kind = complaint.KindCompliment }))
				return s.facts(s.do(officer, complaint.Close{}))
			},
			skip: "closing a compliment",
		},
		{
			name: "closing a compliment does not supersede its thanks",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Kind = complaint.KindCompliment }))
				s.do(officer, complaint.Close{})
				return s.facts(1)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_created",
		},
		{
			name: "converted into a complaint",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Kind = complaint.KindEnquiry }))
				return s.facts(s.do(officer, complaint.Convert{}))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_converted",
			subject: "We are treating your enquiry as a complaint (C-2026-000001)",
			body:    []string{"stage 1 of our complaints procedure", "acknowledge the complaint by"},
		},
		{
			name: "withdrawn",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				return s.facts(s.do(officer, complaint.Withdraw{Reason: "Sorted out"}))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_withdrawn",
			subject: "Your complaint has been withdrawn (C-2026-000001)",
		},
		{
			name: "refused: the Ombudsman",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				return s.facts(s.do(officer, complaint.Refuse{Exclusion: "legal_proceedings", Explanation: "A claim is at court"}))
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_refused",
			subject: "We cannot take your complaint forward (C-2026-000001)",
			body:    []string{"Housing Ombudsman Service"},
		},
		{
			name: "refused, with the refusal letter by email: no notice",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				seq := s.do(officer, complaint.Refuse{Exclusion: "legal_proceedings", Explanation: "A claim is at court"})
				s.do(officer, letter("refusal", "email"))
				return s.facts(seq)
			},
			skip: "refusal letter went by email",
		},
		{
			name: "an event older than the maximum age gets no notice",
			build: func(t *testing.T) Facts {
				f := newSim(t, code2024(t), resident()).facts(1)
				f.Now = f.Event.At.Add(8 * 24 * time.Hour)
				return f
			},
			skip: "more than",
		},
		{
			name: "a note gets no notice",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				return s.facts(s.do(officer, complaint.Note{Text: "Called the resident"}))
			},
		},
		{
			name: "assigned by a manager: the officer is told, without the resident's details",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				f := s.facts(s.do(manager, complaint.Assign{Handler: officer, HandlerRole: "officer"}))
				f.Handler = store.User{Email: officer, Name: "Olu Officer", Role: "officer"}
				return f
			},
			audience: Officer, to: `"Olu Officer" <olu@landlord.example>`, kind: "notice_assigned",
			subject: "Case C-2026-000001 has been assigned to you",
			body:    []string{"Hello Olu Officer", "Stage 1 complaint C-2026-000001", "acknowledge it by Monday 30 November 2026", "https://complaints.example/cases/C-2026-000001"},
		},
		{
			name: "assigned to oneself: nothing",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				f := s.facts(s.do(officer, complaint.Assign{Handler: officer, HandlerRole: "officer"}))
				f.Handler = store.User{Email: officer, Name: "Olu Officer", Role: "officer"}
				return f
			},
			skip: "to themselves",
		},
		{
			name: "assigned on a confidential case: nothing",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Confidential = true }))
				f := s.facts(s.do(manager, complaint.Assign{Handler: officer, HandlerRole: "officer"}))
				f.Handler = store.User{Email: officer, Name: "Olu Officer", Role: "officer"}
				return f
			},
			skip: "confidential",
		},
		{
			name: "a confidential case's resident still hears of it",
			build: func(t *testing.T) Facts {
				return newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Confidential = true })).facts(1)
			},
			audience: Resident, to: `"Ada Resident" <ada@example.org>`, kind: "notice_created",
		},
		{
			name: "assigned to someone who is not a user: nothing",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				return s.facts(s.do(manager, complaint.Assign{Handler: "gone@landlord.example", HandlerRole: "officer"}))
			},
			skip: "not a user",
		},
		{
			name: "reassigned before the notice went: the first officer is not told",
			build: func(t *testing.T) Facts {
				s := newSim(t, code2024(t), resident())
				seq := s.do(manager, complaint.Assign{Handler: officer, HandlerRole: "officer"})
				s.do(manager, complaint.Assign{Handler: "priya@landlord.example", HandlerRole: "officer"})
				f := s.facts(seq)
				f.Handler = store.User{Email: officer, Name: "Olu Officer", Role: "officer"}
				return f
			},
			skip: "no longer the case's handler",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.build(t)
			s := settings()
			if tt.settingsHook != nil {
				tt.settingsHook(&s)
			}
			ns, skipped := Notices(f, s)
			if tt.to == "" {
				if len(ns) != 0 {
					t.Fatalf("notices %+v, want none", ns)
				}
				if tt.skip == "" && len(skipped) != 0 {
					t.Errorf("skipped %q, want no reason", skipped)
				}
				if tt.skip != "" && (len(skipped) != 1 || !strings.Contains(skipped[0], tt.skip)) {
					t.Errorf("skipped %q, want a reason containing %q", skipped, tt.skip)
				}
				return
			}
			if len(ns) != 1 {
				t.Fatalf("notices %+v (skipped %q), want one", ns, skipped)
			}
			n := ns[0]
			m := n.Message
			if n.Audience != tt.audience || m.To != tt.to || m.Kind != tt.kind {
				t.Errorf("notice to %s %q of kind %s, want %s %q of kind %s", n.Audience, m.To, m.Kind, tt.audience, tt.to, tt.kind)
			}
			if tt.subject != "" && m.Subject != tt.subject {
				t.Errorf("subject %q, want %q", m.Subject, tt.subject)
			}
			if !strings.Contains(m.Subject, f.Case.Reference) && !strings.Contains(m.Subject, stageRef(&f.Case, f.Case.Stage)) {
				t.Errorf("subject %q has no reference", m.Subject)
			}
			for _, want := range tt.body {
				if !strings.Contains(m.TextBody, want) {
					t.Errorf("body lacks %q:\n%s", want, m.TextBody)
				}
			}
			for _, secret := range []string{secretSummary, secretDescription, residentPhone} {
				if strings.Contains(m.TextBody, secret) || strings.Contains(m.Subject, secret) {
					t.Errorf("the notice holds %q:\n%s", secret, m.TextBody)
				}
			}
			if n.Audience == Officer && (strings.Contains(m.TextBody, "Ada") || strings.Contains(m.TextBody, "ada@example.org")) {
				t.Errorf("the officer's notice names the resident:\n%s", m.TextBody)
			}
			if m.HTMLBody != "" {
				t.Errorf("a notice has an HTML part")
			}
			addr := strings.TrimSuffix(tt.to[strings.LastIndex(tt.to, "<")+1:], ">")
			if want := dedupeKey(f.EventID, addr); m.DedupeKey != want {
				t.Errorf("dedupe key %q, want %q", m.DedupeKey, want)
			}
			if err := store.CheckOutbound(m); err != nil {
				t.Errorf("the outbox refuses the notice: %v", err)
			}
			switch {
			case tt.survey && n.Invite == nil:
				t.Errorf("no survey invitation")
			case tt.survey:
				if n.Invite.TokenHash != SurveyTokenHash("tok_123") || n.Invite.CaseRef != f.Case.Reference ||
					n.Invite.ExpiresAt.Sub(n.Invite.CreatedAt) != DefaultSurveyValidFor {
					t.Errorf("invitation %+v", n.Invite)
				}
			case n.Invite != nil:
				t.Errorf("an invitation %+v on a notice with no survey", n.Invite)
			}
		})
	}
}

func TestNoEmailAdjustments(t *testing.T) {
	for _, tt := range []struct {
		adjustment string
		want       bool
	}{
		{"No e-mail: letters only", true},
		{"Do not email", true},
		{"Don’t email, phone instead", true},
		{"Phone only", true},
		{"Large print", false},
		{"Plain text email", false},
		{"Email in plain text please", false},
	} {
		if got := noEmail([]string{tt.adjustment}); got != tt.want {
			t.Errorf("noEmail(%q) = %v, want %v", tt.adjustment, got, tt.want)
		}
	}
}

func TestSurveyTokensAreRandomAndHashed(t *testing.T) {
	a, b := NewSurveyToken(), NewSurveyToken()
	if a == b || len(a) != 43 || strings.ContainsAny(a, "+/=") {
		t.Errorf("tokens %q and %q", a, b)
	}
	if h := SurveyTokenHash(a); len(h) != 64 || h == SurveyTokenHash(b) {
		t.Errorf("hash %q", h)
	}
}

func TestDigestIsDueFromItsHourLondonTime(t *testing.T) {
	r := &Relay{}
	for _, tt := range []struct {
		now  time.Time
		day  string
		want bool
	}{
		{time.Date(2026, 12, 1, 6, 59, 0, 0, time.UTC), "2026-12-01", false},
		{time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC), "2026-12-01", true},
		// In summer 07:00 in London is 06:00 UTC.
		{time.Date(2026, 7, 1, 5, 59, 0, 0, time.UTC), "2026-07-01", false},
		{time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC), "2026-07-01", true},
		// 23:30 UTC on 30 June is already 1 July in London, before 07:00.
		{time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), "2026-07-01", false},
	} {
		day, due := r.digestDue(tt.now)
		if day.String() != tt.day || due != tt.want {
			t.Errorf("digestDue(%s) = %s, %v; want %s, %v", tt.now, day, due, tt.day, tt.want)
		}
	}
	r.DigestHour = 9
	if _, due := r.digestDue(time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)); due {
		t.Error("a 09:00 digest is due at 08:30")
	}
}

// TestWithdrawalTellsTheHandler withdraws a case as the resident does on
// the residents' pages: the resident is told, and so is the officer
// handling it, without the resident's details or reason; not on a
// confidential case, nor when the handler withdrew it themselves.
func TestWithdrawalTellsTheHandler(t *testing.T) {
	handler := store.User{Email: officer, Name: "Olu Officer", Role: "officer"}
	withdrawn := func(t *testing.T, by string, mod ...func(*complaint.Create)) Facts {
		s := newSim(t, code2024(t), resident(mod...))
		s.do(manager, complaint.Assign{Handler: officer, HandlerRole: "officer"})
		f := s.facts(s.do(by, complaint.Withdraw{Reason: "The neighbour moved away"}))
		f.Handler = handler
		return f
	}
	ns, skipped := Notices(withdrawn(t, "resident (web form)"), settings())
	if len(ns) != 2 || ns[0].Audience != Resident || ns[1].Audience != Officer {
		t.Fatalf("notices %+v (skipped %q), want the resident's and the officer's", ns, skipped)
	}
	m := ns[1].Message
	if m.To != `"Olu Officer" <olu@landlord.example>` || m.Kind != "notice_withdrawn_handler" || m.Subject != "Case C-2026-000001 has been withdrawn" {
		t.Errorf("officer's notice to %q of kind %s: %q", m.To, m.Kind, m.Subject)
	}
	for _, want := range []string{"Hello Olu Officer", "Stage 1 complaint C-2026-000001, which you handle, was withdrawn on", "by the resident.", "https://complaints.example/cases/C-2026-000001"} {
		if !strings.Contains(m.TextBody, want) {
			t.Errorf("officer's notice lacks %q:\n%s", want, m.TextBody)
		}
	}
	for _, secret := range []string{"Ada", "ada@example.org", "neighbour", secretSummary} {
		if strings.Contains(m.TextBody, secret) {
			t.Errorf("officer's notice holds %q:\n%s", secret, m.TextBody)
		}
	}
	if err := store.CheckOutbound(m); err != nil {
		t.Errorf("the outbox refuses the officer's notice: %v", err)
	}
	if m.DedupeKey == ns[0].Message.DedupeKey {
		t.Errorf("the two notices share the dedupe key %q", m.DedupeKey)
	}

	for what, f := range map[string]Facts{
		"confidential":                 withdrawn(t, "resident (web form)", func(c *complaint.Create) { c.Confidential = true }),
		"withdrawn by the handler":     withdrawn(t, officer),
		"the handler is no user (any)": func() Facts { f := withdrawn(t, "resident (web form)"); f.Handler = store.User{}; return f }(),
	} {
		ns, _ := Notices(f, settings())
		if len(ns) != 1 || ns[0].Audience != Resident {
			t.Errorf("%s: notices %+v, want the resident's only", what, ns)
		}
	}
}
