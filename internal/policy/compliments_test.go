package policy

import (
	"bytes"
	"strings"
	"testing"
)

// Issue 19, item 5: gentoo (000) passes compliments on to colleagues;
// feedback-policy-2018 (003 §2) passes them on to staff and publicises
// them. Each setting quotes the document.
func TestComplimentsArePassedOnAndPublishedWhereTheDocumentSaysSo(t *testing.T) {
	for _, name := range Presets() {
		p := mustPreset(t, name)
		wantPassOn := name == "gentoo" || name == "feedback-policy-2018"
		wantPublish := name == "feedback-policy-2018"
		c := p.Compliments
		if c.PassOn != wantPassOn || c.Publish != wantPublish || c.StaffSurnames {
			t.Errorf("%s: compliments = %+v, want pass_on %v, publish %v, no surnames", name, c, wantPassOn, wantPublish)
		}
		quote := map[string]string{"gentoo": "individual feedback to colleagues", "feedback-policy-2018": "Feedback on compliments is given to staff"}[name]
		if quote != "" && !strings.Contains(c.Source, quote) {
			t.Errorf("%s: the setting cites %q, not the document's words", name, c.Source)
		}
	}
}

func TestComplimentPromisesNeedTheirSource(t *testing.T) {
	base, err := PresetYAML("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("mine.yaml", append(bytes.Clone(base), []byte("\ncompliments:\n  pass_on: true\n")...))
	if err == nil || !strings.Contains(err.Error(), "compliments.source") {
		t.Errorf("pass_on without a source: %v, want compliments.source named", err)
	}
	p, err := Parse("mine.yaml", append(bytes.Clone(base), []byte("\ncompliments:\n  pass_on: true\n  source: our page\n")...))
	if err != nil || !p.Compliments.PassOn {
		t.Errorf("pass_on with a source: %v, %+v", err, p)
	}
}

// Issue 19, item 6: feedback-policy-2018 (003) makes a written response
// "available to all petitioners"; no other document promises it.
func TestGroupResponsesGoToEveryMemberWhereTheDocumentSaysSo(t *testing.T) {
	for _, name := range Presets() {
		p := mustPreset(t, name)
		want := name == "feedback-policy-2018"
		if p.Groups.RespondToEveryMember != want {
			t.Errorf("%s: respond_to_every_member = %v, want %v", name, p.Groups.RespondToEveryMember, want)
		}
		if want && !strings.Contains(p.Groups.Source, "available to all petitioners") {
			t.Errorf("%s: the setting cites %q, not the document's words", name, p.Groups.Source)
		}
	}
	base, err := PresetYAML("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("mine.yaml", append(bytes.Clone(base), []byte("\ngroups:\n  respond_to_every_member: true\n")...)); err == nil || !strings.Contains(err.Error(), "groups.source") {
		t.Errorf("respond_to_every_member without a source: %v, want groups.source named", err)
	}
}
