package webui

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
)

// formCommand builds the domain command a case page form asks for. The
// forms hold no rules: the domain decides, exactly as for the API.
func (s *Server) formCommand(r *http.Request, c complaint.Case, name string) (complaint.Command, []fieldError, error) {
	f := r.PostForm
	switch name {
	case "acknowledge":
		respondBy, msg := readDate(f, "respond_by", "The response date agreed")
		if msg != "" {
			return nil, []fieldError{{"respond_by", msg}}, nil
		}
		return complaint.Acknowledge{Points: lines(f.Get("points")), OutcomesSought: lines(f.Get("outcomes_sought")), RespondBy: respondBy}, nil, nil
	case "mark-read":
		return complaint.MarkRead{}, nil, nil
	case "assign":
		h := f.Get("handler")
		if h == "" {
			return nil, []fieldError{{"handler", "Choose who will handle the case"}}, nil
		}
		u, err := s.Store.UserByEmail(r.Context(), h)
		if complaint.ErrorCode(err) == complaint.NotFound {
			return nil, []fieldError{{"handler", "Choose a handler from the list"}}, nil
		}
		if err != nil {
			return nil, nil, err
		}
		return complaint.Assign{Handler: u.Email, HandlerRole: u.Role, HandlerLeft: u.Deactivated}, nil, nil
	case "extend":
		days, err := strconv.Atoi(strings.TrimSpace(f.Get("working_days")))
		if err != nil {
			return nil, []fieldError{{"working_days", "Enter the number of working days, like 5"}}, nil
		}
		return complaint.Extend{WorkingDays: days, Reason: f.Get("reason"), GoodReason: f.Get("good_reason"),
			AgreedWithResident: f.Get("agreed_with_resident") == "yes", OmbudsmanDetailsGiven: f.Get("ombudsman_details_given") == "yes"}, nil, nil
	case "respond":
		cmd := complaint.Respond{Learning: f.Get("learning")}
		var errs []fieldError
		if st := c.Current(); st != nil {
			for i := range st.Points {
				n := strconv.Itoa(i + 1)
				cmd.Decisions = append(cmd.Decisions, complaint.Decision{Point: i + 1,
					Outcome: complaint.Outcome(f.Get("outcome." + n)), Reasons: f.Get("reasons." + n)})
			}
		}
		for i := 1; i <= remedyRows; i++ {
			n := strconv.Itoa(i)
			kind := f.Get("remedy." + n + ".kind")
			if kind == "" {
				continue
			}
			due, msg := readDate(f, "remedy."+n+".due", "Action "+n+" due date")
			if msg != "" {
				errs = append(errs, fieldError{"remedy." + n + ".due", msg})
			}
			rem := complaint.RemedyInput{Kind: complaint.RemedyKind(kind), Description: f.Get("remedy." + n + ".description"),
				Owner: f.Get("remedy." + n + ".owner"), Due: due,
				CompensationKind: f.Get("remedy." + n + ".compensation_kind")}
			if amount := strings.TrimSpace(strings.TrimPrefix(f.Get("remedy."+n+".amount"), "£")); amount != "" {
				pounds, err := strconv.ParseFloat(amount, 64)
				if err != nil || pounds < 0 {
					errs = append(errs, fieldError{"remedy." + n + ".amount", "Enter an amount in pounds, like 150.00"})
				}
				rem.AmountPence = int64(math.Round(pounds * 100))
			}
			cmd.Remedies = append(cmd.Remedies, rem)
		}
		return cmd, errs, nil
	case "escalate":
		return complaint.Escalate{Reason: f.Get("reason"), LateReason: f.Get("late_reason")}, nil, nil
	case "close":
		return complaint.Close{}, nil, nil
	case "withdraw":
		return complaint.Withdraw{Reason: f.Get("reason")}, nil, nil
	case "refuse":
		return complaint.Refuse{Exclusion: f.Get("exclusion"), Explanation: f.Get("explanation")}, nil, nil
	case "convert":
		on, msg := readDate(f, "dissatisfied_on", "The date the resident said they were dissatisfied")
		if msg != "" {
			return nil, []fieldError{{"dissatisfied_on", msg}}, nil
		}
		return convertCommand(c, on)
	case "milestone":
		return complaint.RecordMilestone{Code: f.Get("code"), Note: f.Get("note")}, nil, nil
	case "notes":
		return complaint.Note{Text: f.Get("text")}, nil, nil
	case "member-acknowledge":
		return complaint.AcknowledgeMemberEnquiry{}, nil, nil
	case "member-response":
		return complaint.RecordMemberResponse{Response: f.Get("response")}, nil, nil
	case "response-method":
		return complaint.AgreeResponseMethod{Method: complaint.ResponseMethod(f.Get("method")), Reason: f.Get("reason")}, nil, nil
	case "compliment":
		return s.complimentCommand(r)
	case formTenancy:
		return tenancyCommand(f), nil, nil
	case formGroup:
		cmd, errs := groupCommand(f)
		return cmd, errs, nil
	case "details":
		return detailsCommand(r, c), nil, nil
	case formSafetyFlag, formSafetyAcknowledge:
		return safetyCommand(r, name), nil, nil
	case formSignOff, formSignOffWaiver, formMediation, formAdditional:
		return withinStageCommand(r, name), nil, nil
	case formHazard, formHazardStep, formAccommodation:
		cmd, errs := hazardCommand(r, c, name)
		return cmd, errs, nil
	case formOmbudsmanReferral, formOmbudsmanRequest, formOmbudsmanApproval, formOmbudsmanSent, formOmbudsmanDetermination, formOmbudsmanCompliance:
		cmd, errs := ombudsmanCommand(r, name)
		return cmd, errs, nil
	case "link":
		ref := strings.TrimSpace(f.Get("reference"))
		if ref != "" {
			other, err := s.loadVisible(r, ref)
			if complaint.ErrorCode(err) == complaint.NotFound {
				return nil, []fieldError{{"reference", "There is no case " + ref}}, nil
			}
			if err != nil {
				return nil, nil, err
			}
			ref = other.Reference
		}
		return complaint.Link{Reference: ref}, nil, nil
	}
	return nil, nil, complaint.Errorf(complaint.NotFound, "there is no form %q", name)
}

