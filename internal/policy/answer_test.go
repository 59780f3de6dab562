package policy

import (
	"strings"
	"testing"
)

// 003 promises to "agree with the customer how they would like us to
// respond"; no other document does. Each preset says which, citing its
// document or saying why it is assumed.
func TestOnly003PromisesToAgreeHowToRespondAndEveryPresetSaysWhy(t *testing.T) {
	for _, name := range Presets() {
		p := mustPreset(t, name)
		want := name == "feedback-policy-2018"
		if p.AgreeResponse.Agree != want {
			t.Errorf("%s: agree_response.agree = %v, want %v", name, p.AgreeResponse.Agree, want)
		}
		src := p.AgreeResponse.Source
		switch {
		case src == "":
			t.Errorf("%s: agree_response cites no source", name)
		case !want && !strings.HasPrefix(src, "assumed"):
			t.Errorf("%s: agree_response source %q does not say it is assumed", name, src)
		case want && !strings.Contains(src, "agree with the customer how they would like us to respond"):
			t.Errorf("%s: agree_response source %q does not quote 003", name, src)
		}
	}
}
