package portal_test

// Browser test of the hazard question (Awaab's Law, issue 14): headless
// Chromium answers it, with and without a script, and axe checks the
// question, its error and the emergency contact details that a yes shows
// at once. It skips when no Chromium is installed.

import (
	"testing"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/portal"
)

func TestDangerQuestionAndEmergencyDetailsInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t, func(s *portal.Server) { s.EmergencyContact = "Emergency repairs, day or night: 0300 123 4599" })
	tb.WantStatus("first question", tb.Open("/complain/kind"), 200)
	tb.Choose("kind")
	tb.continueOn("kind")
	tb.WantPath("after kind", "/complain/danger")
	tb.WantText("danger question", "Is anything in your home a danger to your health or safety right now?",
		"a smell of gas", "electric wiring you can see", "no heating or hot water", "damp or mould")
	tb.Look("danger")

	// Yes without saying what the danger is: the error, on the field.
	tb.Choose("danger")
	tb.WantStatus("yes with nothing said", tb.Submit(`main form button[type="submit"]`), 400)
	errs := tb.errorSummary("yes with nothing said")
	if len(errs) != 1 || errs[0].Href != "#danger-details" {
		t.Errorf("yes with nothing said: errors %+v", errs)
	}
	tb.Look("danger-error")
	tb.TypeInto("danger-details", "Bare wires hanging from the ceiling light in the hall.")
	tb.continueOn("danger")

	// At once, on the next page: whom to call.
	tb.WantPath("after danger", "/complain/formal")
	tb.WantText("emergency details", "If you are in danger now", "If anyone is in danger, call 999.",
		"National Gas Emergency Service on 0800 111 999", "Emergency repairs, day or night: 0300 123 4599")
	tb.Look("danger-emergency")
}

// Without a script the question about the danger is shown with the
// radios, and the answer still goes through.
func TestDangerQuestionWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.DisableJavaScript()
	tb.WantStatus("first question", tb.Open("/complain/kind"), 200)
	tb.Choose("kind-suggestion")
	tb.continueOn("kind")
	tb.WantPath("after kind", "/complain/danger")
	if !browsertest.Eval[bool](tb.Tab, `document.getElementById("danger-details").getClientRects().length > 0`) {
		t.Errorf("without JavaScript the question about the danger is hidden")
	}
	tb.Look("danger-no-js")
	tb.Choose("danger")
	tb.TypeInto("danger-details", "Black mould on the bedroom wall; my son has asthma.")
	tb.continueOn("danger")
	tb.WantPath("after danger", "/complain/who")
	tb.WantText("emergency details", "If anyone is in danger, call 999.", "National Gas Emergency Service on 0800 111 999",
		"The number is on your tenancy agreement and your rent statement.")
	tb.Look("danger-emergency-no-js")
}
