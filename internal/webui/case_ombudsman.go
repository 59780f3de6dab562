package webui

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// The Housing Ombudsman stage on the case page and the dashboard (issue
// 19, item 4; 002 §2.6): the referral, the Ombudsman's requests for
// evidence with their due dates, the executive approval the policy may
// require, the evidence packs sent with their hashes, the determination's
// findings and orders, and compliance with each order. The domain
// (complaint.ReferToOmbudsman and its siblings) holds every rule; this
// file only shows and asks.

// The forms of the case page's Ombudsman section, as posted to
// /cases/{ref}/{command}; each is also the id of its part of the section,
// which the error summary links to.
const (
	formOmbudsmanReferral      = "ombudsman-referral"
	formOmbudsmanRequest       = "ombudsman-evidence-request"
	formOmbudsmanApproval      = "ombudsman-approval"
	formOmbudsmanSent          = "ombudsman-evidence-sent"
	formOmbudsmanDetermination = "ombudsman-determination"
	formOmbudsmanCompliance    = "ombudsman-compliance"
)

// Rows the determination form offers at once: a determination with more
// findings or orders is recorded through the API.
const (
	ombudsmanFindingRows = 3
	ombudsmanOrderRows   = 3
)

// findingOptions are the Ombudsman's findings as the form offers them.
var findingOptions = []option{
	{"", "Choose a finding"},
	{string(complaint.FindingSevereMaladministration), "Severe maladministration"},
	{string(complaint.FindingMaladministration), "Maladministration"},
	{string(complaint.FindingServiceFailure), "Service failure"},
	{string(complaint.FindingReasonableRedress), "Reasonable redress (put right before the investigation)"},
	{string(complaint.FindingNoMaladministration), "No maladministration"},
	{string(complaint.FindingOutsideJurisdiction), "Outside jurisdiction"},
}

// orderKindOptions are the kinds of what the Ombudsman asks.
var orderKindOptions = []option{{"", "None"}, {string(complaint.KindOrder), "Order"}, {string(complaint.KindRecommendation), "Recommendation"}}

// findingName names a finding for people.
func findingName(f complaint.Finding) string {
	for _, o := range findingOptions {
		if o.Value == string(f) && o.Value != "" {
			name, _, _ := strings.Cut(o.Label, " (")
			return name
		}
	}
	return report.Words(string(f))
}

// ombudsmanView is what the case page's Ombudsman section shows.
type ombudsmanView struct {
	Case     complaint.Case
	Referral *complaint.OmbudsmanReferral
	// CanRefer is true when the case has had its final response and is
	// not yet referred.
	CanRefer bool
	CanAct   bool
	// Approval is the policy's setting: whether an executive approval
	// must come before each response is sent, who, and where it says so.
	Approval policy.OmbudsmanStage
	// ApprovalPending is true when an approval awaits the next response.
	ApprovalPending bool
	Findings        []findingRow
	Orders          []orderRow
	OpenRequests    []complaint.EvidenceRequest
	OpenOrders      []complaint.OmbudsmanOrder
	FindingOptions  []option
	KindOptions     []option
	FindingRows     []int
	OrderRows       []int
	Today           calendar.Date
}

type findingRow struct {
	complaint.OmbudsmanFinding
	Name string
}

type orderRow struct {
	complaint.OmbudsmanOrder
	Overdue bool
}

// newOmbudsmanView builds the section for u at today.
func newOmbudsmanView(u store.User, c complaint.Case, p *policy.Policy, today calendar.Date) ombudsmanView {
	v := ombudsmanView{Case: c, Referral: c.Ombudsman, CanAct: auth.Role(u.Role).CanAct(), Approval: p.OmbudsmanStage,
		CanRefer: c.FinalResponseGiven() && c.Ombudsman == nil, FindingOptions: findingOptions, KindOptions: orderKindOptions,
		FindingRows: seqOf(ombudsmanFindingRows), OrderRows: seqOf(ombudsmanOrderRows), Today: today}
	r := c.Ombudsman
	if r == nil {
		return v
	}
	v.ApprovalPending = r.ApprovalPending()
	for _, q := range r.Requests {
		if !q.Answered() {
			v.OpenRequests = append(v.OpenRequests, q)
		}
	}
	if det := r.Determination; det != nil {
		for _, f := range det.Findings {
			v.Findings = append(v.Findings, findingRow{f, findingName(f.Finding)})
		}
		for _, o := range det.Orders {
			v.Orders = append(v.Orders, orderRow{o, o.Overdue(today)})
			if !o.Met {
				v.OpenOrders = append(v.OpenOrders, o)
			}
		}
	}
	return v
}

