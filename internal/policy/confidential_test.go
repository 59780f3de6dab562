package policy

import (
	"bytes"
	"strings"
	"testing"
)

// Issue 12, rule 10, greatwell-homes (002): a complaint about a member of
// staff is seen only by the people its case names, not by every manager;
// every other preset leaves it to every manager, as the Code does.
func TestConfidentialCasesAreKeptToTheirNamedViewersOnlyWhereTheDocumentSaysSo(t *testing.T) {
	for _, name := range Presets() {
		p := mustPreset(t, name)
		want := name == "greatwell-homes"
		if p.Confidential.NamedViewersOnly != want {
			t.Errorf("%s: named_viewers_only = %v, want %v", name, p.Confidential.NamedViewersOnly, want)
		}
		if want && !strings.Contains(p.Confidential.Source, "relevant line Manager") {
			t.Errorf("%s: the setting cites %q, not the document's words", name, p.Confidential.Source)
		}
	}
}

func TestConfidentialSettingIsReadFromAPolicyFile(t *testing.T) {
	base, err := PresetYAML("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse("mine.yaml", append(bytes.Clone(base), []byte("\nconfidential:\n  named_viewers_only: true\n")...))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Confidential.NamedViewersOnly {
		t.Error("named_viewers_only: true was not read")
	}
	_, err = Parse("mine.yaml", append(bytes.Clone(base), []byte("\nconfidential:\n  managers_see_all: false\n")...))
	if err == nil || !strings.Contains(err.Error(), "confidential") {
		t.Errorf("an unknown key under confidential: %v, want it refused", err)
	}
}
