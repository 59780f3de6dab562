package webui

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// deadlineRow is one deadline on the case page.
type deadlineRow struct {
	Stage    int
	What     string
	Due      calendar.Date
	Done     string // when it was met, if it has been
	Met      bool
	DaysLeft int
	Open     bool
}

// cases is the case work the pages do for the signed-in person.
func (s *Server) cases() *casework.Service {
	return &casework.Service{Store: s.Store, Policy: s.Policy, Calendar: s.Calendar, Log: s.Log, Now: s.Now, ServiceName: s.ServiceName}
}

// viewer is u as lists, counts and figures need them for the
// confidential-case rule under the policy (casework.Service.Viewer).
func (s *Server) viewer(u store.User) store.Viewer {
	return s.cases().Viewer(u)
}

// loadVisible returns the case if the user may see it.
func (s *Server) loadVisible(r *http.Request, ref string) (complaint.Case, error) {
	return s.cases().Load(r.Context(), userOf(r), ref)
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	return s.renderCase(w, r, http.StatusOK, c, "", nil, nil)
}

// renderCase shows the case page; after a failed command, active names
// the form, errs its problems and form what was typed, kept for the
// person to correct.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, c complaint.Case, active string, errs []fieldError, form url.Values) error {
	ctx := r.Context()
	u := userOf(r)
	// Every caller's case passes through here, however it was read, so a
	// confidential case linked to this one is never named to someone who
	// may not see it: not in the links, not in the timeline.
	if err := s.cases().HideLinks(ctx, u, &c); err != nil {
		return err
	}
	today := calendar.DateOf(s.Now())
	var deadlines []deadlineRow
	for _, st := range c.Stages {
		type due struct {
			what string
			due  calendar.Date
			done calendar.Date
		}
		dues := []due{
			{"Acknowledge", st.AcknowledgeBy, dateOrZero(st.AcknowledgedAt)},
			{"Respond", st.RespondBy, dateOrZero(st.RespondedAt)},
		}
		// The policy's own promises within the stage (001's manager's
		// call) sit beside the Code's deadlines.
		for _, m := range st.Milestones {
			dues = append(dues, due{m.Name, m.Due, dateOrZero(m.MetAt)})
		}
		for _, d := range dues {
			row := deadlineRow{Stage: st.Stage, What: d.what, Due: d.due, Open: c.Status.Open() && d.done.IsZero()}
			if !d.done.IsZero() {
				row.Done, row.Met = formatDate(d.done), !d.done.After(d.due)
			} else if row.Open {
				row.DaysLeft, _ = s.Calendar.WorkingDaysBetween(today, d.due)
			}
			deadlines = append(deadlines, row)
		}
		if !st.EscalateBy.IsZero() && len(c.Stages) == 1 && c.Status.Open() {
			left, _ := s.Calendar.WorkingDaysBetween(today, st.EscalateBy)
			deadlines = append(deadlines, deadlineRow{Stage: st.Stage, What: "Ask for stage 2", Due: st.EscalateBy, Open: true, DaysLeft: left})
		}
	}
	events, err := s.cases().Events(ctx, u, c)
	if err != nil {
		return err
	}
	issued, err := s.Store.Letters(ctx, c.Reference)
	if err != nil {
		return err
	}
	files, err := s.Store.Attachments(ctx, c.Reference)
	if err != nil {
		return err
	}
	outbox, err := s.Store.Outbox(ctx, c.Reference)
	if err != nil {
		return err
	}
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return err
	}
	// Offer only people the rules allow: no viewers, and at stage 2 no one
	// who handled stage 1 (Code 6.13).
	var handlers []store.User
	for _, h := range users {
		if auth.Role(h.Role).CanAct() && !(c.Stage == 2 && c.ActedOnStage1(h.Email)) {
			handlers = append(handlers, h)
		}
	}
	// An action's owner is chosen from the people who can act on cases
	// (issue 22, item 3), so the actions tracker can be filtered by them.
	var owners []store.User
	for _, u := range users {
		if auth.Role(u.Role).CanAct() {
			owners = append(owners, u)
		}
	}
	tracking, err := s.trackingCode(r, c)
	if err != nil {
		return err
	}
	st := c.Current()
	ps, _ := s.Policy.StageOf(max(c.Stage, 1))
	letterSec := newLetterSection(c, issued, outbox, auth.Role(u.Role).CanAct(), r.URL.Query().Get("letter") == "issued")
	reviewBy := ""
	if complaint.AwaitingSignOff(c, s.Policy) {
		reviewBy = complaint.SignOffRole(s.Policy)
	}
	nextStep := nextStepOf(c, kindNamer(s.Policy), reviewBy)
	data := map[string]any{
		"Title": c.Reference + ": " + c.Summary, "Nav": "cases", "Case": c, "Stage": st,
		"Deadlines": deadlines, "Handlers": handlers, "Owners": owners, "Today": today,
		"Active": active, "Errors": errs, "Form": form, "Created": r.URL.Query().Get("created") == "1",
		"CanAct": auth.Role(u.Role).CanAct(), "Policy": s.Policy, "PolicyStage": ps,
		"Exclusions": complaint.RefusalExclusions(c, s.Policy), "Outcomes": complaint.Outcomes, "RemedyKinds": complaint.RemedyKinds,
		"Attachments": files, "Emails": emailRows(outbox), "Timeline": conversation(events, outbox),
		"LetterSection": letterSec, "LettersToSend": lettersToSend(letterSec.Due, nextStep),
		"Next": nextStep, "Done": doneMessage(r.URL.Query().Get("done"), c), "DateHint": dateExample(today),
		"RemediesTyped":     active == "respond" && remediesTyped(form, errs),
		"CompensationKinds": complaint.CompensationKinds, "Stage1Handlers": stage1Handlers(c), "HandledStage1": c.ActedOnStage1(u.Email),
	}
	if c.Confidential {
		data["SeenBy"] = whoMaySee(c, s.Policy.Confidential.NamedViewersOnly)
	}
	data["TrackingCode"] = tracking
	data["PersonPath"] = personLink(u.Role, c.Complainant) // people.go
	if rep := c.Representative; rep != nil {
		data["RepresentativePath"] = personLink(u.Role, complaint.Person{Email: rep.Email, Phone: rep.Phone})
	}
	if err := s.addRestrictions(ctx, data, c.Complainant); err != nil { // restrictions.go
		return err
	}
	if err := s.addRetention(r, data, c); err != nil { // retention.go
		return err
	}
	data["DetailsForm"] = detailsForm(c, active, form)
	data["Safety"] = newSafetyView(u, c)
	data["Group"] = s.newGroupView(c, issued)
	if data["Tenancy"], err = s.newTenancyView(ctx, c, auth.Role(u.Role).CanAct()); err != nil { // case_tenancy.go
		return err
	}
	data["Hazard"] = s.newHazardView(u, c, noteTexts(events), s.Now(), active, form)
	data["Ombudsman"], data["Deadlines"] = newOmbudsmanView(u, c, s.Policy, today), append(deadlines, s.ombudsmanDeadlines(c, today)...)
	data["WithinStage"] = s.newWithinStageView(c, today)
	if st != nil {
		data["ExtensionDays"] = st.ExtensionDays()
		data["LateEscalation"] = !st.EscalateBy.IsZero() && today.After(st.EscalateBy)
	}
	s.render(w, r, status, "case", data)
	return nil
}

