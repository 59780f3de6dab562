package report

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/calendar"
)

// Review is what a landlord writes for a year's annual complaints
// performance and service improvement report (Code 8.1 and 8.2): the
// self-assessment against each provision, the service improvements made
// ("you said, we did"), and the governing body's response. The figures
// come from the cases; these words come from people.
type Review struct {
	Year         Year          `json:"year"`
	Assessments  []Assessment  `json:"assessments"` // in Code order, only those answered
	Improvements []Improvement `json:"improvements"`
	Response     Response      `json:"governing_body_response"`
}

// Assessment is the self-assessment of one provision of the Code.
type Assessment struct {
	Provision  string    `json:"provision"`
	Complies   string    `json:"complies"` // one of Compliance
	Evidence   string    `json:"evidence"`
	Commentary string    `json:"commentary"` // required when it does not fully comply
	UpdatedBy  string    `json:"updated_by"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Compliance is the answers a provision's self-assessment may take. The
// Ombudsman's form asks yes or no; "partly" is there because boards need
// to see work in progress, and it needs an explanation just as "no" does.
var Compliance = []string{"yes", "partly", "no"}

// Improvement is one service improvement made because of complaints.
type Improvement struct {
	ID          int64     `json:"id"`
	ServiceArea string    `json:"service_area"`
	YouSaid     string    `json:"you_said"`
	WeDid       string    `json:"we_did"`
	AddedBy     string    `json:"added_by"`
	AddedAt     time.Time `json:"added_at"`
}

// Response is the governing body's response to the year's report, which
// the Code requires to be published with it (8.2).
type Response struct {
	Text      string        `json:"text"`
	Date      calendar.Date `json:"date"` // the meeting that agreed it
	UpdatedBy string        `json:"updated_by"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// Limits on what people type into a review. A provision's evidence is a
// paragraph or two with links; a board's response is a page at most.
const (
	maxReviewText   = 5000
	maxResponseText = 20000
	maxShortText    = 200
)

// Find returns the assessment of a provision, if one was made.
func (r Review) Find(provision string) (Assessment, bool) {
	for _, a := range r.Assessments {
		if a.Provision == provision {
			return a, true
		}
	}
	return Assessment{}, false
}

// CheckAssessment says what is wrong with an assessment, by field, or
// returns nil. Fields are named as the forms and the API name them.
func CheckAssessment(a Assessment) map[string]string {
	errs := map[string]string{}
	if _, ok := FindProvision(a.Provision); !ok {
		errs["provision"] = fmt.Sprintf("%q is not a provision of the Complaint Handling Code", a.Provision)
	}
	switch a.Complies {
	case "yes":
	case "partly", "no":
		if strings.TrimSpace(a.Commentary) == "" {
			errs["commentary"] = "must explain why the provision is not fully met and by when it will be, as the Code asks"
		}
	default:
		errs["complies"] = "must be one of: " + strings.Join(Compliance, ", ")
	}
	checkText(errs, "evidence", a.Evidence, maxReviewText)
	checkText(errs, "commentary", a.Commentary, maxReviewText)
	return nilIfEmpty(errs)
}

// CheckImprovement says what is wrong with an improvement, by field.
func CheckImprovement(im Improvement) map[string]string {
	errs := map[string]string{}
	if strings.TrimSpace(im.YouSaid) == "" {
		errs["you_said"] = "must say what residents told us"
	}
	if strings.TrimSpace(im.WeDid) == "" {
		errs["we_did"] = "must say what we changed"
	}
	checkText(errs, "service_area", im.ServiceArea, maxShortText)
	checkText(errs, "you_said", im.YouSaid, maxReviewText)
	checkText(errs, "we_did", im.WeDid, maxReviewText)
	return nilIfEmpty(errs)
}

// CheckResponse says what is wrong with a governing body's response.
func CheckResponse(r Response) map[string]string {
	errs := map[string]string{}
	if strings.TrimSpace(r.Text) == "" {
		errs["text"] = "must give the governing body's response"
	}
	if r.Date.IsZero() {
		errs["date"] = "must give the date the governing body agreed it"
	}
	checkText(errs, "text", r.Text, maxResponseText)
	return nilIfEmpty(errs)
}

// CheckYear says what is wrong with a reporting year, if anything.
func CheckYear(y Year) error {
	if y < 2000 || y > 2100 {
		return fmt.Errorf("must be a year from 2000 to 2100")
	}
	return nil
}

// CompareProvisions orders provision numbers as the Code does: 6.9
// before 6.10.
func CompareProvisions(a, b string) int {
	an, bn := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(an) && i < len(bn); i++ {
		x, errx := strconv.Atoi(an[i])
		y, erry := strconv.Atoi(bn[i])
		if errx != nil || erry != nil {
			if c := strings.Compare(an[i], bn[i]); c != 0 {
				return c
			}
			continue
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(an), len(bn))
}

func checkText(errs map[string]string, field, s string, max int) {
	if _, done := errs[field]; done {
		return
	}
	if !utf8.ValidString(s) {
		errs[field] = "must be text (UTF-8)"
	} else if n := utf8.RuneCountInString(s); n > max {
		errs[field] = fmt.Sprintf("must be at most %d characters; it has %d", max, n)
	}
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// Unassessed returns the provisions of the Code not yet assessed, in
// Code order: the self-assessment is complete when there are none, and
// only then may the annual report be signed off.
func (r Review) Unassessed() []string {
	var out []string
	for _, p := range CodeProvisions() {
		if _, ok := r.Find(p.Number); !ok {
			out = append(out, p.Number)
		}
	}
	return out
}
