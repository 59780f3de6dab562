package webui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// detailsCommand is the "Change details" form's command: only the
// details that differ from the case's, so the event records what the
// officer changed and nothing else. The rules check each as when the
// case was logged.
func detailsCommand(r *http.Request, c complaint.Case) complaint.EditDetails {
	f := r.PostForm
	var cmd complaint.EditDetails
	if t := complaint.Tenure(f.Get("tenure")); t != c.Tenure {
		cmd.Tenure = &t
	}
	if v := f.Get("service_area"); strings.TrimSpace(v) != c.ServiceArea {
		cmd.ServiceArea = &v
	}
	if v := formCategories(f, lines); !slices.Equal(v, c.Categories) && !(len(v) == 0 && len(c.Categories) == 0) {
		cmd.Categories = &v
	}
	if v := f.Get("summary"); strings.TrimSpace(v) != c.Summary {
		cmd.Summary = &v
	}
	p := complaint.Person{
		Name: f.Get("complainant.name"), Email: f.Get("complainant.email"), Phone: f.Get("complainant.phone"),
		Address: f.Get("complainant.address"), Postcode: f.Get("complainant.postcode"), TenancyRef: f.Get("complainant.tenancy_ref"),
	}
	trimmed := complaint.Person{
		Name: strings.TrimSpace(p.Name), Email: strings.TrimSpace(p.Email), Phone: strings.TrimSpace(p.Phone),
		Address: strings.TrimSpace(p.Address), Postcode: strings.ToUpper(strings.TrimSpace(p.Postcode)), TenancyRef: strings.TrimSpace(p.TenancyRef),
	}
	if trimmed != c.Complainant {
		cmd.Complainant = &p
	}
	// A form without the field (an older page) leaves the line manager
	// as it is rather than removing it.
	if v, ok := f["line_manager"]; ok && len(v) > 0 && strings.TrimSpace(v[0]) != c.LineManager {
		lm := strings.TrimSpace(v[0])
		cmd.LineManager = &lm
	}
	// The description and the representative are on the details page,
	// not on every form that sends details: a form without them leaves
	// them as they are rather than clearing them.
	if v, ok := f["description"]; ok && len(v) > 0 && strings.TrimSpace(v[0]) != c.Description {
		cmd.Description = &v[0]
	}
	if _, ok := f["representative.name"]; ok {
		cmd.Representative = representativeChange(f, c.Representative)
	}
	// A member enquiry's member is on the details page only (002 §3).
	if _, ok := f["member.name"]; ok && c.Member != nil {
		m := memberFromForm(complaint.KindMemberEnquiry, f)
		if trimmed := *m; strings.TrimSpace(trimmed.Name) != c.Member.Name || trimmed.Office != c.Member.Office || trimmed.Email != c.Member.Email ||
			strings.TrimSpace(trimmed.Phone) != c.Member.Phone || strings.TrimSpace(trimmed.Address) != c.Member.Address ||
			trimmed.ResidentConsent != c.Member.ResidentConsent || trimmed.CopyToResident != c.Member.CopyToResident {
			cmd.Member = m
		}
	}
	cmd.Reason = f.Get("reason")
	return cmd
}

// representativeChange is the representative the form gives, or nil if
// it changes nothing: the case's own, or none where the case has none and
// the form's fields are blank. A representative is not removed by
// blanking the fields: the domain refuses that, and says why.
func representativeChange(f url.Values, was *complaint.Representative) *complaint.Representative {
	rep := complaint.Representative{
		Name: f.Get("representative.name"), Relationship: f.Get("representative.relationship"),
		ConsentRecorded: f.Get("representative.consent_recorded") == "yes",
		Email:           f.Get("representative.email"), Phone: f.Get("representative.phone"),
	}
	trimmed := complaint.Representative{
		Name: strings.TrimSpace(rep.Name), Relationship: strings.TrimSpace(rep.Relationship), ConsentRecorded: rep.ConsentRecorded,
		Email: strings.TrimSpace(rep.Email), Phone: strings.TrimSpace(rep.Phone),
	}
	switch {
	case was == nil && trimmed == complaint.Representative{}:
		return nil
	case was != nil && trimmed == *was:
		return nil
	}
	return &rep
}