// seenBy is who may see a confidential case, as its page lists them:
// the people it names (auth.Named), and who else sees every
// confidential case under the policy.
type seenBy struct {
	Handlers    []string
	LoggedBy    string
	LineManager string
	// Managers is true where every manager sees every confidential case
	// (every policy but one that keeps them to the people they name).
	Managers bool
}

func whoMaySee(c complaint.Case, namedOnly bool) seenBy {
	var handlers []string
	for _, h := range append([]string{c.Handler}, stageHandlersOf(c)...) {
		if h != "" && !slices.ContainsFunc(handlers, func(e string) bool { return auth.FoldEmail(e) == auth.FoldEmail(h) }) {
			handlers = append(handlers, h)
		}
	}
	return seenBy{Handlers: handlers, LoggedBy: c.CreatedBy, LineManager: c.LineManager, Managers: auth.Manager.SeesAllConfidential(namedOnly)}
}

func stageHandlersOf(c complaint.Case) []string {
	var out []string
	for _, st := range c.Stages {
		out = append(out, st.Handlers...)
	}
	return out
}

func stage1Handlers(c complaint.Case) string {
	if len(c.Stages) == 0 {
		return ""
	}
	var who []string
	for _, e := range append(slices.Clone(c.Stages[0].Handlers), c.Stages[0].Involved...) {
		if !slices.Contains(who, e) {
			who = append(who, e)
		}
	}
	return strings.Join(who, ", ")
}

