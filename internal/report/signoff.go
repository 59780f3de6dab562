package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/restriction"
)

// A pack goes to the board as a draft until a manager signs it off, and
// the annual report also until its self-assessment is complete. What a
// manager signed is kept as a hash of the pack's figures, so that a pack
// whose figures move after sign-off (a late correction, a new Ombudsman
// order) goes back to draft and says why, rather than carrying a
// signature for figures nobody signed.

// Limits on what a manager types for a pack: a summary is a page at most,
// a name a line.
const (
	maxSummaryText = 5000
	maxMemberName  = 200
)

// PackSummary is the executive summary a manager writes for a pack's
// period, kept with the figures it was written against so that a reader
// of the record can see what the words described.
type PackSummary struct {
	Period      string    `json:"period"` // Period.Value
	Text        string    `json:"text"`
	Figures     string    `json:"figures"` // the pack's figures as JSON, as Figures gives them
	FiguresHash string    `json:"figures_hash"`
	UpdatedBy   string    `json:"updated_by"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// PackSignOff records a manager signing a pack off: who, when, the hash
// of the figures they signed and the executive summary as it then read.
type PackSignOff struct {
	Period      string    `json:"period"`
	SignedBy    string    `json:"signed_by"`
	SignedAt    time.Time `json:"signed_at"`
	FiguresHash string    `json:"figures_hash"`
	Summary     string    `json:"summary"`
}

// ComplaintsMember is the Member Responsible for Complaints a manager
// names for a reporting year (Code 9.5). An empty Name is none named.
type ComplaintsMember struct {
	Year      Year      `json:"year"`
	Name      string    `json:"name"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PackRecord is what is stored for a pack's period besides its figures:
// its executive summary (empty Text when none is written) and its latest
// sign-off, if any.
type PackRecord struct {
	Summary PackSummary  `json:"summary"`
	SignOff *PackSignOff `json:"sign_off,omitempty"`
}

// CheckSummary says what is wrong with an executive summary, by field.
// An empty text is allowed: it clears the summary.
func CheckSummary(s PackSummary) map[string]string {
	errs := map[string]string{}
	if _, err := ParsePeriod(s.Period); err != nil {
		errs["period"] = err.Error()
	}
	checkText(errs, "summary", s.Text, maxSummaryText)
	return nilIfEmpty(errs)
}

// CheckMember says what is wrong with a Member Responsible for
// Complaints, by field. An empty name is allowed: it says none is named.
func CheckMember(m ComplaintsMember) map[string]string {
	errs := map[string]string{}
	if err := CheckYear(m.Year); err != nil {
		errs["year"] = err.Error()
	}
	if strings.ContainsAny(m.Name, "\r\n") {
		errs["member"] = "must be one line: the member's name and, if you like, their role"
	}
	checkText(errs, "member", m.Name, maxMemberName)
	return nilIfEmpty(errs)
}

// LongRange writes the days from..to as people write them: "1 April
// 2026 to 31 March 2027".
func LongRange(from, to calendar.Date) string { return LongDate(from) + " to " + LongDate(to) }

// DatesText is the period's first and last days as people write them.
func (p Period) DatesText() string { return LongRange(p.Dates()) }

// isoRangeText writes two stored YYYY-MM-DD dates as people write them;
// text that is not such a date is shown as it is rather than lost.
func isoRangeText(from, to string) string {
	long := func(s string) string {
		if d, err := calendar.ParseDate(s); err == nil {
			return LongDate(d)
		}
		return s
	}
	return long(from) + " to " + long(to)
}

// packFigures are what a sign-off vouches for: every number in the pack
// and every word people wrote into it, but not the executive summary,
// which is kept beside them, nor the sign-off itself.
type packFigures struct {
	Period                 Period
	TSM, PreviousTSM       TSM
	Trends                 []Trend
	Themes, ServiceAreas   []Theme
	Refusals               []Theme
	Current                Management
	Assessments            [][4]string
	Improvements           [][3]string
	Response               string
	ResponseDate           string
	Hazards                HazardSummary
	Ombudsman              OmbudsmanSummary
	Restrictions           restriction.Counts
	MemberResponsibleNamed string
}

// Figures returns the pack's figures as JSON and their SHA-256 in hex.
// The same pack always gives the same bytes, so a hash kept at sign-off
// can be compared with one computed later.
func (pk Pack) Figures() (figures, hash string) {
	f := packFigures{Period: pk.Period, TSM: pk.TSM, PreviousTSM: pk.PreviousTSM, Trends: pk.Trends,
		Themes: pk.Themes, ServiceAreas: pk.ServiceAreas, Refusals: pk.Refusals, Current: pk.Current,
		Response: pk.Review.Response.Text, ResponseDate: pk.Review.Response.Date.String(),
		Hazards: pk.Hazards, Ombudsman: pk.Ombudsman, Restrictions: pk.Restrictions, MemberResponsibleNamed: pk.Member.Name}
	for _, a := range pk.Review.Assessments {
		f.Assessments = append(f.Assessments, [4]string{a.Provision, a.Complies, a.Evidence, a.Commentary})
	}
	for _, im := range pk.Review.Improvements {
		f.Improvements = append(f.Improvements, [3]string{im.ServiceArea, im.YouSaid, im.WeDid})
	}
	b, err := json.Marshal(f)
	if err != nil {
		// Only a value JSON cannot hold (a NaN) gets here; Go's own
		// printing is as deterministic, so the hash still means the same.
		b = fmt.Appendf(nil, "%+v", f)
	}
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:])
}

