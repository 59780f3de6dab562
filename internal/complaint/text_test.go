package complaint

import (
	"strings"
	"testing"
)

func TestTextProblemRefusesInvisibleCharactersThatChangeWhatOthersSee(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiLine bool
		want      string // a part of the problem; "" for none
	}{
		{"plain text", "The damp is back", false, ""},
		{"right-to-left text with its marks", "\u05e9\u05dc\u05d5\u05dd\u200f and \u0645\u0631\u062d\u0628\u0627\u061c", false, ""},
		{"accents and emoji", "Zoë's flat 🏠", false, ""},
		{"a line break in prose", "line one\nline two", true, ""},
		{"a browser's CRLF in prose", "line one\r\nline two", true, ""},
		{"a tab in prose", "cost:\t£150", true, ""},
		{"NUL", "Ada\x00Lovelace", false, "NUL character (U+0000) at character 4"},
		{"NUL in prose", "text\x00", true, "NUL"},
		{"bell", "ring\x07", true, "control character (U+0007)"},
		{"escape", "\x1b[31mred", true, "U+001B"},
		{"DEL", "x\x7f", true, "U+007F"},
		{"C1 control", "x\u0085y", true, "U+0085"},
		{"a lone carriage return", "one\rtwo", true, "carriage return"},
		{"right-to-left override", "invoice\u202etxt.exe", false, "reorders the text around it (U+202E)"},
		{"left-to-right embedding", "\u202aabc", true, "U+202A"},
		{"pop directional formatting", "abc\u202c", true, "U+202C"},
		{"right-to-left isolate", "\u2067abc", true, "U+2067"},
		{"pop directional isolate", "abc\u2069", true, "U+2069"},
		{"a line break in a name", "Ada\nLovelace", false, "one line"},
		{"a CRLF in a name", "Ada\r\nLovelace", false, "one line"},
		{"a tab in a name", "Ada\tLovelace", false, "tabs"},
		{"not UTF-8", "caf\xe9", true, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TextProblem(tt.in, tt.multiLine)
			switch {
			case tt.want == "" && got != "":
				t.Errorf("TextProblem(%q) = %q, want none", tt.in, got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("TextProblem(%q) = %q, want it to say %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanTextRemovesWhatTextProblemRefusesAndKeepsTheWords(t *testing.T) {
	tests := []struct {
		in        string
		multiLine bool
		want      string
	}{
		{"invoice\u202etxt.exe", false, "invoicetxt.exe"},
		{"Ada\x00 Lovelace\x07", false, "Ada Lovelace"},
		{"Ada\nLovelace\tOBE", false, "Ada Lovelace OBE"},
		{"one\r\ntwo\rthree\n\tfour\u0085", true, "one\ntwo\nthree\n\tfour"},
		{"caf\xe9", true, "caf\ufffd"},
		{"\u05e9\u05dc\u05d5\u05dd\u200f", false, "\u05e9\u05dc\u05d5\u05dd\u200f"},
	}
	for _, tt := range tests {
		got := CleanText(tt.in, tt.multiLine)
		if got != tt.want {
			t.Errorf("CleanText(%q, %v) = %q, want %q", tt.in, tt.multiLine, got, tt.want)
		}
		if p := TextProblem(got, tt.multiLine); p != "" {
			t.Errorf("CleanText(%q, %v) = %q, which TextProblem refuses: %s", tt.in, tt.multiLine, got, p)
		}
	}
}

// NUL and bidi-override characters were stored and shown as typed. Each
// free-text field of a new contact now refuses them, naming the field.
func TestNewCaseRefusesControlAndBidiCharactersNamingTheField(t *testing.T) {
	const nul, rlo = "\x00", "\u202e"
	tests := []struct {
		field  string
		change func(*Create)
	}{
		{"complainant.name", func(c *Create) { c.Complainant.Name = "Ada" + nul }},
		{"complainant.name", func(c *Create) { c.Complainant.Name = "Ada\nLovelace" }},
		{"complainant.email", func(c *Create) { c.Complainant.Email = "ada@example.org" + rlo }},
		{"complainant.phone", func(c *Create) { c.Complainant.Phone = "0191" + rlo + "0000" }},
		{"complainant.postcode", func(c *Create) { c.Complainant.Postcode = "ZZ1\t1AA" }},
		{"complainant.tenancy_ref", func(c *Create) { c.Complainant.TenancyRef = "T-1" + nul }},
		{"complainant.address", func(c *Create) { c.Complainant.Address = "1 High St\n" + rlo + "Town" }},
		{"representative.name", func(c *Create) {
			c.Representative = &Representative{Name: "Sam" + rlo, Relationship: "advocate"}
		}},
		{"group.point_of_contact", func(c *Create) {
			c.Group = &Group{Name: "Tower residents", PointOfContact: "Flat 12\x1b"}
		}},
		{"summary", func(c *Create) { c.Summary = "Damp" + rlo + "gnihton" }},
		{"summary", func(c *Create) { c.Summary = "Damp\nin the bedroom" }},
		{"description", func(c *Create) { c.Description = "It leaks" + nul }},
		{"desired_outcome", func(c *Create) { c.DesiredOutcome = "\u2066Fix it" }},
		{"service_area", func(c *Create) { c.ServiceArea = "Repairs" + rlo }},
		{"categories[1]", func(c *Create) { c.Categories = []string{"damp", "mould" + nul} }},
		{"adjustments[0]", func(c *Create) { c.Adjustments = []string{"Large\u0085print"} }},
		{"vulnerabilities[0]", func(c *Create) { c.Vulnerabilities = []string{"\u202aHearing"} }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			cmd := validCreate()
			tt.change(&cmd)
			_, _, err := NewCase(cmd, f.env)
			wantError(t, err, Invalid, tt.field)
		})
	}
}

// The same rule holds for every command's free text, so the API, the
// staff pages and the resident's pages all refuse alike.
func TestCommandsRefuseControlAndBidiCharactersNamingTheField(t *testing.T) {
	const nul, rlo = "\x00", "\u202e"
	hash := strings.Repeat("a", 64)
	tests := []struct {
		name  string
		c     func(*fixture) Case
		cmd   Command
		field string
	}{
		{"a point", (*fixture).received, Acknowledge{Points: []string{"ok", "bad" + nul}}, "points[1]"},
		{"an outcome sought", (*fixture).received, Acknowledge{Points: []string{"ok"}, OutcomesSought: []string{rlo}}, "outcomes_sought[0]"},
		{"a handler", (*fixture).received, Assign{Handler: "olu" + rlo + "@landlord.example", HandlerRole: "officer"}, "handler"},
		{"an extension's reason", (*fixture).acknowledged, Extend{WorkingDays: 2, Reason: "wait" + nul, OmbudsmanDetailsGiven: true}, "reason"},
		{"a decision's reasons", (*fixture).acknowledged, Respond{Decisions: []Decision{
			{Point: 1, Outcome: "upheld", Reasons: "yes" + rlo}, {Point: 2, Outcome: "upheld", Reasons: "yes"}}}, "decisions[0].reasons"},
		{"a remedy's description", (*fixture).acknowledged, Respond{Decisions: respondCmd().Decisions,
			Remedies: []RemedyInput{{Kind: RemedyApology, Description: "Sorry\x1b"}}}, "remedies[0].description"},
		{"a remedy's owner", (*fixture).acknowledged, Respond{Decisions: respondCmd().Decisions,
			Remedies: []RemedyInput{{Kind: RemedyAction, Description: "Fix", Owner: "repairs\nteam", Due: "2027-02-01"}}}, "remedies[0].owner"},
		{"the learning", (*fixture).acknowledged, Respond{Decisions: respondCmd().Decisions, Learning: rlo}, "learning"},
		{"an escalation's reason", (*fixture).responded, Escalate{Reason: "low" + nul}, "reason"},
		{"a late reason", (*fixture).responded, Escalate{LateReason: "late" + rlo}, "late_reason"},
		{"a withdrawal's reason", (*fixture).received, Withdraw{Reason: nul}, "reason"},
		{"a refusal's explanation", (*fixture).received, Refuse{Exclusion: "legal_proceedings", Explanation: "court" + rlo}, "explanation"},
		{"a note", (*fixture).received, Note{Text: "note" + nul}, "text"},
		{"information's sender", (*fixture).received, AddInformation{Source: "portal", From: "Ada" + rlo, Text: "x"}, "from"},
		{"information's text", (*fixture).received, AddInformation{Source: "portal", Text: "x" + nul}, "text"},
		{"a file's name", (*fixture).received, AddInformation{Source: "portal", Text: "x",
			Attachments: []AttachmentRef{{Name: "photo" + rlo + "gpj.exe", SHA256: hash, Size: 1}}}, "attachments[0].name"},
		{"a letter's title", (*fixture).received, RecordLetter{Kind: "acknowledgement", Title: "Ack" + nul, Channel: "email", SHA256: hash}, "title"},
		{"a linked reference", (*fixture).received, Link{Reference: "C-2026-" + rlo + "000009"}, "reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-01-20 10:00", officer, tt.cmd)
			wantError(t, err, Invalid, tt.field)
		})
	}
}

// A handler of " " was accepted as a person. Every free-text identifier
// is trimmed, and one with nothing readable in it is missing.
func TestIdentifiersAreTrimmedAndBlankOnesAreMissing(t *testing.T) {
	f := newFixture(t, "code-2024")
	for _, h := range []string{" ", "\t", "\u00a0", "\u200b", " \u200b\u2060 "} {
		_, _, err := f.decide(f.received(), "", officer, Assign{Handler: h, HandlerRole: "officer"})
		wantError(t, err, Invalid, "handler")
	}
	c := f.must(f.received(), "", officer, Assign{Handler: "  " + officer2.Email + " ", HandlerRole: "officer"})
	if c.Handler != officer2.Email || !c.ActedOnStage1(officer2.Email) {
		t.Errorf("handler %q, stage 1 handlers %q: want %s, trimmed", c.Handler, c.Stages[0].Handlers, officer2.Email)
	}
	for _, ref := range []string{" ", "\u200b"} {
		_, _, err := f.decide(f.received(), "", officer, Link{Reference: ref})
		wantError(t, err, Invalid, "reference")
	}
	_, _, err := f.decide(f.acknowledged(), "", officer, Respond{Decisions: respondCmd().Decisions,
		Remedies: []RemedyInput{{Kind: RemedyAction, Description: "Fix", Owner: "\u200b", Due: "2027-02-01"}}})
	wantError(t, err, Invalid, "remedies[0].owner")

	blankCreate := []struct {
		field  string
		change func(*Create)
	}{
		{"complainant.name", func(c *Create) { c.Complainant.Name = "\u200b" }},
		{"summary", func(c *Create) { c.Summary = "\u00a0\u200b" }},
		{"categories[0]", func(c *Create) { c.Categories = []string{"\ufeff"} }},
	}
	for _, tt := range blankCreate {
		cmd := validCreate()
		tt.change(&cmd)
		_, _, err := NewCase(cmd, f.env)
		wantError(t, err, Invalid, tt.field)
	}

	// An email with spaces around it is the address, trimmed.
	cmd := validCreate()
	cmd.Complainant.Email = "  ada@example.org "
	cmd.Representative = &Representative{Name: "Sam", Relationship: "advocate", Email: " sam@example.org"}
	nc, _, err := NewCase(cmd, f.env)
	if err != nil {
		t.Fatalf("an email with spaces around it: %v", err)
	}
	if nc.Complainant.Email != "ada@example.org" || nc.Representative.Email != "sam@example.org" {
		t.Errorf("emails %q and %q, want them trimmed", nc.Complainant.Email, nc.Representative.Email)
	}
}

// A remedy due in 9999 was accepted: it would stay open, and never be
// overdue, for ever. A due date falls between the day the case was
// received (21 December 2026) and five years after today (1 March 2027).
func TestRemedyDueDatesMustFallBetweenReceiptAndFiveYearsAhead(t *testing.T) {
	tests := []struct {
		due   string
		valid bool
	}{
		{"9999-12-31", false},
		{"2032-03-02", false},
		{"2032-03-01", true},
		{"2027-02-01", true},
		{"2026-12-21", true},
		{"2026-12-20", false},
		{"2000-01-01", false},
		{"0001-01-01", false},
		{" 2027-02-01 ", true},
		{"2027-02-30", false},
	}
	for _, tt := range tests {
		t.Run(tt.due, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			for _, kind := range []RemedyKind{RemedyAction, RemedyApology} {
				_, _, err := f.decide(f.acknowledged(), "2027-01-05 10:00", officer, Respond{Decisions: respondCmd().Decisions,
					Remedies: []RemedyInput{{Kind: kind, Description: "Fix the damp", Owner: "Repairs", Due: tt.due}}})
				if tt.valid {
					if err != nil {
						t.Errorf("%s due %s: %v", kind, tt.due, err)
					}
					continue
				}
				wantError(t, err, Invalid, "remedies[0].due")
			}
		})
	}
}

