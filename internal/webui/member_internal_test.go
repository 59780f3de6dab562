package webui

import (
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// 002 §3 calls them "MP and Councillor enquiries": under greatwell-homes
// staff see that name for a member enquiry; elsewhere the plain name.
func TestStaffSeeTheLandlordsNameForMemberEnquiries(t *testing.T) {
	for preset, want := range map[string]string{"greatwell-homes": "MP and Councillor enquiry", "code-2024": "Member enquiry"} {
		p, err := policy.Preset(preset)
		if err != nil {
			t.Fatal(err)
		}
		if got := kindNamer(p)(complaint.KindMemberEnquiry); got != want {
			t.Errorf("%s names a member enquiry %q, want %q", preset, got, want)
		}
	}
}
