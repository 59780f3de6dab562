package complaint

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
)

// The Housing Ombudsman stage (issue 19, item 4). Once a complaint has
// had its final response a resident may bring it to the Housing
// Ombudsman (Code 6.17 and the Housing Ombudsman Scheme). The landlord
// then answers the Ombudsman's requests for evidence by their due dates,
// sends its evidence file (002 §2.6: collated by a Head of Service and,
// where the policy says so, approved by a member of the executive team
// first), and records the determination: a finding on each point with
// the Ombudsman's reasons, and the orders and recommendations it must
// comply with. The findings and compliance feed the annual complaints
// performance report (Code 8.1, 8.2). Each step is a command, so it is
// audited and replayed like every other.

// Finding is the Ombudsman's finding on one point of a complaint.
type Finding string

// The findings the Housing Ombudsman makes ("What findings can the
// Housing Ombudsman make?", housing-ombudsman.org.uk). Reasonable redress
// is the Ombudsman's finding where there was maladministration that the
// landlord had already put right, on its own initiative, before the
// investigation. Service failure and severe maladministration are forms
// of maladministration.
const (
	FindingSevereMaladministration Finding = "severe_maladministration"
	FindingMaladministration       Finding = "maladministration"
	FindingServiceFailure          Finding = "service_failure"
	FindingReasonableRedress       Finding = "reasonable_redress"
	FindingNoMaladministration     Finding = "no_maladministration"
	FindingOutsideJurisdiction     Finding = "outside_jurisdiction"
)

// Findings lists every finding, the most serious first, as the annual
// report counts them.
var Findings = []Finding{
	FindingSevereMaladministration, FindingMaladministration, FindingServiceFailure,
	FindingReasonableRedress, FindingNoMaladministration, FindingOutsideJurisdiction,
}

// OrderKind tells an order, which the landlord must comply with under
// the Scheme, from a recommendation, which it should consider.
type OrderKind string

// The kinds of what the Ombudsman asks of a landlord.
const (
	KindOrder          OrderKind = "order"
	KindRecommendation OrderKind = "recommendation"
)

// OrderKinds lists every kind of order.
var OrderKinds = []OrderKind{KindOrder, KindRecommendation}

// OmbudsmanReferral is what a case knows of its referral to the Housing
// Ombudsman: present once the Ombudsman has told the landlord of it.
type OmbudsmanReferral struct {
	// Reference is the Ombudsman's own case reference.
	Reference string `json:"reference"`
	// NotifiedOn is when the Ombudsman told the landlord of the referral.
	NotifiedOn calendar.Date `json:"notified_on"`
	RecordedBy string        `json:"recorded_by"`
	RecordedAt time.Time     `json:"recorded_at"`
	// Requests are the Ombudsman's requests for evidence, each with its
	// due date, which the dashboard lists until answered.
	Requests []EvidenceRequest `json:"requests,omitempty"`
	// Approvals are the executive approvals of the landlord's response
	// (002 §2.6); each is spent by the submission that follows it.
	Approvals []ExecutiveApproval `json:"approvals,omitempty"`
	// Submissions are the evidence packs sent, with their hashes.
	Submissions []EvidenceSubmission `json:"submissions,omitempty"`
	// Determination is the Ombudsman's decision; nil until recorded.
	Determination *Determination `json:"determination,omitempty"`
}

// EvidenceRequest is one request from the Ombudsman for evidence.
type EvidenceRequest struct {
	ID          int           `json:"id"`
	What        string        `json:"what"`
	Due         calendar.Date `json:"due"`
	RequestedAt time.Time     `json:"requested_at"`
	RequestedBy string        `json:"requested_by"`
	// AnsweredAt is when evidence answering it was sent; zero until then.
	AnsweredAt time.Time `json:"answered_at,omitzero"`
}

// Answered reports whether evidence answering the request was sent.
func (r EvidenceRequest) Answered() bool { return !r.AnsweredAt.IsZero() }

