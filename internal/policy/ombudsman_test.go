package policy

import (
	"bytes"
	"strings"
	"testing"
)

// 002 §2.6: "A member of our Executive Management Team will approve our
// response to the Housing Ombudsman in all cases." Only greatwell-homes
// says so; the Code and the other documents ask no such sign-off.
func TestExecutiveApprovalOfTheOmbudsmanResponseIsRequiredOnlyWhereTheDocumentSaysSo(t *testing.T) {
	for _, name := range Presets() {
		p := mustPreset(t, name)
		want := name == "greatwell-homes"
		if got := p.OmbudsmanStage.ExecutiveApproval; got != want {
			t.Errorf("%s: executive_approval = %v, want %v", name, got, want)
		}
		if want && !strings.Contains(p.OmbudsmanStage.Source, "Executive Management Team will approve") {
			t.Errorf("%s: the setting cites %q, not the document's words", name, p.OmbudsmanStage.Source)
		}
	}
}

func TestExecutiveApprovalWithoutASourceIsRefusedNamingTheField(t *testing.T) {
	base, err := PresetYAML("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse("mine.yaml", append(bytes.Clone(base), []byte("\nombudsman_stage:\n  executive_approval: true\n  source: \"our policy 4.1\"\n")...))
	if err != nil {
		t.Fatal(err)
	}
	if !p.OmbudsmanStage.ExecutiveApproval {
		t.Error("executive_approval: true was not read")
	}
	_, err = Parse("mine.yaml", append(bytes.Clone(base), []byte("\nombudsman_stage:\n  executive_approval: true\n")...))
	if err == nil || !strings.Contains(err.Error(), "ombudsman_stage.source") {
		t.Errorf("err = %v, want one naming ombudsman_stage.source", err)
	}
}