func dateOrZero(t time.Time) calendar.Date {
	if t.IsZero() {
		return calendar.Date{}
	}
	return calendar.DateOf(t)
}

// emailRow is an email about the case: letters by email, notices to the
// resident and officers. The outbox is the record of what was sent.
type emailRow struct {
	Queued, Kind, To, Subject, Status string
}

func emailRows(out []store.OutboundMessage) []emailRow {
	rows := make([]emailRow, 0, len(out))
	for _, m := range out {
		rows = append(rows, emailRow{Queued: formatTime(m.QueuedAt), Kind: emailKind(m), To: m.To, Subject: m.Subject, Status: emailStatus(m)})
	}
	return rows
}

// emailKind says what an email about a case is, in words: "letter",
// "notice: acknowledged".
func emailKind(m store.OutboundMessage) string {
	kind := strings.ReplaceAll(strings.TrimPrefix(m.Kind, "notice_"), "_", " ")
	if strings.HasPrefix(m.Kind, "notice_") {
		kind = "notice: " + kind
	}
	return kind
}

// emailStatus says where an email is, in words.
func emailStatus(m store.OutboundMessage) string {
	switch m.Status {
	case store.OutboxSent:
		return "sent " + formatTime(m.SentAt)
	case store.OutboxFailed:
		return "could not be sent (" + m.LastError + ")"
	}
	if m.Attempts > 0 {
		return fmt.Sprintf("waiting to be sent; %d attempt(s) so far, next %s", m.Attempts, formatTime(m.NextAttempt))
	}
	return "waiting to be sent"
}

// timelineEntry is one line of the case's history.
type timelineEntry struct {
	Kind   string
	Actor  string
	At     string
	Detail []string
	// Text is what someone wrote, shown whole (folded when long): what
	// the resident sent, a note.
	Text string
	// FromResident marks what the resident sent, by the tracking page or
	// by email, so that it stands out in the conversation.
	FromResident bool
	at           time.Time
}