// ExecutiveApproval is a member of the executive team's approval of the
// landlord's response to the Ombudsman (002 §2.6).
type ExecutiveApproval struct {
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	At         time.Time `json:"at"`
	RecordedBy string    `json:"recorded_by"`
	// Used is set when a submission relied on the approval.
	Used bool `json:"used,omitempty"`
}

// EvidenceSubmission is an evidence pack sent to the Ombudsman.
type EvidenceSubmission struct {
	// SHA256 is the hex SHA-256 of the pack as sent, so the landlord can
	// show later exactly what it sent.
	SHA256 string    `json:"sha256"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	// CollatedBy names who collated the evidence file: 002 §2.6 gives
	// it to "a Head of Service who is best placed to collate the
	// information".
	CollatedBy string `json:"collated_by,omitempty"`
	Note       string `json:"note,omitempty"`
	// Requests are the IDs of the requests it answered.
	Requests []int `json:"requests,omitempty"`
	// Pack names the copy kept with the case's files, if Redress built it.
	Pack string `json:"pack,omitempty"`
	// ApprovedBy names the executive whose approval it relied on.
	ApprovedBy string `json:"approved_by,omitempty"`
}

// Determination is the Ombudsman's decision on the referral.
type Determination struct {
	DeterminedOn calendar.Date      `json:"determined_on"`
	Findings     []OmbudsmanFinding `json:"findings"`
	Orders       []OmbudsmanOrder   `json:"orders,omitempty"`
	RecordedBy   string             `json:"recorded_by"`
	RecordedAt   time.Time          `json:"recorded_at"`
}

// OmbudsmanFinding is the Ombudsman's finding on one point, with its
// reasons. Each defined complaint has its own finding.
type OmbudsmanFinding struct {
	Point   string  `json:"point"`
	Finding Finding `json:"finding"`
	Reasons string  `json:"reasons"`
}

// OmbudsmanOrder is one order or recommendation of a determination, with
// the landlord's compliance.
type OmbudsmanOrder struct {
	ID          int           `json:"id"`
	Kind        OrderKind     `json:"kind"`
	Description string        `json:"description"`
	Due         calendar.Date `json:"due,omitzero"`
	// Compliance: the evidence recorded, whether the order was met, and
	// when that was recorded. MetAt is zero until it is met.
	Evidence     string    `json:"evidence,omitempty"`
	Met          bool      `json:"met,omitempty"`
	MetAt        time.Time `json:"met_at,omitzero"`
	ComplianceBy string    `json:"compliance_by,omitempty"`
	ComplianceAt time.Time `json:"compliance_at,omitzero"`
}

// Overdue reports whether the order's due date has passed, on today,
// without its being met.
func (o OmbudsmanOrder) Overdue(today calendar.Date) bool {
	return !o.Met && !o.Due.IsZero() && o.Due.Before(today)
}

// OmbudsmanDue is one date the landlord owes the Ombudsman: an evidence
// request or an order or recommendation. The case page lists them with
// its deadlines, and storage indexes them for the dashboard.
type OmbudsmanDue struct {
	// Kind is "evidence", "order" or "recommendation".
	Kind string        `json:"kind"`
	Item int           `json:"item"`
	What string        `json:"what"`
	Due  calendar.Date `json:"due"`
	Done bool          `json:"done"`
}

// Dues lists every date the referral owes, answered or not, in order of
// due date. A nil referral owes nothing.
func (r *OmbudsmanReferral) Dues() []OmbudsmanDue {
	if r == nil {
		return nil
	}
	var dues []OmbudsmanDue
	for _, q := range r.Requests {
		dues = append(dues, OmbudsmanDue{Kind: "evidence", Item: q.ID, What: q.What, Due: q.Due, Done: q.Answered()})
	}
	if r.Determination != nil {
		for _, o := range r.Determination.Orders {
			if !o.Due.IsZero() {
				dues = append(dues, OmbudsmanDue{Kind: string(o.Kind), Item: o.ID, What: o.Description, Due: o.Due, Done: o.Met})
			}
		}
	}
	slices.SortStableFunc(dues, func(a, b OmbudsmanDue) int { return a.Due.Compare(b.Due) })
	return dues
}

// pendingApproval returns the index of an approval not yet spent by a
// submission, or -1.
func (r *OmbudsmanReferral) pendingApproval() int {
	return slices.IndexFunc(r.Approvals, func(a ExecutiveApproval) bool { return !a.Used })
}

// ApprovalPending reports whether an executive approval is recorded that
// no submission has yet relied on.
func (r *OmbudsmanReferral) ApprovalPending() bool { return r != nil && r.pendingApproval() >= 0 }

// FinalResponseGiven reports whether the complaint has had its final
// response: its last stage, stage 2, responded to. Only then may a
// resident bring it to the Ombudsman through Redress's referral step.
func (c *Case) FinalResponseGiven() bool {
	st := c.Current()
	return c.Kind == KindComplaint && st != nil && c.Stage == 2 && !st.RespondedAt.IsZero()
}

// ReferToOmbudsman records that the Ombudsman has told the landlord it is
// investigating the complaint, with its case reference and the date it
// did so.
type ReferToOmbudsman struct {
	Reference  string        `json:"reference"`
	NotifiedOn calendar.Date `json:"notified_on"`
}

// RequestOmbudsmanEvidence records one request from the Ombudsman for
// evidence, with what is asked and when it is due.
type RequestOmbudsmanEvidence struct {
	What string        `json:"what"`
	Due  calendar.Date `json:"due"`
}

// ApproveOmbudsmanResponse records a member of the executive team's
// approval of the landlord's response to the Ombudsman: who and in what
// role, when the command happened (002 §2.6).
type ApproveOmbudsmanResponse struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// SendOmbudsmanEvidence records the evidence pack as sent to the
// Ombudsman, with its SHA-256 hash, answering the requests it names
// (every open request when it names none).
type SendOmbudsmanEvidence struct {
	SHA256     string `json:"sha256"`
	Requests   []int  `json:"requests,omitempty"`
	CollatedBy string `json:"collated_by,omitempty"`
	Note       string `json:"note,omitempty"`
	// Pack is the copy of the pack Redress built and kept with the
	// case's files when it was recorded as sent, so that what was sent
	// can be shown later byte for byte; nil when the landlord sent a file
	// of its own and gave its hash. With a pack, SHA256 is its hash.
	Pack *AttachmentRef `json:"pack,omitempty"`
}

// RecordOmbudsmanDetermination records the Ombudsman's determination:
// a finding with reasons on each point, and its orders and
// recommendations with their due dates.
type RecordOmbudsmanDetermination struct {
	DeterminedOn calendar.Date      `json:"determined_on"`
	Findings     []OmbudsmanFinding `json:"findings"`
	Orders       []OmbudsmanOrder   `json:"orders,omitempty"`
}

// RecordOmbudsmanCompliance records the evidence of compliance with one
// order or recommendation and whether it was met.
type RecordOmbudsmanCompliance struct {
	Order    int    `json:"order"`
	Evidence string `json:"evidence"`
	Met      bool   `json:"met"`
}

func (ReferToOmbudsman) event() EventKind             { return EventOmbudsmanReferred }
func (RequestOmbudsmanEvidence) event() EventKind     { return EventOmbudsmanEvidenceRequested }
func (ApproveOmbudsmanResponse) event() EventKind     { return EventOmbudsmanResponseApproved }
func (SendOmbudsmanEvidence) event() EventKind        { return EventOmbudsmanEvidenceSent }
func (RecordOmbudsmanDetermination) event() EventKind { return EventOmbudsmanDetermined }
func (RecordOmbudsmanCompliance) event() EventKind    { return EventOmbudsmanCompliance }

func (cmd ReferToOmbudsman) decide(d *decision) error {
	c, at, fe := d.next, d.at, d.fe
	if !c.FinalResponseGiven() {
		return Errorf(Conflict, "only a complaint that has had its final response, at stage 2, can be referred to the Ombudsman")
	}
	if c.Ombudsman != nil {
		return Errorf(Conflict, "the complaint was already referred to the Ombudsman, reference %s", c.Ombudsman.Reference)
	}
	checkLine(fe, "reference", cmd.Reference, maxShort, true)
	switch {
	case cmd.NotifiedOn.IsZero():
		fe.add("notified_on", "is required")
	case cmd.NotifiedOn.After(calendar.DateOf(at)):
		fe.add("notified_on", "is after the day it is recorded, %s", calendar.DateOf(at))
	case cmd.NotifiedOn.Before(calendar.DateOf(c.Current().RespondedAt)):
		fe.add("notified_on", "is before the final response on %s", calendar.DateOf(c.Current().RespondedAt))
	}
	if err := fe.err(); err != nil {
		return err
	}
	c.Ombudsman = &OmbudsmanReferral{Reference: strings.TrimSpace(cmd.Reference), NotifiedOn: cmd.NotifiedOn, RecordedBy: d.env.Actor.Email, RecordedAt: at}
	return nil
}

// referral returns the case's referral, or a conflict saying there is
// none yet.
func referral(c *Case) (*OmbudsmanReferral, error) {
	if c.Ombudsman == nil {
		return nil, Errorf(Conflict, "the complaint has not been referred to the Ombudsman: record the referral first")
	}
	return c.Ombudsman, nil
}

func (cmd RequestOmbudsmanEvidence) decide(d *decision) error {
	r, err := referral(d.next)
	if err != nil {
		return err
	}
	fe, today := d.fe, calendar.DateOf(d.at)
	checkText(fe, "what", cmd.What, maxText, true)
	switch {
	case cmd.Due.IsZero():
		fe.add("due", "is required")
	case cmd.Due.Before(today):
		fe.add("due", "is before the day the request is recorded, %s", today)
	}
	if err := fe.err(); err != nil {
		return err
	}
	if len(r.Requests) >= maxList {
		return Errorf(Conflict, "the referral already has %d requests for evidence, the most it may hold", maxList)
	}
	r.Requests = append(r.Requests, EvidenceRequest{ID: len(r.Requests) + 1, What: strings.TrimSpace(cmd.What), Due: cmd.Due, RequestedAt: d.at, RequestedBy: d.env.Actor.Email})
	return nil
}

func (cmd ApproveOmbudsmanResponse) decide(d *decision) error {
	r, err := referral(d.next)
	if err != nil {
		return err
	}
	fe := d.fe
	checkLine(fe, "name", cmd.Name, maxShort, true)
	checkLine(fe, "role", cmd.Role, maxShort, true)
	if err := fe.err(); err != nil {
		return err
	}
	if r.ApprovalPending() {
		return Errorf(Conflict, "an approval is already recorded for the next response to the Ombudsman: record the response as sent first")
	}
	if len(r.Approvals) >= maxList {
		return Errorf(Conflict, "the referral already has %d approvals, the most it may hold", maxList)
	}
	r.Approvals = append(r.Approvals, ExecutiveApproval{Name: strings.TrimSpace(cmd.Name), Role: strings.TrimSpace(cmd.Role), At: d.at, RecordedBy: d.env.Actor.Email})
	return nil
}

// ValidSHA256 reports whether s is a SHA-256 hash written as 64
// lower-case hexadecimal digits.
func ValidSHA256(s string) bool {
	if len(s) != 64 || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func (cmd SendOmbudsmanEvidence) decide(d *decision) error {
	r, err := referral(d.next)
	if err != nil {
		return err
	}
	fe := d.fe
	if cmd.Pack != nil && cmd.SHA256 == "" {
		cmd.SHA256 = cmd.Pack.SHA256
	}
	if cmd.Pack != nil && cmd.SHA256 != cmd.Pack.SHA256 {
		fe.add("sha256", "is not the hash of the pack kept with the case, %s", cmd.Pack.SHA256)
	} else if strings.TrimSpace(cmd.SHA256) == "" {
		fe.add("sha256", "is required")
	} else if !ValidSHA256(cmd.SHA256) {
		fe.add("sha256", "must be the pack's SHA-256 hash: 64 lower-case hexadecimal digits")
	}
	checkLine(fe, "collated_by", cmd.CollatedBy, maxShort, false)
	checkText(fe, "note", cmd.Note, maxText, false)
	ids := slices.Clone(cmd.Requests)
	for i, id := range ids {
		j := slices.IndexFunc(r.Requests, func(q EvidenceRequest) bool { return q.ID == id })
		switch {
		case j < 0:
			fe.add("requests["+strconv.Itoa(i)+"]", "there is no request for evidence %d", id)
		case r.Requests[j].Answered():
			fe.add("requests["+strconv.Itoa(i)+"]", "request %d was already answered", id)
		case slices.Index(ids, id) < i:
			fe.add("requests["+strconv.Itoa(i)+"]", "request %d is listed twice", id)
		}
	}
	if err := fe.err(); err != nil {
		return err
	}
	sub := EvidenceSubmission{SHA256: cmd.SHA256, At: d.at, By: d.env.Actor.Email, CollatedBy: strings.TrimSpace(cmd.CollatedBy), Note: strings.TrimSpace(cmd.Note)}
	// 002 §2.6: the executive approves the response before it is sent.
	if a := r.pendingApproval(); a >= 0 {
		r.Approvals[a].Used = true
		sub.ApprovedBy = r.Approvals[a].Name + ", " + r.Approvals[a].Role
	} else if !d.env.Replay && d.env.Policy != nil && d.env.Policy.OmbudsmanStage.ExecutiveApproval {
		return Errorf(Conflict, "the policy requires a member of the executive team to approve the response to the Ombudsman before it is sent (%s): record the approval first", d.env.Policy.OmbudsmanStage.Source)
	}
	if len(ids) == 0 {
		for _, q := range r.Requests {
			if !q.Answered() {
				ids = append(ids, q.ID)
			}
		}
	}
	for _, id := range ids {
		j := slices.IndexFunc(r.Requests, func(q EvidenceRequest) bool { return q.ID == id })
		r.Requests[j].AnsweredAt = d.at
	}
	if len(r.Submissions) >= maxList {
		return Errorf(Conflict, "the referral already has %d submissions, the most it may hold", maxList)
	}
	sub.Requests = ids
	if cmd.Pack != nil {
		sub.Pack = cmd.Pack.Name
	}
	// The rule fills in which requests were answered, so the event
	// records them and a replay never depends on what was open then.
	d.recorded = SendOmbudsmanEvidence{SHA256: cmd.SHA256, Requests: ids, CollatedBy: cmd.CollatedBy, Note: cmd.Note, Pack: cmd.Pack}
	r.Submissions = append(r.Submissions, sub)
	return nil
}

func (cmd RecordOmbudsmanDetermination) decide(d *decision) error {
	r, err := referral(d.next)
	if err != nil {
		return err
	}
	if r.Determination != nil {
		return Errorf(Conflict, "the Ombudsman's determination was already recorded on %s", r.Determination.RecordedAt.Format("2 January 2006"))
	}
	fe, today := d.fe, calendar.DateOf(d.at)
	switch {
	case cmd.DeterminedOn.IsZero():
		fe.add("determined_on", "is required")
	case cmd.DeterminedOn.After(today):
		fe.add("determined_on", "is after the day it is recorded, %s", today)
	case cmd.DeterminedOn.Before(r.NotifiedOn):
		fe.add("determined_on", "is before the referral on %s", r.NotifiedOn)
	}
	switch {
	case len(cmd.Findings) == 0:
		fe.add("findings", "give at least one finding, with its point and the Ombudsman's reasons")
	case len(cmd.Findings) > maxList:
		fe.add("findings", "has more than %d findings", maxList)
	}
	findings := make([]OmbudsmanFinding, len(cmd.Findings))
	for i, f := range cmd.Findings {
		p := "findings[" + strconv.Itoa(i) + "]."
		checkLine(fe, p+"point", f.Point, maxShort, true)
		if f.Finding == "" {
			fe.add(p+"finding", "is required")
		} else if _, err := enum.Parse(string(f.Finding), Findings, "a finding"); err != nil {
			fe.add(p+"finding", "%v", err)
		}
		checkText(fe, p+"reasons", f.Reasons, maxText, true)
		findings[i] = OmbudsmanFinding{Point: strings.TrimSpace(f.Point), Finding: f.Finding, Reasons: strings.TrimSpace(f.Reasons)}
	}
	if len(cmd.Orders) > maxList {
		fe.add("orders", "has more than %d orders", maxList)
	}
	orders := make([]OmbudsmanOrder, len(cmd.Orders))
	for i, o := range cmd.Orders {
		p := "orders[" + strconv.Itoa(i) + "]."
		if o.Kind == "" {
			fe.add(p+"kind", "is required")
		} else if _, err := enum.Parse(string(o.Kind), OrderKinds, "a kind"); err != nil {
			fe.add(p+"kind", "%v", err)
		}
		checkText(fe, p+"description", o.Description, maxText, true)
		switch {
		case o.Due.IsZero() && o.Kind == KindOrder:
			fe.add(p+"due", "is required for an order")
		case !o.Due.IsZero() && !cmd.DeterminedOn.IsZero() && o.Due.Before(cmd.DeterminedOn):
			fe.add(p+"due", "is before the determination on %s", cmd.DeterminedOn)
		}
		if o.ID != 0 || o.Evidence != "" || o.Met || !o.MetAt.IsZero() || o.ComplianceBy != "" || !o.ComplianceAt.IsZero() {
			fe.add(p+"id", "give only kind, description and due: Redress numbers orders and records compliance with its own command")
		}
		orders[i] = OmbudsmanOrder{ID: i + 1, Kind: o.Kind, Description: strings.TrimSpace(o.Description), Due: o.Due}
	}
	if err := fe.err(); err != nil {
		return err
	}
	r.Determination = &Determination{DeterminedOn: cmd.DeterminedOn, Findings: findings, Orders: orders, RecordedBy: d.env.Actor.Email, RecordedAt: d.at}
	return nil
}

func (cmd RecordOmbudsmanCompliance) decide(d *decision) error {
	r, err := referral(d.next)
	if err != nil {
		return err
	}
	if r.Determination == nil || len(r.Determination.Orders) == 0 {
		return Errorf(Conflict, "the Ombudsman's determination with its orders has not been recorded")
	}
	fe := d.fe
	orders := r.Determination.Orders
	i := slices.IndexFunc(orders, func(o OmbudsmanOrder) bool { return o.ID == cmd.Order })
	if i < 0 {
		fe.add("order", "there is no order %d: the orders are 1 to %d", cmd.Order, len(orders))
	}
	checkText(fe, "evidence", cmd.Evidence, maxText, true)
	if err := fe.err(); err != nil {
		return err
	}
	o := &orders[i]
	if o.Met {
		return Errorf(Conflict, "%s %d was already recorded as met on %s", o.Kind, o.ID, o.MetAt.Format("2 January 2006"))
	}
	o.Evidence, o.Met, o.ComplianceBy, o.ComplianceAt = strings.TrimSpace(cmd.Evidence), cmd.Met, d.env.Actor.Email, d.at
	if cmd.Met {
		o.MetAt = d.at
	}
	return nil
}

// cloneOmbudsman deep-copies a referral, so that a rule changing the
// next case never changes the case it was given.
func cloneOmbudsman(r *OmbudsmanReferral) *OmbudsmanReferral {
	if r == nil {
		return nil
	}
	n := *r
	n.Requests = slices.Clone(r.Requests)
	n.Approvals = slices.Clone(r.Approvals)
	n.Submissions = slices.Clone(r.Submissions)
	for i := range n.Submissions {
		n.Submissions[i].Requests = slices.Clone(r.Submissions[i].Requests)
	}
	if r.Determination != nil {
		det := *r.Determination
		det.Findings = slices.Clone(det.Findings)
		det.Orders = slices.Clone(det.Orders)
		n.Determination = &det
	}
	return &n
}
