package letters

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/poppler"
)

// Issue 19, item 5: the thanks letter says a compliment was passed on only
// when it was; the compliment notice passes it on (000: "we offer
// individual feedback to colleagues when a compliment is received"; 003
// §2: "Feedback on compliments is given to staff").

var passOn = complaint.PassOnCompliment{
	Praised: []complaint.Praised{
		{Kind: complaint.PraisedColleague, Name: "Dave Okafor", Email: "dave@landlord.example"},
		{Kind: complaint.PraisedTeam, Name: "the Repairs team"},
	},
	Manager: "rita@landlord.example",
}

// pdfText renders the letter and reads it back with pdftotext.
func pdfText(t *testing.T, l Letter) string {
	t.Helper()
	pdf, err := Render(l, letterhead)
	if err != nil {
		t.Fatal(err)
	}
	poppler.Need(t, "pdftotext")
	return poppler.Squash(poppler.Run(t, "pdftotext", "-enc", "UTF-8", poppler.Write(t, pdf), "-"))
}

func TestComplimentThanksSaysItWasPassedOnOnlyWhenItWas(t *testing.T) {
	f := newFixture(t, "gentoo")
	passed := f.do(f.compliment(), "2026-12-29 10:00", officer, passOn)
	tests := []struct {
		name      string
		c         complaint.Case
		want, not []string
	}{
		{"not passed on: the letter claims nothing", f.compliment(), []string{"We have recorded your compliment"}, []string{"passed"}},
		{"passed on: the letter names those praised", passed, []string{"We have passed your kind words on to Dave Okafor and the Repairs team, and to their manager"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			l := f.draft(ComplimentThanks, tt.c, "2026-12-30")
			if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
				t.Fatalf("Check: %+v\n%s", missing, l.Body)
			}
			text := pdfText(t, l)
			for _, w := range tt.want {
				if !strings.Contains(text, poppler.Squash(w)) {
					t.Errorf("the PDF lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(strings.ToLower(text), w) {
					t.Errorf("the PDF says %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestComplimentThanksThatClaimsAPassingOnThatDidNotHappenFailsTheCheck(t *testing.T) {
	f := newFixture(t, "gentoo")
	l := f.draft(ComplimentThanks, f.compliment(), "2026-12-30")
	body := strings.Replace(l.Body, "We have recorded your compliment.", "We have passed your kind words on to the people involved and their manager.", 1)
	missing := Check(ComplimentThanks, l.Data, body)
	if len(missing) != 1 || missing[0].Code != "passed_on" {
		t.Errorf("Check = %+v, want passed_on", missing)
	}
	// The resident's own words may say anything.
	d := l.Data
	d.Summary = "Dave passed on my message and shared his number"
	if missing := Check(ComplimentThanks, d, strings.Replace(l.Body, l.Data.Summary, d.Summary, 1)); len(missing) > 0 {
		t.Errorf("the resident's words tripped the check: %+v", missing)
	}
}

func TestComplimentNoticeQuotesTheComplimentAndNamesEveryonePraised(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	if ComplimentNotice.Applies(f.compliment()) {
		t.Error("a notice is offered before the compliment was passed on")
	}
	passed := f.do(f.compliment(), "2026-12-29 10:00", officer, passOn)
	if !ComplimentNotice.Applies(passed) || ComplimentNotice.Applies(f.received()) {
		t.Error("a notice applies to a compliment passed on, and to nothing else")
	}
	l := f.draft(ComplimentNotice, passed, "2026-12-30")
	if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
		t.Fatalf("Check: %+v\n%s", missing, l.Body)
	}
	if l.Recipient.Email != "dave@landlord.example" || l.Subject != "A resident has complimented you" {
		t.Errorf("recipient %+v, subject %q", l.Recipient, l.Subject)
	}
	text := pdfText(t, l)
	for _, w := range []string{"Dear Dave Okafor", passed.Reference, "Thank you to Dave, who fixed my boiler on Christmas Eve", "praises Dave Okafor and the Repairs team"} {
		if !strings.Contains(text, poppler.Squash(w)) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}
	body := strings.ReplaceAll(l.Body, "the Repairs team", "the team")
	if missing := Check(ComplimentNotice, l.Data, body); len(missing) != 1 || missing[0].Code != "praised" {
		t.Errorf("a notice leaving out a team praised: Check = %+v, want praised", missing)
	}
}