// Storage rebuilds each case from its events to check it. Events recorded
// before the input rules were tightened replay to the case they made,
// under Env.Replay, rather than failing as if they had been tampered
// with; the lifecycle's rules still apply.
func TestReplayAcceptsWhatWasAcceptedWhenItWasRecorded(t *testing.T) {
	f := newFixture(t, "code-2024")
	f.env.Replay = true
	cmd := validCreate()
	cmd.Summary = "Damp\x00 \u202ein the bedroom"
	cmd.Complainant.Name = "Ada\tLovelace"
	cmd.Categories = []string{"mould\nand damp"}
	received := london("2026-12-21 10:00")
	cmd.ReceivedAt = &received
	c, _, err := NewCase(cmd, f.env)
	if err != nil {
		t.Fatalf("replaying a creation recorded with control characters: %v", err)
	}
	if c.Summary != cmd.Summary || c.Complainant.Name != cmd.Complainant.Name {
		t.Errorf("replayed summary %q and name %q, want them as recorded", c.Summary, c.Complainant.Name)
	}
	c = f.must(c, "2026-12-22 10:00", officer, Assign{Handler: " ", HandlerRole: "officer"})
	if c.Handler != " " {
		t.Errorf("replayed handler %q, want %q as recorded", c.Handler, " ")
	}
	c = f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"One\x07"}})
	c = f.respond(c, "2027-01-05 10:00", officer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}},
		Remedies: []RemedyInput{{Kind: RemedyAction, Description: "Fix", Owner: "Repairs", Due: "9999-12-31"}}})
	if len(c.Remedies) != 1 || c.Remedies[0].Due != date("9999-12-31") {
		t.Errorf("replayed remedies %+v, want the action due 9999-12-31", c.Remedies)
	}
	_, _, err = f.decide(c, "2027-01-06 10:00", officer, Acknowledge{Points: []string{"again"}})
	wantError(t, err, Conflict)
	_, _, err = f.decide(c, "2027-01-06 10:00", officer, Note{Text: " "})
	wantError(t, err, Invalid, "text")
}
