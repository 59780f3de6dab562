package complaint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Anonymising a case removes what identifies the resident, and what they
// or staff wrote about them, from the case and from every event of its
// audit trail, while keeping what the landlord must still be able to
// count and show: the reference, dates, kind, stage, status, tenure,
// service area, categories, outcomes, remedies' kinds and amounts,
// deadlines and the members of staff who acted. The events' hashes are
// not recomputed (the audit trail could then be rewritten by anyone who
// can anonymise); instead the anonymisation is itself an event on the
// case, chained like any other, that records the SHA-256 of each event
// as anonymised, so that an audit checks the anonymised event against
// that record and takes the original hash as the chain's link.
//
// The anonymiser works on the JSON that events and cases are stored as,
// by key: a key in personalKeys has its text replaced, every other key is
// kept. Each distinct value is replaced by the same placeholder wherever
// it appears on the case, so that replaying the anonymised events (an
// edit from one name to another, a point withdrawn by its text) makes
// the same decisions as the originals did, and the case they rebuild is
// the case as anonymised.

// personalKeys are the JSON keys, in cases and in events, whose text is
// personal data or free text that may hold it. TestAnonymiserClassifiesEveryField
// fails when a command or the case gains a text field that is in neither
// this list nor keptKeys.
var personalKeys = map[string]bool{
	"name": true, "email": true, "phone": true, "address": true, "postcode": true, "tenancy_ref": true,
	"relationship": true, "office": true, "point_of_contact": true, "member": true, "mediator": true,
	"summary": true, "description": true, "desired_outcome": true, "text": true, "note": true, "notes": true,
	"reason": true, "reasons": true, "late_reason": true, "good_reason": true, "end_reason": true,
	"explanation": true, "comments": true, "answer": true, "finding": true, "findings": true,
	"evidence": true, "issues": true, "learning": true, "outcomes_sought": true, "points": true,
	"add": true, "from": true, "to": true, "quote": true, "response": true, "what": true,
	"adjustments": true, "vulnerabilities": true, "done_note": true, "supersede_reason": true,
	"waive_reason": true, "restriction": true, "ref": true, "home_ref": true,
}

// keptKeys are the text keys that are kept as they are: codes, staff,
// references, dates and hashes.
var keptKeys = map[string]bool{
	"kind": true, "channel": true, "class": true, "code": true, "collated_by": true, "compensation_kind": true,
	"compliance_by": true, "due": true, "exclusion": true, "field": true, "handler": true, "handlers": true,
	"line_manager": true, "manager": true, "method": true, "outcome": true, "owner": true, "point": true,
	"reference": true, "respond_by": true, "response_method": true, "result": true, "reviewer": true,
	"reviewer_role": true, "role": true, "service_area": true, "sha256": true, "source": true, "status": true,
	"step": true, "superseded_by": true, "tenure": true, "was": true, "categories": true, "title": true,
	"letter": true, "approved_by": true, "by": true, "classified_by": true, "created_by": true,
	"involved": true, "links": true, "met_by": true, "offered_by": true, "pack": true, "passed_on_by": true,
	"policy": true, "preventative_not_practicable": true, "recorded_by": true, "requested_by": true,
	"safety_acknowledged_by": true, "waived_by": true, "rule": true, "request": true, "sha256s": true,
	"register_tenure": true, "paid_on": true, "matched_by": true, "confirmed_by": true, "file_sha256": true, "row_sha256": true,
	"original_ref": true, "roles": true,
}

// anonymiseConsidered lists every event kind whose data has been checked
// against personalKeys. A new kind must be added here, by someone who has
// looked at what it records (TestAnonymiserConsidersEveryEventKind).
var anonymiseConsidered = map[EventKind]bool{
	EventCreated: true, EventAcknowledged: true, EventAssigned: true, EventExtended: true,
	EventDecisionsRecorded: true, EventResponded: true, EventEscalated: true, EventClosed: true,
	EventWithdrawn: true, EventRefused: true, EventConverted: true, EventNoteAdded: true,
	EventLinked: true, EventRemedyDone: true, EventLetterIssued: true, EventInformationAdded: true,
	EventDetailsEdited: true, EventMilestoneMet: true, EventSafetyFlagSet: true,
	EventSafetyAcknowledged: true, EventHazardClassified: true, EventHazardStep: true,
	EventAccommodationRecorded: true, EventDefinitionAmended: true, EventRemedySuperseded: true,
	EventInformationRead: true, EventOmbudsmanReferred: true, EventOmbudsmanEvidenceRequested: true,
	EventOmbudsmanResponseApproved: true, EventOmbudsmanEvidenceSent: true, EventOmbudsmanDetermined: true,
	EventOmbudsmanCompliance: true, EventSignOffRecorded: true, EventSignOffWaived: true,
	EventMediationRecorded: true, EventAdditionalComplaint: true, EventResponseMethodAgreed: true,
	EventMemberEnquiryAcknowledged: true, EventMemberResponseRecorded: true, EventComplimentPassedOn: true,
	EventGroupCopiesSent: true, EventGroupRecorded: true,
	EventLegalHoldPlaced: true, EventLegalHoldLifted: true, EventAnonymised: true,
	EventTenancyConfirmed: true, EventImported: true, EventSubjectAccessExported: true,
}

