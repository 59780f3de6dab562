package letters

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/poppler"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// long writes a date as the letters should, independently of Date.String.
func long(d calendar.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day(), d.Month(), d.Year())
}

// lifecycle is every kind of letter, the case that calls for it, the
// letter's date and what the letter must show, beyond what every letter
// shows (the recipient, the reference, the date, page numbers).
func lifecycle(f *fixture) []struct {
	kind  Kind
	c     complaint.Case
	today string
	want  []string
} {
	f.t.Helper()
	stage1Points := []string{
		"Repeated boiler breakdowns leaving Mrs Pemberton without heating and hot water",
		"Three missed engineer appointments",
		"Letters not in large print",
		"Boiler replaced", "Letters in large print",
	}
	ombudsman := f.p.Ombudsman
	exclusion := f.exclusion().Reason
	ack, ext, resp := f.acknowledged(), f.extended(), f.responded()
	s2ack, s2resp := f.stage2Acknowledged(), f.stage2Responded()
	needStages(f.t, s2ack, 2)
	respWant := slices.Concat(stage1Points, []string{
		"stage 1", "partly upheld", "not upheld",
		"The boiler has had three faults in eight weeks, so it will be replaced ahead of the planned programme. It passed its annual service, so it did not need replacing sooner.",
		"Our contractor's records confirm three missed appointments.",
		"Every letter since 2 December was sent in large print, as our records show.",
		"We apologise for leaving Mrs Pemberton without heating.", "For the three missed appointments", "£90",
		"Replace the boiler at 7 Primrose Gardens", "29 January 2027",
		"stage 2", "Telephone 0300 123 4567",
	})
	if by := resp.Stages[0].EscalateBy; !by.IsZero() {
		respWant = append(respWant, long(by))
	}
	return []struct {
		kind  Kind
		c     complaint.Case
		today string
		want  []string
	}{
		{Acknowledgement, ack, "2026-12-23", slices.Concat(stage1Points, []string{"stage 1", long(ack.Stages[0].RespondBy)})},
		{Extension, ext, "2027-01-06", []string{"We are waiting for our heating contractor's report on the boiler.", long(ext.Stages[0].RespondBy), "instead of 11 January 2027", ombudsman}},
		{Stage1Response, resp, "2027-01-05", respWant},
		{Stage2Acknowledgement, s2ack, "2027-01-13", []string{"stage 2", "The compensation offered at stage 1 is too low", "Compensation of £300", long(s2ack.Stages[1].RespondBy)}},
		{Stage2Response, s2resp, "2027-02-03", []string{
			"stage 2", "final response", "The compensation offered at stage 1 is too low", "Compensation of £300", "partly upheld",
			"Our compensation policy allows for the extra cost of heating, which stage 1 did not consider.",
			"Towards the cost of running electric heaters", "£60", "Review how missed appointments are reported", "31 March 2027",
			"Replace the boiler at 7 Primrose Gardens", "29 January 2027", ombudsman,
		}},
		{Refusal, f.refused(), "2026-12-22", []string{exclusion, "The breakdowns you describe were in the winter of 2024, and you told us about them then.", ombudsman}},
		{EscalationRefusal, f.escalationRefused(), "2027-01-12", []string{"stage 2", f.escalationExclusion().Reason, "Your solicitor has filed a claim about the boiler at the county court.", ombudsman}},
		{Withdrawal, f.withdrawn(), "2026-12-30", []string{"withdrawn", "Mrs Pemberton rang to say the boiler is fixed and asked us to withdraw the complaint."}},
		{ActionUpdate, f.actionsUpdated(), "2027-02-10", []string{"Replace the boiler at 7 Primrose Gardens", "10 February 2027", "Review how missed appointments are reported", "31 March 2027"}},
		{ComplimentThanks, f.compliment(), "2026-12-29", []string{"Thank you to Dave, who fixed my boiler on Christmas Eve"}},
	}
}

