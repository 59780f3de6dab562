package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/portal"
	"github.com/redresshq/redress/internal/store"
)

// The national numbers every resident in danger is given.
var nationalEmergency = []string{"If anyone is in danger, call 999.", "National Gas Emergency Service on 0800 111 999"}

// dangerAnswers are goodAnswers with a danger to health or safety now.
func dangerAnswers() map[string]url.Values {
	a := goodAnswers()
	a["danger"] = url.Values{"danger": {"yes"}, "danger-details": {"There is a strong smell of gas in the kitchen."}}
	return a
}

// The question is asked of every resident, in plain words with examples,
// as GOV.UK radios that need no script.
func TestDangerQuestionIsAskedInPlainWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("danger", goodAnswers())
	r := c.get("/complain/danger")
	wantStatus(t, "danger question", r, 200)
	wantText(t, "danger question", r, "Is anything in your home a danger to your health or safety right now?",
		"a smell of gas", "electric wiring you can see", "no heating or hot water, with someone at home who is elderly, disabled, ill, pregnant or a young child", "damp or mould",
		"Yes", "No", "If you answered yes, what is the danger?")
	for _, want := range []string{`type="radio" value="yes"`, `type="radio" value="no"`, `<form method="post" action="/complain/danger"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the question page lacks %s", want)
		}
	}
	// Nobody has said yes yet: no emergency details.
	noText(t, "danger question", r, nationalEmergency...)
}

// A yes shows whom to call at once, on every page after it and on the
// confirmation; flags the case as a health and safety risk; and puts the
// resident's words about the danger at the top of its description,
// marked as theirs. The check page shows the answer and lets it change.
func TestDangerYesShowsEmergencyDetailsAndFlagsTheCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *portal.Server) { s.EmergencyContact = "Emergency repairs, day or night: 0300 123 4599" })
	c := e.client()
	c.fillTo("danger", dangerAnswers())
	r := c.post("/complain/danger", dangerAnswers()["danger"])
	wantRedirect(t, "yes", r, "/complain/formal")
	r = c.get("/complain/formal")
	wantText(t, "the next page", r, append(nationalEmergency, "If you are in danger now", "Emergency repairs, day or night: 0300 123 4599")...)

	c.fillTo("check", dangerAnswers())
	r = c.get("/complain/check")
	wantText(t, "check page", r, "A danger to health or safety now Yes: There is a strong smell of gas in the kitchen.")
	wantText(t, "check page", r, nationalEmergency...)
	if !strings.Contains(r.Body, `href="/complain/danger">Change<span class="govuk-visually-hidden"> whether anything in your home is a danger`) {
		t.Errorf("the check page has no change link to the danger question")
	}
	k := c.send()
	if !k.HealthAndSafety || !k.SafetyWaiting() {
		t.Errorf("the case is not flagged for the senior managers: flagged %v", k.HealthAndSafety)
	}
	want := "DANGER TO HEALTH OR SAFETY NOW, in the resident's words: There is a strong smell of gas in the kitchen.\n\nThe boiler has failed three times since October."
	if k.Description != want {
		t.Errorf("description = %q, want %q", k.Description, want)
	}
	r = c.get("/complain/confirmation")
	wantStatus(t, "confirmation", r, 200)
	wantText(t, "confirmation", r, append(nationalEmergency, "Emergency repairs, day or night: 0300 123 4599", k.Reference)...)
}

// A no shows no emergency details, sets no flag and leaves the
// description as the resident wrote it.
func TestDangerNoShowsNoEmergencyDetails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("check", goodAnswers())
	for _, path := range []string{"/complain/formal", "/complain/files", "/complain/check"} {
		r := c.get(path)
		wantStatus(t, path, r, 200)
		noText(t, path, r, append(nationalEmergency, "If you are in danger now")...)
	}
	wantText(t, "check page", c.get("/complain/check"), "A danger to health or safety now No")
	k := c.send()
	if k.HealthAndSafety {
		t.Error("a no flagged the case as a health and safety risk")
	}
	if k.Description != "The boiler has failed three times since October." {
		t.Errorf("description = %q", k.Description)
	}
	noText(t, "confirmation", c.get("/complain/confirmation"), nationalEmergency...)
}

// Changing the answer from the check page goes back to it, and the case
// sent follows the answer as it is at the end.
func TestDangerAnswerChangedFromTheCheckPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("check", dangerAnswers())
	wantStatus(t, "check page", c.get("/complain/check"), 200)
	r := c.post("/complain/danger", url.Values{"danger": {"no"}, "danger-details": {"Left over from before"}})
	wantRedirect(t, "changed to no", r, "/complain/check")
	r = c.get("/complain/check")
	wantText(t, "check page", r, "A danger to health or safety now No")
	noText(t, "check page", r, "Left over from before", "0800 111 999")
	if k := c.send(); k.HealthAndSafety || strings.Contains(k.Description, "DANGER") {
		t.Errorf("changed to no, the case is flagged %v with description %q", k.HealthAndSafety, k.Description)
	}
}

// A refused answer changes nothing: the draft keeps the answer before it,
// and no emergency details are shown for a yes that was not accepted.
func TestDangerInvalidAnswerChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("formal", goodAnswers())
	before := c.draft().Answers
	r := c.post("/complain/danger", url.Values{"danger": {"yes"}})
	wantStatus(t, "yes without the danger", r, http.StatusBadRequest)
	wantErrors(t, "yes without the danger", r, map[string]string{"danger-details": "Tell us what the danger is"})
	if after := c.draft().Answers; string(after) != string(before) {
		t.Errorf("a refused answer changed the draft:\nbefore %s\nafter  %s", before, after)
	}
	r = c.post("/complain/danger", url.Values{"danger": {"sometimes"}})
	wantStatus(t, "an answer not offered", r, http.StatusBadRequest)
	wantErrors(t, "an answer not offered", r, map[string]string{"danger": "Select yes if anything in your home is a danger to health or safety right now"})
	if after := c.draft().Answers; string(after) != string(before) {
		t.Errorf("a refused answer changed the draft")
	}
}

// The landlord's own emergency line is the setting where there is one,
// else the letterhead's contact lines as the landlord keeps them, else
// where to find the number.
func TestEmergencyContactComesFromTheSettingOrTheLetterhead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		setting    string
		letterhead []string
		want       string
	}{
		{"the setting", "Emergency repairs: 0300 123 4599", []string{"Telephone 0300 123 4567"}, "Emergency repairs: 0300 123 4599"},
		{"the letterhead", "", []string{"Telephone 0300 123 4567", "Email complaints@riversidevale.example"}, "Telephone 0300 123 4567"},
		{"neither", "", nil, "The number is on your tenancy agreement and your rent statement."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(s *portal.Server) { s.EmergencyContact = tt.setting })
			if tt.letterhead != nil {
				if err := e.db.SetLetterhead(context.Background(), store.Letterhead{Name: "Riverside Vale Homes", Address: []string{"Riverside House"}, Contact: tt.letterhead, UpdatedBy: "admin@example.org", UpdatedAt: monday}); err != nil {
					t.Fatal(err)
				}
			}
			c := e.client()
			c.fillTo("formal", dangerAnswers())
			r := c.get("/complain/formal")
			wantText(t, "the next page", r, append(nationalEmergency, tt.want)...)
			if tt.setting != "" {
				noText(t, "the next page", r, tt.letterhead...)
			}
		})
	}
}