func seqOf(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// ombudsmanDeadlines are the referral's dates as rows of the case's
// deadlines: each request for evidence and each order with a due date,
// open until answered or met, whatever the complaint's own status.
func (s *Server) ombudsmanDeadlines(c complaint.Case, today calendar.Date) []deadlineRow {
	var rows []deadlineRow
	for _, d := range c.Ombudsman.Dues() {
		what := "Ombudsman: evidence (" + clip(d.What, 60) + ")"
		if d.Kind != "evidence" {
			what = "Ombudsman: " + d.Kind + " " + strconv.Itoa(d.Item) + " (" + clip(d.What, 60) + ")"
		}
		row := deadlineRow{Stage: c.Stage, What: what, Due: d.Due, Open: !d.Done}
		if d.Done {
			row.Done = "done"
			row.Met = true
		} else {
			row.DaysLeft, _ = s.Calendar.WorkingDaysBetween(today, d.Due)
		}
		rows = append(rows, row)
	}
	return rows
}

// ombudsmanCommand builds the command one of the section's forms asks
// for. Its fields are named as the domain names them, so the domain's
// errors land on them as they are.
func ombudsmanCommand(r *http.Request, name string) (complaint.Command, []fieldError) {
	f := r.PostForm
	var errs []fieldError
	date := func(field, label string) calendar.Date {
		iso, msg := readDate(f, field, label)
		if msg != "" {
			errs = append(errs, fieldError{field, msg})
			return calendar.Date{}
		}
		d, _ := calendar.ParseDate(iso)
		return d
	}
	switch name {
	case formOmbudsmanReferral:
		cmd := complaint.ReferToOmbudsman{Reference: f.Get("reference"), NotifiedOn: date("notified_on", "The date the Ombudsman told us")}
		return cmd, errs
	case formOmbudsmanRequest:
		return complaint.RequestOmbudsmanEvidence{What: f.Get("what"), Due: date("due", "The due date")}, errs
	case formOmbudsmanApproval:
		return complaint.ApproveOmbudsmanResponse{Name: f.Get("name"), Role: f.Get("role")}, nil
	case formOmbudsmanSent:
		cmd := complaint.SendOmbudsmanEvidence{SHA256: strings.ToLower(strings.TrimSpace(f.Get("sha256"))), CollatedBy: f.Get("collated_by"), Note: f.Get("note")}
		for _, v := range f["requests"] {
			if id, err := strconv.Atoi(v); err == nil {
				cmd.Requests = append(cmd.Requests, id)
			}
		}
		return cmd, nil
	case formOmbudsmanDetermination:
		cmd := complaint.RecordOmbudsmanDetermination{DeterminedOn: date("determined_on", "The date of the determination")}
		for i := range ombudsmanFindingRows {
			p := "findings[" + strconv.Itoa(i) + "]."
			if i > 0 && f.Get(p+"point") == "" && f.Get(p+"finding") == "" && f.Get(p+"reasons") == "" {
				continue
			}
			cmd.Findings = append(cmd.Findings, complaint.OmbudsmanFinding{Point: f.Get(p + "point"), Finding: complaint.Finding(f.Get(p + "finding")), Reasons: f.Get(p + "reasons")})
		}
		for i := range ombudsmanOrderRows {
			p := "orders[" + strconv.Itoa(i) + "]."
			if f.Get(p+"kind") == "" {
				continue
			}
			// The domain numbers what it is given, so a row left out
			// would shift the names of its errors: the rows are read in
			// order and only trailing ones may be empty.
			cmd.Orders = append(cmd.Orders, complaint.OmbudsmanOrder{Kind: complaint.OrderKind(f.Get(p + "kind")), Description: f.Get(p + "description"), Due: date(p+"due", "The due date")})
		}
		return cmd, errs
	}
	order, err := strconv.Atoi(f.Get("order"))
	if err != nil {
		errs = append(errs, fieldError{"order", "Choose the order"})
	}
	return complaint.RecordOmbudsmanCompliance{Order: order, Evidence: f.Get("evidence"), Met: f.Get("met") == "yes"}, errs
}

// ombudsmanDashboard is the dashboard's Ombudsman lists.
type ombudsmanDashboard struct {
	EvidenceDue   []ombudsmanDueRow
	OrdersOverdue []ombudsmanDueRow
}

// ombudsmanDueRow is one date owed to the Ombudsman on the dashboard.
type ombudsmanDueRow struct {
	Reference string
	Ombudsman string
	Kind      string
	What      string
	Due       calendar.Date
	DaysLeft  int
	// Open is always true: a row is listed only while owed, and the
	// deadline tag shows the days left only of an open deadline.
	Open bool
}

// ombudsmanDashboardOf lists, for the viewer, every request for evidence
// not yet answered, soonest first, and every order or recommendation past
// its due date and not met.
func (s *Server) ombudsmanDashboardOf(ctx context.Context, v store.Viewer, today calendar.Date) (ombudsmanDashboard, error) {
	var out ombudsmanDashboard
	evidence, err := s.Store.OmbudsmanDue(ctx, v, []string{"evidence"}, calendar.Date{})
	if err != nil {
		return out, err
	}
	overdue, err := s.Store.OmbudsmanDue(ctx, v, []string{string(complaint.KindOrder), string(complaint.KindRecommendation)}, today)
	if err != nil {
		return out, err
	}
	for _, c := range evidence {
		for _, d := range c.Ombudsman.Dues() {
			if d.Kind == "evidence" && !d.Done {
				left, _ := s.Calendar.WorkingDaysBetween(today, d.Due)
				out.EvidenceDue = append(out.EvidenceDue, ombudsmanDueRow{c.Reference, c.Ombudsman.Reference, d.Kind, d.What, d.Due, left, true})
			}
		}
	}
	for _, c := range overdue {
		for _, d := range c.Ombudsman.Dues() {
			if d.Kind != "evidence" && !d.Done && d.Due.Before(today) {
				left, _ := s.Calendar.WorkingDaysBetween(today, d.Due)
				out.OrdersOverdue = append(out.OrdersOverdue, ombudsmanDueRow{c.Reference, c.Ombudsman.Reference, d.Kind, d.What, d.Due, left, true})
			}
		}
	}
	for _, rows := range [][]ombudsmanDueRow{out.EvidenceDue, out.OrdersOverdue} {
		slices.SortStableFunc(rows, func(a, b ombudsmanDueRow) int { return a.Due.Compare(b.Due) })
	}
	return out, nil
}

// ombudsmanDone is the message after one of the section's forms.
func ombudsmanDone(form string) string {
	switch form {
	case formOmbudsmanReferral:
		return "The referral to the Housing Ombudsman is recorded."
	case formOmbudsmanRequest:
		return "The request for evidence is recorded; its due date is on the dashboard until the evidence is sent."
	case formOmbudsmanApproval:
		return "The approval is recorded: the response may now be sent to the Ombudsman."
	case formOmbudsmanSent:
		return "The evidence pack is recorded as sent, with its hash."
	case formOmbudsmanDetermination:
		return "The Ombudsman's determination is recorded."
	case formOmbudsmanCompliance:
		return "The compliance is recorded."
	}
	return ""
}

// ombudsmanLabels name the Ombudsman section's fields as its forms label
// them, for the messages the domain's errors become.
var ombudsmanLabels = map[string]string{
	"notified_on":   "The date the Ombudsman told us",
	"what":          "What the Ombudsman asks for",
	"sha256":        "The SHA-256 of the file sent",
	"determined_on": "The date of the determination",
	"evidence":      "The evidence of compliance",
	"findings":      "The findings",
}

// ombudsmanField names a field of the Ombudsman section's forms for
// people: findings[0].reasons is "The Ombudsman's reasons on point 1",
// orders[1].due is "Item 2 due date"; false for any other field.
func ombudsmanField(k string) (string, bool) {
	if l, ok := ombudsmanLabels[k]; ok {
		return l, true
	}
	for _, p := range []struct{ prefix, noun string }{{"findings[", "point"}, {"orders[", "item"}} {
		rest, ok := strings.CutPrefix(k, p.prefix)
		if !ok {
			continue
		}
		i, tail, _ := strings.Cut(rest, "].")
		n, err := strconv.Atoi(i)
		if err != nil {
			return "", false
		}
		num := strconv.Itoa(n + 1)
		switch p.noun + "." + tail {
		case "point.point":
			return "Point of complaint " + num, true
		case "point.finding":
			return "The finding on point " + num, true
		case "point.reasons":
			return "The Ombudsman's reasons on point " + num, true
		case "item.kind":
			return "The kind of item " + num, true
		case "item.description":
			return "What item " + num + " asks", true
		case "item.due":
			return "Item " + num + " due date", true
		case "item.id":
			return "Item " + num, true
		}
	}
	return "", false
}

// sendEvidencePack builds the case's evidence pack as it stands, keeps
// that copy with the case's files and records it as sent to the
// Ombudsman with its hash: the form's way when no hash of a file sent
// otherwise is given, so that the landlord can later show exactly what it
// sent (002 §2.6).
func (s *Server) sendEvidencePack(w http.ResponseWriter, r *http.Request, c complaint.Case, cmd complaint.SendOmbudsmanEvidence) error {
	return s.applyWith(w, r, c, formOmbudsmanSent, func(version int) (complaint.Case, error) {
		now := s.Now()
		pack, err := evidence.BuildFor(r.Context(), s.Store, c.Reference, s.brandName(r.Context()), now, s.viewer(userOf(r)))
		if err != nil {
			return complaint.Case{}, err
		}
		name := c.Reference + "-evidence-for-the-ombudsman-" + calendar.DateOf(now).String() + ".zip"
		return s.cases().SendEvidencePack(r.Context(), userOf(r), c.Reference, version, cmd, name, pack.Zip)
	})
}
