package webui

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/web/view"
)

// Issue 12, rule 10: staff see the landlord's own names for its kinds of
// contact, and the plain name where the policy gives none.
func TestRule10StaffSeeTheLandlordsNamesForItsKinds(t *testing.T) {
	tests := []struct {
		preset string // "" for no policy
		kind   any
		want   string
	}{
		{"gentoo", complaint.Kind("service_request"), "Own it, fix it"},
		{"gentoo", "service_request", "Own it, fix it"},
		{"greatwell-homes", complaint.Kind("service_request"), "Customer concern"},
		{"customer-feedback", complaint.Kind("service_request"), "There and then"},
		{"feedback-policy-2018", complaint.Kind("service_request"), "Concern"},
		{"five-steps", complaint.Kind("feedback"), "Negative feedback"},
		{"gentoo", complaint.Kind("enquiry"), "Enquiry"}, // not listed: the plain name
		{"gentoo", complaint.KindComplaint, "Complaint"}, // complaints are the stages
		{"code-2024", complaint.Kind("service_request"), "Service request"},
		{"", complaint.Kind("service_request"), "Service request"},
	}
	for _, tt := range tests {
		t.Run(tt.preset+"/"+template.HTMLEscapeString(tt.want), func(t *testing.T) {
			var p *policy.Policy
			if tt.preset != "" {
				var err error
				if p, err = policy.Preset(tt.preset); err != nil {
					t.Fatal(err)
				}
			}
			if got := kindNamer(p)(tt.kind); got != tt.want {
				t.Errorf("kindName(%v) = %q, want %q", tt.kind, got, tt.want)
			}
			// The template function is the same, as a page calls it.
			tm := template.Must(template.New("t").Funcs(templateFuncsFor(&view.Assets{}, p)).Parse(`{{kindName .}}`))
			var b bytes.Buffer
			if err := tm.Execute(&b, tt.kind); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != template.HTMLEscapeString(tt.want) {
				t.Errorf("{{kindName .}} = %q, want %q", got, tt.want)
			}
		})
	}
}

// The new-contact form offers a renamed kind under the landlord's name,
// with the plain name beside it.
func TestRule10NewContactFormOffersTheLandlordsNames(t *testing.T) {
	gentoo, err := policy.Preset("gentoo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		p    *policy.Policy
		want string
	}{
		{gentoo, "Own it, fix it (service request): a request to put something right"},
		{nil, "Service request: a request to put something right"},
	}
	for _, tt := range tests {
		opts := templateFuncsFor(&view.Assets{}, tt.p)["kinds"].(func() []option)()
		found := false
		for _, o := range opts {
			if o.Value == "service_request" {
				found = true
				if o.Label != tt.want {
					t.Errorf("service request offered as %q, want %q", o.Label, tt.want)
				}
			}
		}
		if !found {
			t.Error("no service request offered")
		}
	}
}