// remedyRows is how many remedies the response form offers at once.
const remedyRows = 4

// domainFieldToForm maps the domain's field names in a respond error to
// the form's: decisions[0].reasons is reasons.1 on the page.
func domainFieldToForm(field string) string {
	if field == "dissatisfied_at" {
		return "dissatisfied_on" // the form asks for a date
	}
	if strings.HasPrefix(field, "group.") {
		return groupFieldToForm(field)
	}
	if strings.HasPrefix(field, "categories[") {
		return "categories" // one textarea, a category a line
	}
	for _, p := range []struct{ prefix, form string }{{"decisions[", ""}, {"remedies[", "remedy."}} {
		if rest, ok := strings.CutPrefix(field, p.prefix); ok {
			i, tail, _ := strings.Cut(rest, "].")
			n, err := strconv.Atoi(i)
			if err != nil {
				return field
			}
			if p.form == "" {
				return tail + "." + strconv.Itoa(n+1)
			}
			if tail == "amount_pence" {
				tail = "amount"
			}
			return p.form + strconv.Itoa(n+1) + "." + tail
		}
	}
	return field
}

func (s *Server) caseCommand(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	name := r.PathValue("command")
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	cmd, errs, err := s.formCommand(r, c, name)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		for i := range errs {
			errs[i].Field = name + "." + errs[i].Field // as the page's fields are named
		}
		return s.renderCase(w, r, http.StatusBadRequest, c, name, errs, r.PostForm)
	}
	if send, ok := cmd.(complaint.SendOmbudsmanEvidence); ok && send.SHA256 == "" {
		return s.sendEvidencePack(w, r, c, send)
	}
	return s.apply(w, r, c, name, cmd)
}

func (s *Server) completeRemedy(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "there is no remedy %q", r.PathValue("id"))
	}
	// Each remedy's row has its own form, so its fields and errors carry
	// its number: only the row just sent shows what was typed.
	form := "remedy-" + strconv.Itoa(id)
	cmd := complaint.CompleteRemedy{ID: id, Note: r.PostForm.Get("note")}
	iso, msg := readDate(r.PostForm, "paid_on", "The date it was paid or sent")
	if msg != "" {
		return s.renderCase(w, r, http.StatusBadRequest, c, form, []fieldError{{form + ".paid_on", msg}}, r.PostForm)
	}
	if iso != "" {
		cmd.PaidOn = calendar.MustParseDate(iso)
	}
	_, err = s.cases().Apply(r.Context(), userOf(r), c.Reference, formVersion(r), time.Time{}, cmd)
	if errs, ok := domainErrors(err, form); ok {
		for i := range errs {
			if errs[i].Field == "paid_on" {
				errs[i] = fieldError{form + ".paid_on", strings.Replace(errs[i].Message, humanField("paid_on"), "The date it was paid or sent", 1)}
			} else if errs[i].Field != form {
				errs[i].Field = form
			}
		}
		latest, lerr := s.Store.GetCase(r.Context(), c.Reference)
		if lerr != nil {
			return lerr
		}
		status := http.StatusBadRequest
		if code := complaint.ErrorCode(err); code == complaint.Conflict || code == complaint.Stale {
			status = http.StatusConflict
		}
		return s.renderCase(w, r, status, latest, form, errs, r.PostForm)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/cases/"+c.Reference+"?done=remedy", http.StatusSeeOther)
	return nil
}