// TestEveryLetterOfTheLifecyclePassesCheckAndPrintsEveryElement drafts each
// kind of letter from a case driven through the lifecycle, under the Code
// and under a policy with an escalation window and new stage 2
// references, checks it, renders it and reads the PDF back.
func TestEveryLetterOfTheLifecyclePassesCheckAndPrintsEveryElement(t *testing.T) {
	for _, policyName := range []string{"code-2024", "gentoo"} {
		f := newFixture(t, policyName)
		for _, tt := range lifecycle(f) {
			t.Run(policyName+"/"+string(tt.kind), func(t *testing.T) {
				f.t = t
				l := f.draft(tt.kind, tt.c, tt.today)
				if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
					t.Fatalf("Check found missing elements in the default letter: %+v\n%s", missing, l.Body)
				}
				if st := tt.c.Current(); st != nil && l.Reference != st.Reference {
					t.Errorf("reference = %s, want the stage's own, %s", l.Reference, st.Reference)
				}
				for _, w := range tt.want {
					if !strings.Contains(poppler.Squash(l.Body), poppler.Squash(w)) {
						t.Errorf("the body lacks %q", w)
					}
				}
				pdf, err := Render(l, letterhead)
				if err != nil {
					t.Fatal(err)
				}
				poppler.Need(t, "pdftotext", "pdffonts")
				path := poppler.Write(t, pdf)
				pages := strings.Split(strings.TrimRight(poppler.Run(t, "pdftotext", "-enc", "UTF-8", path, "-"), "\f\n"), "\f")
				text := poppler.Squash(strings.Join(pages, "\n"))
				want := slices.Concat(tt.want, []string{
					l.Reference, long(day(tt.today)), "Margaret Pemberton", "7 Primrose Gardens", "Riverside Vale", "ZZ1 8LS",
					letterhead.Name, letterhead.Contact[0], l.Subject,
					fmt.Sprintf("Page 1 of %d", len(pages)), fmt.Sprintf("Page %d of %d", len(pages), len(pages)),
				})
				if refs := tt.c.References(); len(refs) > 1 {
					want = append(want, refs[0])
				}
				for _, w := range want {
					if !strings.Contains(text, poppler.Squash(w)) {
						t.Errorf("the PDF's text lacks %q", w)
					}
				}
				if t.Failed() {
					t.Logf("pdftotext:\n%s", strings.Join(pages, "\n----- page break -----\n"))
				}
				// Every font is embedded: pdffonts lists "yes" in the emb
				// column of each font row.
				fonts := strings.Split(strings.TrimSpace(poppler.Run(t, "pdffonts", path)), "\n")
				if len(fonts) < 2 {
					t.Fatalf("pdffonts printed no table of fonts: %q", fonts)
				}
				for _, row := range fonts[2:] {
					if fields := strings.Fields(row); len(fields) < 5 || !slices.Contains(fields, "yes") {
						t.Errorf("font not embedded: %s", row)
					}
				}
			})
		}
	}
}

func TestStage2UnderANewReferenceNamesTheEarlierOne(t *testing.T) {
	f := newFixture(t, "gentoo")
	c := f.stage2Acknowledged()
	l := f.draft(Stage2Acknowledgement, c, "2027-01-13")
	needStages(t, c, 2)
	if l.Reference == c.Reference || l.Reference != c.Stages[1].Reference {
		t.Fatalf("reference %s; want stage 2's new reference %s, not %s", l.Reference, c.Stages[1].Reference, c.Reference)
	}
	if !slices.Equal(l.Data.OtherReferences, []string{c.Reference}) {
		t.Errorf("other references = %q, want [%s]", l.Data.OtherReferences, c.Reference)
	}
	if !strings.Contains(EmailText(l), "Earlier reference: "+c.Reference) {
		t.Errorf("the email does not give the earlier reference:\n%s", EmailText(l))
	}
}