// NeedsAssessment reports whether the pack can only be signed off once
// the year's self-assessment is complete: the annual report, which
// publishes it. A quarter's board pack does not carry the
// self-assessment, so the year's progress on it does not hold the
// quarter's figures back.
func (pk Pack) NeedsAssessment() bool { return pk.Period.Quarter == 0 }

// CheckSignOff says why the pack cannot be signed off, or returns nil.
func (pk Pack) CheckSignOff() error {
	if missing := pk.unassessed(); missing != "" {
		return complaint.Errorf(complaint.Conflict, "the annual report cannot be signed off while its self-assessment is incomplete: %s", missing)
	}
	return nil
}

// unassessed says which provisions the pack still needs assessed, naming
// the first few so that a manager knows where to start; "" when none.
func (pk Pack) unassessed() string {
	if !pk.NeedsAssessment() {
		return ""
	}
	missing := pk.Review.Unassessed()
	if len(missing) == 0 {
		return ""
	}
	const named = 5
	list := strings.Join(missing[:min(named, len(missing))], ", ")
	if len(missing) > named {
		list += fmt.Sprintf(" and %d more", len(missing)-named)
	}
	return fmt.Sprintf("%d of %d provisions of the Code are not yet assessed (%s)", len(missing), len(CodeProvisions()), list)
}

// PackStatus says whether a pack is final or a draft, and why.
type PackStatus struct {
	Draft bool
	// Reasons say, in sentences, what keeps the pack a draft.
	Reasons []string
	// SignedOff describes the sign-off a final pack carries.
	SignedOff string
}

// Status decides whether the pack is a draft: it is final only when the
// self-assessment it needs is complete and a manager signed off these
// very figures and this summary.
func (pk Pack) Status() PackStatus {
	var st PackStatus
	if missing := pk.unassessed(); missing != "" {
		st.Reasons = append(st.Reasons, "The self-assessment is incomplete: "+missing+".")
	}
	so := pk.SignOff
	if so == nil {
		st.Reasons = append(st.Reasons, "No manager has signed it off.")
	} else {
		when := fmt.Sprintf("%s signed it off on %s", so.SignedBy, LongDate(calendar.DateOf(so.SignedAt)))
		if _, hash := pk.Figures(); hash != so.FiguresHash {
			st.Reasons = append(st.Reasons, "The figures have changed since "+when+".")
		}
		if so.Summary != pk.Summary.Text {
			st.Reasons = append(st.Reasons, "The executive summary has changed since "+when+".")
		}
		st.SignedOff = fmt.Sprintf("Signed off by %s on %s.", so.SignedBy, LongDate(calendar.DateOf(so.SignedAt)))
	}
	st.Draft = len(st.Reasons) > 0
	if st.Draft {
		st.SignedOff = ""
	}
	return st
}

// PackCover is what a pack's first page says: whose it is, what it
// covers, when it was made, whether it is final, and the summary.
type PackCover struct {
	Landlord, Title string
	// Period is the period's days as people write them.
	Period string
	Made   string // the day it was made: "3 December 2026"
	Status PackStatus
	// Summary is the executive summary; empty when none is written.
	Summary string
}

// Cover lays out the pack's cover for the landlord, made on the day made.
func (pk Pack) Cover(landlord string, made calendar.Date) PackCover {
	return PackCover{Landlord: landlord, Title: PackTitle(pk.Period), Period: pk.Period.DatesText(),
		Made: LongDate(made), Status: pk.Status(), Summary: pk.Summary.Text}
}

// WithoutBlankRows returns the table with every row that has nothing in
// it removed: a blank row in a board's table reads as a figure lost.
func (t PackTable) WithoutBlankRows() PackTable {
	var rows [][]string
	for _, r := range t.Rows {
		if !blankRow(r) {
			rows = append(rows, r)
		}
	}
	t.Rows = rows
	return t
}

func blankRow(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// withoutBlankRows removes blank rows from every table in the document,
// and a table left with no rows at all says so in words instead.
func (d PackDocument) withoutBlankRows() PackDocument {
	for i, s := range d.Sections {
		var blocks []PackBlock
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case PackTable:
				if b = b.WithoutBlankRows(); len(b.Rows) == 0 {
					blocks = append(blocks, PackParagraph{Text: b.Caption + ": nothing to show."})
					continue
				}
				blocks = append(blocks, b)
			case PackBarChart:
				if b.Data = b.Data.WithoutBlankRows(); len(b.Data.Rows) == 0 {
					blocks = append(blocks, PackParagraph{Text: b.Title + ": nothing to show."})
					continue
				}
				blocks = append(blocks, b)
			case PackList:
				var items []string
				for _, it := range b.Items {
					if strings.TrimSpace(it) != "" {
						items = append(items, it)
					}
				}
				if b.Items = items; len(items) > 0 {
					blocks = append(blocks, b)
				}
			default:
				blocks = append(blocks, b)
			}
		}
		d.Sections[i].Blocks = blocks
	}
	return d
}

// memberSection names the Member Responsible for Complaints, or says
// plainly that none is named (Code 9.5).
func (pk Pack) memberSection() PackSection {
	s := PackSection{ID: "member", Heading: "Member Responsible for Complaints"}
	if name := strings.TrimSpace(pk.Member.Name); name != "" {
		s.Blocks = []PackBlock{PackParagraph{Text: fmt.Sprintf("The Member Responsible for Complaints for %s is %s (Code 9.5).", pk.Period.Year, name)}}
		return s
	}
	s.Blocks = []PackBlock{PackParagraph{Text: fmt.Sprintf("No Member Responsible for Complaints is named for %s. The Code (9.5) requires the governing body to appoint one.", pk.Period.Year),
		Warning: true, Missing: "member"}}
	return s
}
