package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

func TestPackDatesAreWrittenAsPeopleWriteThem(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{LongDate(calendar.NewDate(2026, time.April, 1)), "1 April 2026"},
		{LongDate(calendar.NewDate(2027, time.March, 31)), "31 March 2027"},
		{LongDate(calendar.Date{}), ""},
		{Period{Year: 2026}.DatesText(), "1 April 2026 to 31 March 2027"},
		{Period{Year: 2026, Quarter: 3}.DatesText(), "1 October 2026 to 31 December 2026"},
		{Period{Year: 2026, Quarter: 4}.DatesText(), "1 January 2027 to 31 March 2027"},
		{isoRangeText("2026-04-01", "2026-09-30"), "1 April 2026 to 30 September 2026"},
		{isoRangeText("", "not a date"), " to not a date"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// isoDate is how a date is written for machines, never in a pack.
var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

func TestAnAnnualReportWritesNoISODate(t *testing.T) {
	in := packInput(t, "2026")
	in.Review.Response = Response{Text: "Accepted.", Date: calendar.NewDate(2027, time.June, 24)}
	pk := BuildPack(in)
	var text []string
	for _, s := range pk.Document().Sections {
		text = append(text, s.Heading, flatten(s))
	}
	c := pk.Cover("Riverside Homes", calendar.NewDate(2027, time.July, 1))
	text = append(text, c.Title, c.Period, c.Made, strings.Join(c.Status.Reasons, " "))
	all := strings.Join(text, "\n")
	if m := isoDate.FindAllString(all, -1); m != nil {
		t.Errorf("the annual report writes ISO dates %q", m)
	}
	for _, want := range []string{"2026/27: 1 April 2026 to 30 September 2026", "1 April 2026 to 31 March 2027", "1 July 2027", "Agreed on 24 June 2027."} {
		if !strings.Contains(all, want) {
			t.Errorf("the annual report does not say %q", want)
		}
	}
}

func TestBlankRowsAreLeftOutOfAPacksTables(t *testing.T) {
	tb := PackTable{Caption: "Counts", Header: []string{"What", "N"}, Rows: [][]string{
		{"Received", "3"}, {"", ""}, {" ", "\n"}, {"", "4"}, {"Refused", ""},
	}}
	got := tb.WithoutBlankRows().Rows
	want := [][]string{{"Received", "3"}, {"", "4"}, {"Refused", ""}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows = %q, want %q", got, want)
	}
	if len(tb.Rows) != 5 {
		t.Error("WithoutBlankRows changed the table it was given")
	}

	// The Ombudsman took a case up but determined none: the table of
	// findings would have no rows, so the pack says so in words.
	pk := BuildPack(packInput(t, "2026-Q2"))
	pk.Ombudsman = OmbudsmanSummary{Referrals: 1}
	for _, s := range pk.Document().Sections {
		for _, b := range s.Blocks {
			if tb, ok := b.(PackTable); ok {
				if len(tb.Rows) == 0 {
					t.Errorf("section %q has table %q with no rows", s.Heading, tb.Caption)
				}
				for i, r := range tb.Rows {
					if blankRow(r) {
						t.Errorf("section %q table %q row %d is blank", s.Heading, tb.Caption, i+1)
					}
				}
			}
		}
		if s.ID == "ombudsman" && !strings.Contains(flatten(s), "one per point determined: nothing to show.") {
			t.Errorf("the Ombudsman section with no findings reads:\n%s", flatten(s))
		}
	}
}

// complete assesses every provision of the Code.
func complete(rv Review) Review {
	rv.Assessments = nil
	for _, p := range CodeProvisions() {
		rv.Assessments = append(rv.Assessments, Assessment{Provision: p.Number, Complies: "yes"})
	}
	return rv
}

func TestAPackIsADraftUntilSignedOffWithTheSelfAssessmentComplete(t *testing.T) {
	at := time.Date(2027, 6, 30, 14, 0, 0, 0, time.UTC)
	signed := func(pk Pack) *PackSignOff {
		_, hash := pk.Figures()
		return &PackSignOff{Period: pk.Period.Value(), SignedBy: "Mo Manager", SignedAt: at, FiguresHash: hash, Summary: pk.Summary.Text}
	}
	annual := BuildPack(packInput(t, "2026"))
	annual.Summary.Text = "A steady year."
	done := annual
	done.Review = complete(done.Review)
	done.SelfAssessment = selfAssessment(done.Review)
	quarter := BuildPack(packInput(t, "2026-Q2"))

	tests := []struct {
		name        string
		pk          func() Pack
		wantReasons []string
	}{
		{"annual, incomplete and unsigned", func() Pack { return annual }, []string{
			"The self-assessment is incomplete: 71 of 72 provisions of the Code are not yet assessed (1.2, 1.3, 1.4, 1.5, 1.6 and 66 more).",
			"No manager has signed it off."}},
		{"annual, complete and unsigned", func() Pack { return done }, []string{"No manager has signed it off."}},
		{"annual, complete and signed", func() Pack { pk := done; pk.SignOff = signed(pk); return pk }, nil},
		{"annual, signed then its figures changed", func() Pack {
			pk := done
			pk.SignOff = signed(pk)
			pk.Current.ActionsOverdue++
			return pk
		}, []string{"The figures have changed since Mo Manager signed it off on 30 June 2027."}},
		{"annual, signed then an assessment withdrawn", func() Pack {
			pk := done
			pk.SignOff = signed(pk)
			pk.Review.Assessments = pk.Review.Assessments[1:]
			pk.SelfAssessment = selfAssessment(pk.Review)
			return pk
		}, []string{"not yet assessed", "The figures have changed since"}},
		{"annual, signed then its summary changed", func() Pack {
			pk := done
			pk.SignOff = signed(pk)
			pk.Summary.Text = "A better year."
			return pk
		}, []string{"The executive summary has changed since Mo Manager signed it off on 30 June 2027."}},
		{"annual, signed then its member named", func() Pack {
			pk := done
			pk.SignOff = signed(pk)
			pk.Member.Name = "Cllr Pat Board"
			return pk
		}, []string{"The figures have changed since"}},
		{"a quarter needs no self-assessment", func() Pack { pk := quarter; pk.SignOff = signed(pk); return pk }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.pk().Status()
			if st.Draft != (len(tt.wantReasons) > 0) {
				t.Errorf("draft = %v, reasons %q", st.Draft, st.Reasons)
			}
			reasons := strings.Join(st.Reasons, "\n")
			for _, w := range tt.wantReasons {
				if !strings.Contains(reasons, w) {
					t.Errorf("reasons %q do not say %q", st.Reasons, w)
				}
			}
			if !st.Draft && st.SignedOff != "Signed off by Mo Manager on 30 June 2027." {
				t.Errorf("final pack says %q", st.SignedOff)
			}
			if st.Draft && st.SignedOff != "" {
				t.Errorf("a draft claims %q", st.SignedOff)
			}
		})
	}
	if err := annual.CheckSignOff(); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("signing off an incomplete annual report: %v", err)
	}
	if err := done.CheckSignOff(); err != nil {
		t.Errorf("signing off a complete one: %v", err)
	}
	if err := quarter.CheckSignOff(); err != nil {
		t.Errorf("signing off a quarter: %v", err)
	}
}