// placeholderText and placeholderDomain mark replaced values, so that
// anonymising twice (an erasure after retention, or an audit anonymising
// a case already anonymised) leaves them as they are.
const (
	placeholderText   = "REMOVED-"
	placeholderDomain = ".anonymised.invalid"
)

// Anonymiser replaces personal values on one case, giving each distinct
// value (compared without case or surrounding space, as the rules store
// them trimmed, postcodes in capitals) the same placeholder wherever it
// appears. Use one Anonymiser for a case's events, in order, and then for
// the case itself.
type Anonymiser struct {
	domain string
	seen   map[string]string
}

// NewAnonymiser returns an anonymiser for the case with this reference,
// whose emails become addresses under a domain of the reference's own, so
// that anonymised residents are not counted as one repeat complainant.
func NewAnonymiser(reference string) *Anonymiser {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, reference)
	slug = strings.Trim(slug, "-")
	if slug == "" {
		slug = "case"
	}
	return &Anonymiser{domain: slug + placeholderDomain, seen: map[string]string{}}
}

// Anonymised reports whether s is a placeholder the anonymiser wrote.
func Anonymised(s string) bool {
	return strings.HasPrefix(s, placeholderText) || strings.HasSuffix(s, placeholderDomain)
}

// Text returns the placeholder for a personal value; "" stays "".
func (a *Anonymiser) Text(s string) string { return a.replace(s, false) }

func (a *Anonymiser) replace(s string, email bool) string {
	if strings.TrimSpace(s) == "" || Anonymised(s) || importedText(s) {
		return s
	}
	key := strings.ToLower(strings.TrimSpace(s))
	if p, ok := a.seen[key]; ok {
		return p
	}
	n := len(a.seen) + 1
	p := fmt.Sprintf("%s%d", placeholderText, n)
	if email || ValidEmail(strings.TrimSpace(s)) {
		p = fmt.Sprintf("removed-%d@%s", n, a.domain)
	}
	a.seen[key] = p
	return p
}

// Data returns an event's data, as stored, anonymised. Every kind is
// anonymised by key; the kind is asked for so that a kind no one has
// considered is refused rather than passed through.
func (a *Anonymiser) Data(kind EventKind, data []byte) ([]byte, error) {
	if !anonymiseConsidered[kind] {
		return nil, fmt.Errorf("events of kind %s cannot be anonymised: no one has said which of their fields are personal", kind)
	}
	return a.json(data)
}

func (a *Anonymiser) json(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("anonymise: %w", err)
	}
	return json.Marshal(a.walk(v, ""))
}

// walk replaces the text under personal keys: a string, or the strings
// of a list; an object under any key is walked by its own keys, so that
// an elected member's dates stay dates.
func (a *Anonymiser) walk(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = a.walk(e, k)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = a.walk(e, key)
		}
		return x
	case string:
		if personalKeys[key] {
			return a.replace(x, key == "email")
		}
	}
	return v
}

// Case returns the case anonymised with the same placeholders as its
// events.
func (a *Anonymiser) Case(c Case) (Case, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return Case{}, err
	}
	if b, err = a.json(b); err != nil {
		return Case{}, err
	}
	var out Case
	if err := json.Unmarshal(b, &out); err != nil {
		return Case{}, fmt.Errorf("anonymise: %w", err)
	}
	out.ID = c.ID
	return out, nil
}

// Anonymised returns the case with its personal data replaced, with a
// new anonymiser: for a case whose events are anonymised as well, use
// one Anonymiser for both (Anonymiser.Case).
func (c Case) Anonymised() (Case, error) { return NewAnonymiser(c.Reference).Case(c) }

