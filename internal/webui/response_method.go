package webui

import (
	"net/url"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// responseMethodOptions are the ways a resident may ask to be answered,
// as the forms offer them, in 003's words ("by telephone, text, e-mail,
// face to face or in writing").
var responseMethodOptions = []option{
	{string(complaint.ResponsePhone), "By phone"},
	{string(complaint.ResponseText), "By text message"},
	{string(complaint.ResponseEmail), "By email"},
	{string(complaint.ResponseFaceToFace), "Face to face"},
	{string(complaint.ResponseLetter), "By letter"},
}

// responseMethodLabel is how a page names a way to answer the resident.
func responseMethodLabel(m complaint.ResponseMethod) string {
	for _, o := range responseMethodOptions {
		if o.Value == string(m) {
			return o.Label
		}
	}
	return report.Words(string(m))
}

// responseMethodDetail is the timeline's account of an agreed way to
// answer the resident: the way, the one it replaced, and how it was
// agreed.
func responseMethodDetail(m map[string]any) []string {
	var out []string
	if v, _ := m["method"].(string); v != "" {
		out = append(out, "Answer: "+responseMethodLabel(complaint.ResponseMethod(v)))
	}
	if v, _ := m["was"].(string); v != "" {
		out = append(out, "Was: "+responseMethodLabel(complaint.ResponseMethod(v)))
	}
	if v, _ := m["reason"].(string); v != "" {
		out = append(out, "How it was agreed: "+v)
	}
	return out
}

// contactWayFor is the way the "record of contact" page starts with for a
// spoken answer: a phone call, or a visit for face to face, so that the
// prompt on the case page leads straight to recording the conversation.
func contactWayFor(m complaint.ResponseMethod) string {
	if m == complaint.ResponseFaceToFace {
		return "visit"
	}
	return "phone"
}

// responseMethodField is the way field of the response-method form: what
// was typed, with its error, when the form was just sent; otherwise the
// case's own way, so that a change starts from it.
func responseMethodField(c complaint.Case, active any, typed url.Values, errs []fieldError) formField {
	f := formField{Name: "method", ID: fieldID("response-method-method"), Label: "How they want to be answered",
		Hint: "As agreed with the resident, such as on a call", Value: string(c.ResponseMethod)}
	if a, _ := active.(string); a == "response-method" && typed != nil {
		f.Value = typed.Get("method")
		for _, e := range errs {
			if e.Field == "response-method.method" {
				f.Error = e.Message
			}
		}
	}
	return f
}
