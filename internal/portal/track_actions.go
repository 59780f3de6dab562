package portal

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

func (s *Server) env(now time.Time, nr store.NewReference) complaint.Env {
	return complaint.Env{Now: now, Actor: resident, Policy: s.Policy, Calendar: s.Calendar, NewReference: nr}
}

// apply gives a resident's command to their case.
func (s *Server) apply(r *http.Request, c complaint.Case, cmd complaint.Command) error {
	now := s.Now()
	_, err := s.Store.UpdateCase(r.Context(), c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, s.env(now, nr))
	})
	return err
}

func caseAddress(c complaint.Case, rest string) string {
	return "/track/" + url.PathEscape(c.Reference) + rest
}

// sender is who the record says sent something about a tracked case.
func sender(c complaint.Case) string {
	if c.Representative != nil {
		return c.Representative.Name + " for " + c.Complainant.Name
	}
	return c.Complainant.Name
}

// actionData is what the pages of the tracked case's actions show.
type actionData struct {
	Case       complaint.Case
	KindWord   string
	Late       bool
	EscalateBy calendar.Date
	Allowed    string
	Max        int
}

func (s *Server) renderAction(w http.ResponseWriter, status int, name, title string, c complaint.Case, form url.Values, errs []fieldError) {
	d := actionData{Case: c, KindWord: kindWords[c.Kind], Allowed: attach.Allowed, Max: attach.MaxFiles}
	_, d.Late, d.EscalateBy = escalation(c, calendar.DateOf(s.Now()))
	s.render(w, status, name, &page{Title: title, Back: caseAddress(c, ""), Errors: errs, Form: form, Data: d})
}

const addInformationTitle = "Send us more information"

// addInformationPage offers a message and files to add to the case.
func (s *Server) addInformationPage(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return err
	}
	s.renderAction(w, http.StatusOK, "add-information", addInformationTitle, c, nil, nil)
	return nil
}

// addInformation records the message and files on the case, as sent by
// the resident. The proof and the limit are checked first, from the
// cookie and the address alone: up to 25 MB of body is read only from
// someone who has shown the case is theirs and is within their limit.
func (s *Server) addInformation(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return err
	}
	if err := s.limit(s.submits, r); err != nil {
		return err
	}
	files, form, uerr := readUploads(r)
	if uerr != nil {
		var fe *fileError
		if errors.As(uerr, &fe) {
			s.renderAction(w, fe.status, "add-information", addInformationTitle, c, form, []fieldError{{Field: "files", Message: fe.msg}})
			return nil
		}
		return uerr
	}
	ch := &checker{v: form}
	text := ch.text("text", "Your message", "", 10000)
	if text == "" && len(files) == 0 && len(ch.errs) == 0 {
		ch.fail("text", "Enter the information you want to send, or choose a file")
	}
	if len(ch.errs) > 0 {
		s.renderAction(w, http.StatusBadRequest, "add-information", addInformationTitle, c, form, ch.errs)
		return nil
	}
	info := complaint.AddInformation{Source: "portal", From: sender(c), Text: text}
	if _, err := s.cases.Receive(r.Context(), resident, c.Reference, s.Now(), info, files); err != nil {
		return err
	}
	return seeOther(w, r, caseAddress(c, "?done=information"))
}

const stage2Title = "Ask for stage 2"

// stage2Page offers to take the complaint to stage 2: with no reasons
// needed within the policy's window, as the Code says, and after it with
// a reason for asking late.
func (s *Server) stage2Page(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return err
	}
	if err := canEscalate(c, s.Now()); err != nil {
		return err
	}
	s.renderAction(w, http.StatusOK, "stage-2", stage2Title, c, nil, nil)
	return nil
}