// Anonymisation says when a case was anonymised and under which
// retention rule or erasure request.
type Anonymisation struct {
	At time.Time `json:"at"`
	// Rule is the retention rule (such as "complaint: 6 years after
	// closure"), or "" for an erasure.
	Rule string `json:"rule,omitempty"`
	// Request is the erasure request's id, or "" for retention.
	Request string `json:"request,omitempty"`
	By      string `json:"by"`
}

// AnonymisedEvent is one event of an anonymised case with the SHA-256
// storage computed of it as anonymised (its data replaced, all else as
// recorded; see package store's EventHash).
type AnonymisedEvent struct {
	Seq    int    `json:"seq"`
	SHA256 string `json:"sha256"`
}

// Anonymise records that the case's personal data was removed: the
// events listed were rewritten to the data whose hashes it gives. Storage
// builds it, since only storage holds the events' data; replaying it
// marks the case anonymised.
type Anonymise struct {
	Rule    string            `json:"rule,omitempty"`
	Request string            `json:"request,omitempty"`
	Events  []AnonymisedEvent `json:"events"`
}

func (Anonymise) event() EventKind { return EventAnonymised }

func (cmd Anonymise) decide(d *decision) error {
	switch {
	case d.before.Anonymisation != nil:
		return Errorf(Conflict, "case %s was anonymised on %s", d.before.Reference, d.before.Anonymisation.At.Format(time.DateOnly))
	case (cmd.Rule == "") == (cmd.Request == ""):
		return InvalidField("rule", "name either the retention rule or the erasure request, not both or neither")
	case !d.env.Replay && d.before.Held() != "":
		return Errorf(Conflict, "case %s is held (%s) and may not be anonymised", d.before.Reference, d.before.Held())
	}
	d.next.Anonymisation = &Anonymisation{At: d.at, Rule: cmd.Rule, Request: cmd.Request, By: d.env.Actor.Email}
	return nil
}

// LegalHold is a manager's hold on a case under legal proceedings: while
// it stands the case is never anonymised.
type LegalHold struct {
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// PlaceLegalHold puts a legal hold on the case.
type PlaceLegalHold struct {
	Reason string `json:"reason"`
}

// LiftLegalHold lifts the case's legal hold.
type LiftLegalHold struct {
	Reason string `json:"reason"`
}

func (PlaceLegalHold) event() EventKind { return EventLegalHoldPlaced }
func (LiftLegalHold) event() EventKind  { return EventLegalHoldLifted }

func (cmd PlaceLegalHold) decide(d *decision) error {
	if !d.env.Replay && !SeniorManager(d.env.Actor.Role) {
		return Errorf(Forbidden, "only a manager may put a legal hold on a case")
	}
	checkText(d.fe, "reason", cmd.Reason, maxText, true)
	if err := d.fe.err(); err != nil {
		return err
	}
	if d.before.LegalHold != nil {
		return Errorf(Conflict, "case %s is already on legal hold", d.before.Reference)
	}
	if d.before.Anonymisation != nil {
		return Errorf(Conflict, "case %s was anonymised: there is nothing left to hold", d.before.Reference)
	}
	d.next.LegalHold = &LegalHold{Reason: strings.TrimSpace(cmd.Reason), By: d.env.Actor.Email, At: d.at}
	return nil
}

func (cmd LiftLegalHold) decide(d *decision) error {
	if !d.env.Replay && !SeniorManager(d.env.Actor.Role) {
		return Errorf(Forbidden, "only a manager may lift a legal hold")
	}
	checkText(d.fe, "reason", cmd.Reason, maxText, true)
	if err := d.fe.err(); err != nil {
		return err
	}
	if d.before.LegalHold == nil {
		return Errorf(Conflict, "case %s is not on legal hold", d.before.Reference)
	}
	d.next.LegalHold = nil
	return nil
}

// Held says why the case may not be anonymised now, or "" if it may: a
// legal hold, or an Ombudsman referral not yet determined (the
// proceedings are open, UK GDPR Art. 17(3)(e)).
func (c *Case) Held() string {
	switch {
	case c.LegalHold != nil:
		return "legal hold: " + c.LegalHold.Reason
	case c.Ombudsman != nil && c.Ombudsman.Determination == nil:
		return "referred to the Housing Ombudsman, not yet determined"
	}
	return ""
}