// TestCheckNamesWhatAnEditedLetterLeavesOut removes one required element
// from a default draft, as an officer editing it might, and expects Check
// to name that element and nothing else.
func TestCheckNamesWhatAnEditedLetterLeavesOut(t *testing.T) {
	f := newFixture(t, "gentoo")
	remove := func(s string) func(string) string {
		return func(body string) string { return strings.ReplaceAll(body, s, "") }
	}
	tests := []struct {
		name    string
		kind    Kind
		c       func() complaint.Case
		edit    func(string) string
		code    string
		message string
	}{
		{"acknowledgement without a point", Acknowledgement, f.acknowledged, remove("Three missed engineer appointments"), "definition", `point 2 of the complaint definition ("Three missed engineer appointments") is missing`},
		{"acknowledgement without an outcome sought", Acknowledgement, f.acknowledged, remove("Boiler replaced"), "outcome_sought", `the outcome the resident wants ("Boiler replaced") is missing`},
		{"acknowledgement without the response date", Acknowledgement, f.acknowledged, remove("11 January 2027"), "respond_by", "the date we will respond by (11 January 2027) is missing"},
		{"acknowledgement without the stage", Acknowledgement, f.acknowledged, remove("stage 1 of "), "stage", "the complaint stage (stage 1) is not stated"},
		{"extension without the reason", Extension, f.extended, remove("We are waiting for our heating contractor's report on the boiler."), "extension_reason", "the reason for the extension"},
		{"extension without the new date", Extension, f.extended, remove("18 January 2027"), "extension_date", "the new response date (18 January 2027) is missing"},
		{"extension without the Ombudsman", Extension, f.extended, remove("PO Box 1484"), "ombudsman", "the Housing Ombudsman's contact details are missing"},
		{"stage 1 response without reasons", Stage1Response, f.responded, remove("Our contractor's records confirm three missed appointments."), "reasons", "the reasons for the decision on point 2"},
		{"stage 1 response without a decision", Stage1Response, f.responded, remove("Our decision: not upheld."), "decision", "the decision on point 3 (not upheld) is not stated"},
		{"stage 1 response without an action's date", Stage1Response, f.responded, remove("29 January 2027"), "action_date", `the date the action "Replace the boiler at 7 Primrose Gardens" will be done by (29 January 2027) is missing`},
		{"stage 1 response without the amount", Stage1Response, f.responded, remove("£90"), "compensation", "the amount of compensation (£90"},
		{"stage 1 response without a remedy", Stage1Response, f.responded, remove("We apologise for leaving Mrs Pemberton without heating."), "remedy", `the remedy "We apologise for leaving Mrs Pemberton without heating." is missing`},
		{"stage 1 response without the escalation date", Stage1Response, f.responded, remove("26 January 2027"), "escalation_date", "the last date to ask for stage 2 (26 January 2027) is missing"},
		{"stage 1 response without how to ask", Stage1Response, f.responded, func(b string) string {
			return remove(letterhead.Contact[1])(remove(letterhead.Contact[0])(b))
		}, "how_to_escalate", "how to ask for stage 2 is missing"},
		{"stage 2 response without the Ombudsman", Stage2Response, f.stage2Responded, remove(f.p.Ombudsman), "ombudsman", "the Housing Ombudsman's contact details are missing"},
		{"stage 2 response not final", Stage2Response, f.stage2Responded, remove("final response"), "final", "the letter does not say it is our final response"},
		{"stage 2 response without stage 1's open action", Stage2Response, f.stage2Responded, remove("Replace the boiler at 7 Primrose Gardens"), "action", `the action from stage 1 "Replace the boiler at 7 Primrose Gardens" is missing`},
		{"refusal without the exclusion", Refusal, f.refused, remove(f.exclusion().Reason), "exclusion", "the reason the complaint is excluded"},
		{"refusal without the explanation", Refusal, f.refused, remove("you told us about them then."), "explanation", "the explanation of the refusal"},
		{"refusal without the Ombudsman", Refusal, f.refused, remove("PR2 0ET"), "ombudsman", "the Housing Ombudsman's contact details are missing"},
		{"withdrawal without the reason", Withdrawal, f.withdrawn, remove("asked us to withdraw the complaint."), "withdrawal_reason", "the reason for the withdrawal"},
		{"action update without a done date", ActionUpdate, f.actionsUpdated, remove("10 February 2027"), "action_done", `the date the action "Replace the boiler at 7 Primrose Gardens" was done (10 February 2027) is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			l := f.draft(tt.kind, tt.c(), "2027-02-10")
			edited := tt.edit(l.Body)
			if edited == l.Body {
				t.Fatalf("the edit changed nothing: the default letter has changed under the test\n%s", l.Body)
			}
			got := Check(tt.kind, l.Data, edited)
			if len(got) != 1 || got[0].Code != tt.code || !strings.Contains(got[0].Message, tt.message) {
				t.Errorf("Check = %+v\nwant one %s naming %q", got, tt.code, tt.message)
			}
		})
	}
}

// TestCheckToleratesHowPeopleEdit: case, spacing, line breaks, curly
// quotes and the markup do not hide an element.
func TestCheckToleratesHowPeopleEdit(t *testing.T) {
	f := newFixture(t, "code-2024")
	l := f.draft(Stage1Response, f.responded(), "2027-01-05")
	edited := strings.ReplaceAll(l.Body, "Our contractor's records confirm three missed appointments.", "our contractor’s records\nconfirm   three missed\nappointments.")
	edited = strings.ReplaceAll(edited, "stage 1", "Stage 1")
	if got := Check(Stage1Response, l.Data, edited); len(got) != 0 {
		t.Errorf("Check = %+v, want nothing missing", got)
	}
}

func TestCheckNamesWhatTheCaseLacks(t *testing.T) {
	f := newFixture(t, "code-2024")
	tests := []struct {
		name    string
		kind    Kind
		c       func() complaint.Case
		code    string
		message string
	}{
		{"a point with no decision", Stage1Response, func() complaint.Case {
			c := f.responded()
			c.Stages[0].Decisions = slices.DeleteFunc(c.Stages[0].Decisions, func(d complaint.Decision) bool { return d.Point == 2 })
			return c
		}, "case.decision", `point 2 ("Three missed engineer appointments") has no decision`},
		{"a decision with no reasons", Stage1Response, func() complaint.Case {
			c := f.responded()
			if len(c.Stages[0].Decisions) == 0 {
				f.t.Fatal("the responded case has no decisions")
			}
			c.Stages[0].Decisions[0].Reasons = ""
			return c
		}, "case.reasons", `point 1 ("Repeated boiler breakdowns leaving Mrs Pemberton without...") has no reasons`},
		{"an exclusion the policy does not have", Refusal, func() complaint.Case {
			c := f.refused()
			c.Exclusion = "withdrawn_from_policy"
			return c
		}, "case.exclusion", "the case has no exclusion from the policy"},
		{"a policy with no Ombudsman text", Stage2Response, func() complaint.Case {
			f.p.Ombudsman = ""
			return f.stage2Responded()
		}, "case.ombudsman", "the policy has no Ombudsman contact details"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			saved := f.p.Ombudsman
			defer func() { f.p.Ombudsman = saved }()
			l := f.draft(tt.kind, tt.c(), "2027-02-10")
			got := Check(tt.kind, l.Data, l.Body)
			i := slices.IndexFunc(got, func(m Missing) bool { return m.Code == tt.code })
			if i < 0 || !strings.Contains(got[i].Message, tt.message) {
				t.Errorf("Check = %+v\nwant a %s naming %q", got, tt.code, tt.message)
			}
		})
	}
}

func TestDraftRefusesALetterTheCaseDoesNotCallFor(t *testing.T) {
	f := newFixture(t, "code-2024")
	tests := []struct {
		kind    Kind
		c       func() complaint.Case
		message string
	}{
		{Acknowledgement, f.received, "stage 1 has not been acknowledged"},
		{Stage1Response, f.acknowledged, "stage 1 has no decisions yet"},
		{Stage1Response, f.escalated, "the complaint is at stage 2"},
		{Extension, f.responded, "stage 1 has not been extended"},
		{Stage2Response, f.stage2Acknowledged, "stage 2 has no decisions yet"},
		{Refusal, f.escalationRefused, "use the Refusal to escalate letter"},
		{EscalationRefusal, f.refused, "use the Refusal to accept a complaint letter"},
		{Withdrawal, f.responded, "has not been withdrawn"},
		{ActionUpdate, f.acknowledged, "has no actions"},
		{ComplimentThanks, f.acknowledged, "not a compliment"},
		{Acknowledgement, f.compliment, "not a complaint"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.message, func(t *testing.T) {
			f.t = t
			c := tt.c()
			if tt.kind.Applies(c) {
				t.Errorf("Applies = true")
			}
			_, err := Draft(tt.kind, c, f.p, f.cal, letterhead, nil, day("2027-02-10"))
			if complaint.ErrorCode(err) != complaint.Conflict || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("Draft error = %v, want a conflict saying %q", err, tt.message)
			}
		})
	}
}

func TestApplicableFollowsTheCase(t *testing.T) {
	f := newFixture(t, "code-2024")
	tests := []struct {
		name string
		c    func() complaint.Case
		want []Kind
	}{
		{"received", f.received, nil},
		{"acknowledged", f.acknowledged, []Kind{Acknowledgement}},
		{"extended", f.extended, []Kind{Acknowledgement, Extension}},
		{"responded", f.responded, []Kind{Acknowledgement, Stage1Response, ActionUpdate}},
		{"escalated", f.escalated, []Kind{ActionUpdate}},
		{"stage 2 acknowledged", f.stage2Acknowledged, []Kind{Stage2Acknowledgement, ActionUpdate}},
		{"stage 2 responded", f.stage2Responded, []Kind{Stage2Acknowledgement, Stage2Response, ActionUpdate}},
		{"refused", f.refused, []Kind{Refusal}},
		{"escalation refused", f.escalationRefused, []Kind{EscalationRefusal, ActionUpdate}},
		{"withdrawn", f.withdrawn, []Kind{Withdrawal}},
		{"compliment", f.compliment, []Kind{ComplimentThanks}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			if got := Applicable(tt.c()); !slices.Equal(got, tt.want) {
				t.Errorf("Applicable = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLetterGoesToARepresentativeOnlyWithConsent(t *testing.T) {
	f := newFixture(t, "code-2024")
	for _, consent := range []bool{true, false} {
		t.Run(fmt.Sprintf("consent=%v", consent), func(t *testing.T) {
			f.t = t
			cmd := complaintCmd()
			cmd.Representative = &complaint.Representative{Name: "Claire Pemberton", Relationship: "daughter", ConsentRecorded: consent, Email: "claire@example.org"}
			c := f.create(cmd, "2026-12-21 10:00")
			c = f.do(c, "2026-12-23 10:00", officer, complaint.Acknowledge{Points: []string{"Boiler breakdowns"}})
			l := f.draft(Acknowledgement, c, "2026-12-23")
			want := Recipient{Name: "Margaret Pemberton", Address: []string{"7 Primrose Gardens", "Riverside Vale", "ZZ1 8LS"}, Email: "margaret@example.org"}
			if consent {
				want = Recipient{Name: "Claire Pemberton", Address: []string{}, Email: "claire@example.org"}
			}
			if fmt.Sprint(l.Recipient) != fmt.Sprint(want) {
				t.Errorf("recipient = %+v, want %+v", l.Recipient, want)
			}
			if !strings.HasPrefix(l.Body, "Dear "+want.Name+",") {
				t.Errorf("the letter does not open with Dear %s:\n%s", want.Name, l.Body)
			}
			if on := strings.Contains(l.Body, "Margaret Pemberton has asked you to act for them"); on != consent {
				t.Errorf("says the representative acts for the resident: %v, want %v", on, consent)
			}
		})
	}
}

func TestAddressLines(t *testing.T) {
	tests := []struct {
		address, postcode string
		want              []string
	}{
		{"7 Primrose Gardens, Riverside Vale", "ZZ1 8LS", []string{"7 Primrose Gardens", "Riverside Vale", "ZZ1 8LS"}},
		{"Flat 2\n3 Station Road, Upper Floor\nAberystwyth", "SY23 2BB", []string{"Flat 2", "3 Station Road, Upper Floor", "Aberystwyth", "SY23 2BB"}},
		{"1 High Street, Aberystwyth SY23 1AA", "sy23 1aa", []string{"1 High Street", "Aberystwyth SY23 1AA"}},
		{"", "ZZ1 1AA", []string{"ZZ1 1AA"}},
		{"", "", []string{}},
	}
	for _, tt := range tests {
		if got := addressLines(tt.address, tt.postcode); !slices.Equal(got, tt.want) {
			t.Errorf("addressLines(%q, %q) = %q, want %q", tt.address, tt.postcode, got, tt.want)
		}
	}
}

func TestAdjustmentsAreReadFromFreeText(t *testing.T) {
	tests := []struct {
		adjustments       []string
		large, plainEmail bool
	}{
		{[]string{"Large print letters (18 point)"}, true, false},
		{[]string{"LARGE-PRINT"}, true, false},
		{[]string{"Phone calls rather than email", "plain-text email only"}, false, true},
		{[]string{"Plain text emails, large print letters"}, true, true},
		{[]string{"Prints large documents at home"}, false, false},
		{nil, false, false},
	}
	for _, tt := range tests {
		if got := LargePrint(tt.adjustments); got != tt.large {
			t.Errorf("LargePrint(%q) = %v, want %v", tt.adjustments, got, tt.large)
		}
		if got := PlainTextEmail(tt.adjustments); got != tt.plainEmail {
			t.Errorf("PlainTextEmail(%q) = %v, want %v", tt.adjustments, got, tt.plainEmail)
		}
	}
	f := newFixture(t, "code-2024")
	cmd := complaintCmd()
	cmd.Adjustments = []string{"Large print letters (18 point)", "Plain text email"}
	c := f.do(f.create(cmd, "2026-12-21 10:00"), "2026-12-23 10:00", officer, complaint.Acknowledge{Points: []string{"Boiler"}})
	if l := f.draft(Acknowledgement, c, "2026-12-23"); !l.LargePrint || !l.PlainTextEmail {
		t.Errorf("large print %v, plain-text email %v: want both from the case's adjustments", l.LargePrint, l.PlainTextEmail)
	}
}

// Money is written by money.Pence, whose own tests say how.
func TestDatesAsLettersWriteThem(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{Date("2027-01-14").String(), "14 January 2027"},
		{Date("2027-01-14").Long(), "Thursday 14 January 2027"},
		{NewDate(calendar.Date{}).String(), ""},
		{Date("soon").String(), "soon"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestEmailTextIsThePlainLetter(t *testing.T) {
	f := newFixture(t, "code-2024")
	l := f.draft(Stage1Response, f.responded(), "2027-01-05")
	got := EmailText(l)
	for _, want := range []string{
		"Date: 5 January 2027\nOur reference: " + l.Reference + "\n\nDear Margaret Pemberton,\n",
		"\nOur decision\n\nPoint 1: Repeated boiler breakdowns",
		"\n- For the three missed appointments: £90\n",
		"\n--\nRiverside Vale Homes\nRiverside House\n",
		"Telephone 0300 123 4567\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the email lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m)^#`).MatchString(got) {
		t.Errorf("the email has markup left in it:\n%s", got)
	}
	if missing := Check(l.Kind, l.Data, got); len(missing) > 0 {
		t.Errorf("the email says less than the letter: %+v", missing)
	}
}

// TestAcknowledgementPrintsTheTrackingCode drafts the acknowledgement with
// the case's tracking code, which a resident without email follows the
// case online with, and without one (a caller that has none leaves the
// paragraph out); either passes the Code's checks.
func TestAcknowledgementPrintsTheTrackingCode(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged()
	with, err := DraftWith(Acknowledgement, c, Options{TrackingCode: "7KQ2M-XR4TD"}, f.p, f.cal, letterhead, nil, day("2026-12-23"))
	if err != nil {
		t.Fatal(err)
	}
	want := "with your reference " + c.Reference + " and this tracking code: 7KQ2M-XR4TD."
	if !strings.Contains(with.Body, want) || !strings.Contains(with.Body, "# Follow your complaint online") {
		t.Errorf("the acknowledgement does not give the tracking code (%q):\n%s", want, with.Body)
	}
	if missing := Check(with.Kind, with.Data, with.Body); len(missing) != 0 {
		t.Errorf("the acknowledgement with its code misses %+v", missing)
	}
	without := f.draft(Acknowledgement, c, "2026-12-23")
	if strings.Contains(without.Body, "tracking code") {
		t.Errorf("an acknowledgement with no code mentions one:\n%s", without.Body)
	}
	if missing := Check(without.Kind, without.Data, without.Body); len(missing) != 0 {
		t.Errorf("the acknowledgement without a code misses %+v", missing)
	}
}