// apply runs a command in one store transaction, with the version the
// page was showing, so a change made meanwhile by someone else is not
// silently overwritten.
func (s *Server) apply(w http.ResponseWriter, r *http.Request, c complaint.Case, form string, cmd complaint.Command) error {
	return s.applyWith(w, r, c, form, func(version int) (complaint.Case, error) {
		return s.cases().Apply(r.Context(), userOf(r), c.Reference, version, time.Time{}, cmd)
	})
}

// applyWith is apply for a change that is more than one command, such as
// an evidence pack kept with the case as it is recorded sent: save runs
// it at the version the page was showing.
func (s *Server) applyWith(w http.ResponseWriter, r *http.Request, c complaint.Case, form string, save func(version int) (complaint.Case, error)) error {
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	next, err := save(version)
	if errs, ok := domainErrors(err, form); ok {
		for i := range errs {
			if errs[i].Field != form { // a field's error, not the whole form's
				errs[i].Field = form + "." + domainFieldToForm(errs[i].Field)
			}
		}
		// Show the latest case, with what was typed kept.
		latest, lerr := s.Store.GetCase(r.Context(), c.Reference)
		if lerr != nil {
			return lerr
		}
		status := http.StatusBadRequest
		if complaint.ErrorCode(err) == complaint.Conflict || complaint.ErrorCode(err) == complaint.Stale {
			status = http.StatusConflict
		}
		return s.renderCase(w, r, status, latest, form, errs, r.PostForm)
	}
	if err != nil {
		return err
	}
	// The page says what happened and what is next (doneMessage).
	target := "/cases/" + next.Reference + "?done=" + url.QueryEscape(form)
	if form == "acknowledge" {
		target = s.sendAcknowledgement(r, next, target)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// convertCommand reads the date the resident said they were dissatisfied.
// A date is taken as the start of that day in London, or the contact's
// receipt on the day it was received, so that the day itself is always
// allowed; the rules refuse one after the conversion.
func convertCommand(c complaint.Case, on string) (complaint.Command, []fieldError, error) {
	on = strings.TrimSpace(on)
	if on == "" {
		return complaint.Convert{}, nil, nil
	}
	d, err := calendar.ParseDate(on)
	if err != nil {
		return nil, []fieldError{{"dissatisfied_on", "The date the resident said they were dissatisfied must be a real date, " + lowerFirst(dateLike)}}, nil
	}
	at := d.Start()
	if at.Before(c.ReceivedAt) && calendar.DateOf(c.ReceivedAt) == d {
		at = c.ReceivedAt
	}
	return complaint.Convert{DissatisfiedAt: at}, nil, nil
}

// sendAcknowledgement issues the acknowledgement letter of the stage just
// acknowledged, in the landlord's standard wording, when the officer
// chose on the acknowledge form to send it at once (send_letter: email or
// print), and returns where the officer goes next. Acknowledging and
// telling the resident are one step for the officer; they are two records
// (the acknowledgement, and the letter as issued), exactly as if the
// letter had been written on its own page. If the letter cannot go as it
// stands (no email address, something the Code requires missing), the
// officer is taken to the letter's page to finish it, where the reasons
// are shown: the acknowledgement itself is recorded either way.
func (s *Server) sendAcknowledgement(r *http.Request, c complaint.Case, target string) string {
	channel := r.PostForm.Get("send_letter")
	if channel != casework.ChannelEmail && channel != casework.ChannelPrint {
		return target
	}
	kind := letters.Acknowledgement
	if c.Stage == 2 {
		kind = letters.Stage2Acknowledgement
	}
	page := "/cases/" + c.Reference + "/letters/new?kind=" + string(kind)
	ctx := r.Context()
	d, err := s.cases().DraftLetter(ctx, c, kind)
	if err == nil {
		_, _, err = s.cases().IssueDraft(ctx, userOf(r), c, d, channel, c.Version)
	}
	if err != nil {
		s.Log.InfoContext(ctx, "acknowledgement letter not sent with the acknowledgement", "reference", c.Reference, "error", err)
		return page
	}
	return target + "&letter=issued"
}