// detailsForm is what the "Change details" form shows: what was typed
// when it was just sent, else the case's details as they are, the
// representative's included where the case has one.
func detailsForm(c complaint.Case, active string, typed url.Values) url.Values {
	if active == "details" && typed != nil {
		return typed
	}
	v := url.Values{
		"tenure": {string(c.Tenure)}, "service_area": {c.ServiceArea}, "categories": {strings.Join(c.Categories, "\n")},
		"summary": {c.Summary}, "complainant.name": {c.Complainant.Name}, "complainant.email": {c.Complainant.Email},
		"complainant.phone": {c.Complainant.Phone}, "complainant.address": {c.Complainant.Address},
		"complainant.postcode": {c.Complainant.Postcode}, "complainant.tenancy_ref": {c.Complainant.TenancyRef},
		"line_manager": {c.LineManager}, "description": {c.Description},
	}
	if m := c.Member; m != nil {
		v["member.name"], v["member.office"], v["member.email"] = []string{m.Name}, []string{string(m.Office)}, []string{m.Email}
		v["member.phone"], v["member.address"] = []string{m.Phone}, []string{m.Address}
		if m.ResidentConsent {
			v.Set("member.resident_consent", "yes")
		}
		if m.CopyToResident {
			v.Set("member.copy_to_resident", "yes")
		}
	}
	if r := c.Representative; r != nil {
		v["representative.name"], v["representative.relationship"] = []string{r.Name}, []string{r.Relationship}
		v["representative.email"], v["representative.phone"] = []string{r.Email}, []string{r.Phone}
		if r.ConsentRecorded {
			v.Set("representative.consent_recorded", "yes")
		}
	}
	return v
}

// detailChanges describes a details_edited event's changes, old and new.
func detailChanges(m map[string]any) []string {
	var out []string
	changes, _ := m["changes"].([]any)
	for _, ch := range changes {
		c, _ := ch.(map[string]any)
		from, to := toString(c["from"]), toString(c["to"])
		if toString(c["field"]) == "tenure" {
			from, to = tenureWords(from), tenureWords(to)
		}
		if from == "" {
			from = "(none)"
		}
		if to == "" {
			to = "(none)"
		}
		out = append(out, detailLabel(toString(c["field"]))+": "+from+" changed to "+to)
	}
	return out
}

func tenureWords(t string) string {
	if t == "" {
		return "not recorded"
	}
	for _, o := range tenureOptions {
		if o.Value == t {
			return o.Label
		}
	}
	return report.Words(t)
}

func detailLabel(field string) string {
	switch field {
	case "tenure":
		return "Tenure"
	case "service_area":
		return "Service area"
	case "categories":
		return "Categories"
	case "summary":
		return "Summary"
	case "line_manager":
		return "Line manager (may see the case if confidential)"
	case "description":
		return "What happened"
	case "representative.consent_recorded":
		return "Representative's consent recorded"
	case "member.resident_consent":
		return "Resident's consent to the member acting for them"
	case "member.copy_to_resident":
		return "Copy of the response to the resident"
	}
	if rest, ok := strings.CutPrefix(field, "member."); ok {
		return "Member's " + strings.ReplaceAll(rest, "_", " ")
	}
	if rest, ok := strings.CutPrefix(field, "representative."); ok {
		return "Representative's " + strings.ReplaceAll(rest, "_", " ")
	}
	if rest, ok := strings.CutPrefix(field, "complainant."); ok {
		return "Resident's " + strings.ReplaceAll(rest, "_", " ")
	}
	return report.Words(field)
}