func canEscalate(c complaint.Case, now time.Time) error {
	if can, _, _ := escalation(c, calendar.DateOf(now)); can {
		return nil
	}
	switch {
	case c.Kind != complaint.KindComplaint:
		return complaint.Errorf(complaint.Conflict, "only a complaint goes to stage 2")
	case c.Stage == 2:
		return complaint.Errorf(complaint.Conflict, "your complaint is already at stage 2, the last stage of our complaints process. If you are unhappy with our final reply you can go to the Housing Ombudsman")
	case !c.Status.Open() && c.Status != complaint.StatusClosed:
		return complaint.Errorf(complaint.Conflict, "your complaint is %s", strings.ToLower(statusWords[c.Status]))
	}
	return complaint.Errorf(complaint.Conflict, "you can ask for stage 2 once we have sent our stage 1 reply")
}

// stage2 escalates the complaint.
func (s *Server) stage2(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return err
	}
	if err := canEscalate(c, s.Now()); err != nil {
		return err
	}
	_, late, _ := escalation(c, calendar.DateOf(s.Now()))
	ch := &checker{v: r.PostForm}
	cmd := complaint.Escalate{Reason: ch.text("reason", "Your reasons", "", 5000)}
	if late {
		cmd.LateReason = ch.text("late-reason", "Why you are asking now", "Tell us why you are asking for stage 2 now", 5000)
	}
	if len(ch.errs) > 0 {
		s.renderAction(w, http.StatusBadRequest, "stage-2", stage2Title, c, r.PostForm, ch.errs)
		return nil
	}
	if err := s.apply(r, c, cmd); err != nil {
		return err
	}
	return seeOther(w, r, caseAddress(c, "?done=stage-2"))
}

const withdrawTitle = "Withdraw your case"

// withdrawPage asks why the resident wants to withdraw.
func (s *Server) withdrawPage(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return err
	}
	if !c.Status.Open() {
		return complaint.Errorf(complaint.Conflict, "your case is %s: there is nothing to withdraw", strings.ToLower(statusWords[c.Status]))
	}
	s.renderAction(w, http.StatusOK, "withdraw", withdrawTitle, c, nil, nil)
	return nil
}

// withdrawReason reads the reason for withdrawing, and whether the case
// can still be withdrawn.
func (s *Server) withdrawReason(w http.ResponseWriter, r *http.Request) (complaint.Case, string, []fieldError, bool, error) {
	if err := r.ParseForm(); err != nil {
		return complaint.Case{}, "", nil, false, err
	}
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return c, "", nil, false, err
	}
	if !c.Status.Open() {
		return c, "", nil, false, complaint.Errorf(complaint.Conflict, "your case is %s: there is nothing to withdraw", strings.ToLower(statusWords[c.Status]))
	}
	ch := &checker{v: r.PostForm}
	reason := ch.text("reason", "Your reason", "Tell us why you want to withdraw", 5000)
	return c, reason, ch.errs, true, nil
}

// withdrawConfirmPage checks the reason and asks the resident to confirm,
// saying what withdrawing means: one click on the reason's page must not
// end a complaint.
func (s *Server) withdrawConfirmPage(w http.ResponseWriter, r *http.Request) error {
	c, _, errs, ok, err := s.withdrawReason(w, r)
	if !ok {
		return err
	}
	if len(errs) > 0 {
		s.renderAction(w, http.StatusBadRequest, "withdraw", withdrawTitle, c, r.PostForm, errs)
		return nil
	}
	s.renderAction(w, http.StatusOK, "withdraw-confirm", "Are you sure you want to withdraw your "+kindWords[c.Kind]+"?", c, r.PostForm, nil)
	return nil
}

// withdraw withdraws the case with the resident's reason, once confirmed.
// The resident is told by email, and the case's handler by an officer's
// notice, both derived from the withdrawal event (package notify).
func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) error {
	c, reason, errs, ok, err := s.withdrawReason(w, r)
	if !ok {
		return err
	}
	if len(errs) > 0 {
		s.renderAction(w, http.StatusBadRequest, "withdraw", withdrawTitle, c, r.PostForm, errs)
		return nil
	}
	if err := s.apply(r, c, complaint.Withdraw{Reason: reason}); err != nil {
		return err
	}
	return seeOther(w, r, caseAddress(c, "?done=withdrawn"))
}