func TestTheSameFiguresGiveTheSameHash(t *testing.T) {
	a, b := BuildPack(packInput(t, "2026")), BuildPack(packInput(t, "2026"))
	fa, ha := a.Figures()
	fb, hb := b.Figures()
	if ha != hb || fa != fb || len(ha) != 64 {
		t.Errorf("the same pack hashes to %q and %q", ha, hb)
	}
	b.Summary.Text = "Not a figure"
	b.SignOff = &PackSignOff{SignedBy: "x"}
	if _, hb := b.Figures(); hb != ha {
		t.Error("the summary or the sign-off changed the figures' hash")
	}
}

func TestTheAnnualReportNamesTheMemberResponsibleForComplaints(t *testing.T) {
	pk := BuildPack(packInput(t, "2026"))
	sec := func(pk Pack) string {
		for _, s := range pk.Document().Sections {
			if s.ID == "member" {
				return flatten(s)
			}
		}
		return ""
	}
	if got := sec(pk); !strings.Contains(got, "No Member Responsible for Complaints is named for 2026/27.") {
		t.Errorf("with none named the report says %q", got)
	}
	pk.Member.Name = "Cllr Pat Board"
	if got := sec(pk); !strings.Contains(got, "The Member Responsible for Complaints for 2026/27 is Cllr Pat Board (Code 9.5).") {
		t.Errorf("with one named the report says %q", got)
	}
	if got := sec(BuildPack(packInput(t, "2026-Q2"))); got != "" {
		t.Errorf("a quarter's pack names the member: %q", got)
	}
}

func TestCheckSummaryAndMemberNameTheField(t *testing.T) {
	for _, tt := range []struct {
		got   map[string]string
		field string
	}{
		{CheckSummary(PackSummary{Period: "2026-Q5"}), "period"},
		{CheckSummary(PackSummary{Period: "2026", Text: strings.Repeat("x", maxSummaryText+1)}), "summary"},
		{CheckMember(ComplaintsMember{Year: 2026, Name: "Two\nlines"}), "member"},
		{CheckMember(ComplaintsMember{Year: 1999}), "year"},
	} {
		if tt.got[tt.field] == "" {
			t.Errorf("%v: want an error on %q", tt.got, tt.field)
		}
	}
	if e := CheckSummary(PackSummary{Period: "2026"}); e != nil {
		t.Errorf("an empty summary clears it: %v", e)
	}
	if e := CheckMember(ComplaintsMember{Year: 2026}); e != nil {
		t.Errorf("an empty member says none is named: %v", e)
	}
}
