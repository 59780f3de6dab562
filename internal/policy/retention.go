package policy

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Retention is how long the landlord keeps a closed contact's personal
// data before it is anonymised (UK GDPR Art. 5(1)(e): no longer than
// necessary). None of the five policy documents sets a period, so each
// kind not given takes a default below, which is an assumption the
// landlord should confirm. A period runs from the case's closure (or its
// refusal or withdrawal).
type Retention struct {
	// Each kind of contact's period; a zero period takes the default.
	Complaint      Period `yaml:"complaint,omitempty" json:"complaint,omitzero"`
	ServiceRequest Period `yaml:"service_request,omitempty" json:"service_request,omitzero"`
	Compliment     Period `yaml:"compliment,omitempty" json:"compliment,omitzero"`
	Suggestion     Period `yaml:"suggestion,omitempty" json:"suggestion,omitzero"`
	Feedback       Period `yaml:"feedback,omitempty" json:"feedback,omitzero"`
	Enquiry        Period `yaml:"enquiry,omitempty" json:"enquiry,omitzero"`
	MemberEnquiry  Period `yaml:"member_enquiry,omitempty" json:"member_enquiry,omitzero"`
	// Source quotes or cites the document; Assumed says the values are
	// not in it.
	Source  string `yaml:"source,omitempty" json:"source,omitempty"`
	Assumed bool   `yaml:"assumed,omitempty" json:"assumed,omitempty"`
}

// kinds returns each kind's period as set, by kind.
func (r Retention) kinds() map[string]Period {
	return map[string]Period{
		"complaint": r.Complaint, "service_request": r.ServiceRequest, "compliment": r.Compliment, "suggestion": r.Suggestion,
		"feedback": r.Feedback, "enquiry": r.Enquiry, "member_enquiry": r.MemberEnquiry,
	}
}

// Period is a retention period in years and months after closure.
type Period struct {
	Years  int `yaml:"years,omitempty" json:"years,omitempty"`
	Months int `yaml:"months,omitempty" json:"months,omitempty"`
}

// RetentionKinds are the kinds of contact a retention period is set for;
// policy cannot import complaint, which owns the kinds, so a test there
// checks that the two lists agree.
var RetentionKinds = []string{"complaint", "service_request", "compliment", "suggestion", "feedback", "enquiry", "member_enquiry"}

// DefaultRetention is used for every kind a policy does not set: six
// years for complaints (the limitation period for a claim in contract or
// tort, Limitation Act 1980 s.2 and s.5, within which the record may be
// needed), two years for every other kind (long enough to see repeat
// contact and report a year on year). Both are assumptions.
var DefaultRetention = map[string]Period{
	"complaint": {Years: 6}, "service_request": {Years: 2}, "compliment": {Years: 2}, "suggestion": {Years: 2},
	"feedback": {Years: 2}, "enquiry": {Years: 2}, "member_enquiry": {Years: 2},
}

// RetentionAssumption says why the defaults are what they are, for the
// policy page and `redress policy`.
const RetentionAssumption = "assumed: none of the policy documents sets a retention period; complaints are kept 6 years after closure (the Limitation Act 1980 period for a claim), other contacts 2 years"

// For returns the period for a kind and whether it is the default.
func (r Retention) For(kind string) (p Period, assumed bool) {
	if p := r.kinds()[kind]; p != (Period{}) {
		return p, r.Assumed
	}
	return DefaultRetention[kind], true
}

// Due returns when a case of this kind closed at closed is due to be
// anonymised.
func (r Retention) Due(kind string, closed time.Time) time.Time {
	p, _ := r.For(kind)
	return closed.AddDate(p.Years, p.Months, 0)
}

// Rule names the period for a kind, as an anonymisation records it.
func (r Retention) Rule(kind string) string {
	p, assumed := r.For(kind)
	s := fmt.Sprintf("%s: %s after closure", kind, p)
	if assumed {
		s += " (assumed default)"
	}
	return s
}

// String writes the period as "6 years", "18 months" or "1 year 6 months".
func (p Period) String() string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case p.Years > 0 && p.Months > 0:
		return plural(p.Years, "year") + " " + plural(p.Months, "month")
	case p.Months > 0:
		return plural(p.Months, "month")
	}
	return plural(p.Years, "year")
}

func (r Retention) validate() []FieldError {
	var errs []FieldError
	periods := r.kinds()
	for _, kind := range slices.Sorted(maps.Keys(periods)) {
		p := periods[kind]
		field := "retention." + kind
		switch {
		case p.Years < 0 || p.Months < 0:
			errs = append(errs, FieldError{Field: field, Message: "a period cannot be negative"})
		case p.Years*12+p.Months > 100*12:
			errs = append(errs, FieldError{Field: field, Message: "is more than 100 years: give years or months after closure"})
		}
	}
	return errs
}
