package policy

import (
	"bytes"
	"strings"
	"testing"
)

// 002 §2.3 and 003: greatwell-homes asks the Service Manager to review
// the stage 1 findings, and feedback-policy-2018 offers mediation, each
// quoting its document; no other preset does either.
func TestTheReviewAndMediationSettingsComeFromTheirDocuments(t *testing.T) {
	for _, name := range Presets() {
		p := mustPreset(t, name)
		review, mediation := name == "greatwell-homes", name == "feedback-policy-2018"
		if p.SignOff.ReviewBefore(1) != review || p.SignOff.ReviewBefore(2) {
			t.Errorf("%s: review before stage 1 = %v, stage 2 = %v; want %v, false", name, p.SignOff.ReviewBefore(1), p.SignOff.ReviewBefore(2), review)
		}
		if review && (p.SignOff.ByRole != "Service Manager" || !strings.Contains(p.SignOff.Source, "must not delay the Stage 1 outcome letter")) {
			t.Errorf("%s: by_role %q, source %q", name, p.SignOff.ByRole, p.SignOff.Source)
		}
		if p.Mediation.Offered != mediation {
			t.Errorf("%s: mediation offered = %v, want %v", name, p.Mediation.Offered, mediation)
		}
		if mediation && !strings.Contains(p.Mediation.Source, "free mediation services") {
			t.Errorf("%s: mediation source %q does not quote the document", name, p.Mediation.Source)
		}
	}
}

// Bad review and mediation settings are refused, each naming its field.
func TestBadReviewAndMediationSettingsAreRefused(t *testing.T) {
	base, err := PresetYAML("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ yaml, field string }{
		{"sign_off:\n  stage1_review: maybe\n  by_role: Manager\n", "sign_off.stage1_review"},
		{"sign_off:\n  stage1_review: required\n", "sign_off.by_role"},
		{"sign_off:\n  stage2_review: required\n", "sign_off"},
		{"mediation:\n  offered: sometimes\n", "mediation.offered"},
		{"mediation:\n  free: true\n", "mediation"},
	} {
		_, err := Parse("mine.yaml", append(bytes.Clone(base), []byte("\n"+tt.yaml)...))
		if err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%q: %v, want an error naming %s", tt.yaml, err, tt.field)
		}
	}
	p, err := Parse("mine.yaml", append(bytes.Clone(base), []byte("\nsign_off:\n  stage1_review: required\n  by_role: Head of Service\nmediation:\n  offered: true\n")...))
	if err != nil {
		t.Fatal(err)
	}
	if !p.SignOff.ReviewBefore(1) || p.SignOff.ByRole != "Head of Service" || !p.Mediation.Offered {
		t.Errorf("read %+v %+v", p.SignOff, p.Mediation)
	}
}