// describeEvent turns a stored event into words for the timeline.
func describeEvent(ev complaint.Event) timelineEntry {
	e := timelineEntry{Kind: strings.ReplaceAll(string(ev.Kind), "_", " "), Actor: ev.Actor, At: formatTime(ev.At), at: ev.At}
	raw, _ := ev.Data.(json.RawMessage)
	var m map[string]any
	json.Unmarshal(raw, &m)
	add := func(label, key string) {
		switch v := m[key].(type) {
		case string:
			if v != "" {
				e.Detail = append(e.Detail, label+": "+v)
			}
		case float64:
			e.Detail = append(e.Detail, label+": "+strconv.FormatFloat(v, 'f', -1, 64))
		case bool:
			if v {
				e.Detail = append(e.Detail, label)
			}
		case []any:
			for i, x := range v {
				if s, ok := x.(string); ok {
					e.Detail = append(e.Detail, label+" "+strconv.Itoa(i+1)+": "+s)
				}
			}
		}
	}
	switch ev.Kind {
	case complaint.EventCreated:
		add("Summary", "summary")
		add("Channel", "channel")
	case complaint.EventAcknowledged:
		add("Point", "points")
		add("Outcome sought", "outcomes_sought")
	case complaint.EventAssigned:
		add("Handler", "handler")
	case complaint.EventExtended:
		add("Working days", "working_days")
		add("Reason", "reason")
		add("Good reason beyond the Code's limit", "good_reason")
		add("Agreed with the resident", "agreed_with_resident")
		add("Ombudsman's details given", "ombudsman_details_given")
	case complaint.EventEscalated:
		add("Reason", "reason")
		add("Late reason", "late_reason")
	case complaint.EventWithdrawn:
		add("Reason", "reason")
	case complaint.EventRefused:
		add("Exclusion", "exclusion")
		add("Explanation", "explanation")
	case complaint.EventNoteAdded:
		e.Text = toString(m["text"])
	case complaint.EventInformationAdded:
		source := toString(m["source"])
		e.FromResident = source != "staff"
		e.Kind = map[string]string{"portal": "sent from the tracking page", "email": "sent by email", "staff": "contact recorded by staff"}[source]
		if e.Kind == "" {
			e.Kind = "information added"
		}
		add("From", "from")
		e.Text = toString(m["text"])
		if files, ok := m["attachments"].([]any); ok {
			for _, f := range files {
				fm, _ := f.(map[string]any)
				e.Detail = append(e.Detail, "File: "+toString(fm["name"]))
			}
		}
	case complaint.EventInformationRead:
		e.Kind = "marked as read"
	case complaint.EventSubjectAccessExported:
		// The disclosure, as the audit trail records it (people.go).
		e.Kind = "subject access export made"
		add("Cases in the export", "cases")
		add("The person's part", "roles")
		add("The ZIP's SHA-256", "sha256")
	case complaint.EventResponseMethodAgreed:
		e.Detail = append(e.Detail, responseMethodDetail(m)...)
	case complaint.EventMemberEnquiryAcknowledged, complaint.EventMemberResponseRecorded:
		e.Kind, e.Text = memberDetail(ev.Kind, m)
	case complaint.EventComplimentPassedOn:
		e.Detail = append(e.Detail, praiseDetail(m)...)
	case complaint.EventGroupRecorded, complaint.EventGroupCopiesSent:
		e.Detail = append(e.Detail, groupDetail(m)...)
	case complaint.EventLegalHoldPlaced, complaint.EventLegalHoldLifted:
		add("Reason", "reason")
	case complaint.EventAnonymised:
		add("Retention rule", "rule")
		add("Erasure request", "request")
	case complaint.EventLetterIssued:
		add("Letter", "title")
		add("Sent again because", "reissue_reason")
	case complaint.EventDefinitionAmended:
		e.Detail = append(e.Detail, definitionChanges(m)...)
		add("Reason", "reason")
	case complaint.EventRemedySuperseded:
		add("Remedy", "id")
		add("Replaced by remedy", "replaced_by")
		add("Reason", "reason")
	case complaint.EventLinked:
		add("Linked to", "reference")
		add("Linked to another case, not shown", "withheld")
	case complaint.EventRemedyDone:
		add("Remedy", "id")
		add("Note", "note")
	case complaint.EventDetailsEdited, complaint.EventTenancyConfirmed:
		e.Detail = append(e.Detail, detailChanges(m)...)
		add("Reason", "reason")
	case complaint.EventSafetyFlagSet, complaint.EventSafetyAcknowledged:
		e.Detail = append(e.Detail, safetyDetail(ev.Kind, m)...)
	case complaint.EventSignOffRecorded, complaint.EventSignOffWaived, complaint.EventMediationRecorded, complaint.EventAdditionalComplaint:
		e.Detail = append(e.Detail, withinStageDetail(ev.Kind, m)...)
	case complaint.EventHazardClassified, complaint.EventHazardStep, complaint.EventAccommodationRecorded:
		e.Detail = append(e.Detail, hazardDetail(ev.Kind, m)...)
	case complaint.EventResponded:
		if ds, ok := m["decisions"].([]any); ok {
			for _, d := range ds {
				dm, _ := d.(map[string]any)
				e.Detail = append(e.Detail, "Point "+strconv.FormatFloat(toFloat(dm["point"]), 'f', -1, 64)+": "+
					strings.ReplaceAll(toString(dm["outcome"]), "_", " ")+". "+toString(dm["reasons"]))
			}
		}
	}
	return e
}

func toFloat(v any) float64 {
	f, _ := v.(float64)
	if math.IsNaN(f) {
		return 0
	}
	return f
}

func toString(v any) string { s, _ := v.(string); return s }
