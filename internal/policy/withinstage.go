package policy

import (
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/enum"
)

// Whether a stage's findings must be reviewed before its response goes.
const (
	ReviewRequired = "required"
	ReviewNone     = "none"
)

// SignOff is the landlord's rule that someone reviews a stage's findings
// before its response letter is issued: Greatwell Homes' complaints
// officer "will discuss their findings ... with the relevant Service
// Manager before the Stage 1 outcome letter is issued", and "this must not
// delay the Stage 1 outcome letter" (002 §2.3). Redress asks for the
// review before the response letter goes, and lets the officer send it
// without one, with a recorded reason, so that the review never holds the
// letter past its due date; the deadline never moves for it.
type SignOff struct {
	// Stage1Review is "required" where stage 1's findings are reviewed
	// before its response letter goes; empty or "none" where they are
	// not.
	Stage1Review string `yaml:"stage1_review,omitempty" json:"stage1_review,omitempty"`
	// ByRole is who reviews, as staff call them ("Service Manager"). The
	// reviewer is often not a user of Redress, so it is a label the form
	// shows and the record keeps, not one of Redress's roles.
	ByRole string `yaml:"by_role,omitempty" json:"by_role,omitempty"`
	// Source quotes or cites the document.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// ReviewBefore reports whether stage n's findings must be reviewed (or
// the letter sent without the review, with a reason) before its response
// letter is issued.
func (s SignOff) ReviewBefore(n int) bool {
	return n == 1 && s.Stage1Review == ReviewRequired
}

// Mediation says whether the landlord offers mediation within a stage:
// "mediation may be an appropriate way to move the complaint forwards
// towards a resolution and we will happily offer free mediation services
// to customers where appropriate" (003). Mediation is a route within the
// stage, never a pause: the stage's deadlines run on (the Code has
// extensions, not stopped clocks).
type Mediation struct {
	// Offered is true where the document offers mediation.
	Offered bool `yaml:"offered,omitempty" json:"offered,omitempty"`
	// Source quotes or cites the document.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// validateWithinStage returns every problem with the settings for what
// happens within a stage: the review before the response, and mediation.
func (p *Policy) validateWithinStage() []FieldError {
	var errs []FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	s := p.SignOff
	if s.Stage1Review != "" {
		if _, err := enum.Parse(s.Stage1Review, []string{ReviewRequired, ReviewNone}, "allowed"); err != nil {
			bad("sign_off.stage1_review", "%v", err)
		}
	}
	if s.Stage1Review == ReviewRequired && strings.TrimSpace(s.ByRole) == "" {
		bad("sign_off.by_role", "is required with a review: say who reviews the findings, such as Service Manager")
	}
	if len(s.ByRole) > 100 {
		bad("sign_off.by_role", "is longer than 100 characters")
	}
	return errs
}
