package portal

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// surveyAnswers are report.SurveyAnswers as residents read them, in the
// same order.
var surveyAnswers = []option{
	{Value: "very_satisfied", Label: "Very satisfied"},
	{Value: "fairly_satisfied", Label: "Fairly satisfied"},
	{Value: "neither", Label: "Neither satisfied nor dissatisfied"},
	{Value: "fairly_dissatisfied", Label: "Fairly dissatisfied"},
	{Value: "very_dissatisfied", Label: "Very dissatisfied"},
}

// The survey's two questions: how the complaint was handled, and its
// outcome, which the 2018 policy asks about separately ("views on the
// handling and outcome"), since a resident may be content with one and
// not the other.
const (
	surveyTitle   = "How satisfied are you with how we handled your complaint?"
	outcomeTitle  = "How satisfied are you with the outcome of your complaint?"
	surveyHeading = "Tell us what you think of how we dealt with your complaint"
)

// surveyForm is what the survey page asks. The answers it offers, the
// same for both questions, are surveyAnswers, which the template spells
// out in the same order.
type surveyForm struct {
	HandlingQuestion, OutcomeQuestion string
}

func newSurveyForm() surveyForm {
	return surveyForm{HandlingQuestion: surveyTitle, OutcomeQuestion: outcomeTitle}
}

// dissatisfied reports whether an answer says the resident is unhappy,
// which is when Code 1.6 wants them told how to complain.
func dissatisfied(answer string) bool {
	return answer == "fairly_dissatisfied" || answer == "very_dissatisfied"
}

// surveyState checks an invitation: a link that is unknown, used or
// expired is a clear page of its own, never the form.
func (s *Server) surveyState(w http.ResponseWriter, r *http.Request) (bool, error) {
	inv, err := s.Store.SurveyInviteByHash(r.Context(), auth.SecretHash(r.PathValue("token")))
	switch {
	case complaint.ErrorCode(err) == complaint.NotFound:
		s.surveyGone(w, http.StatusNotFound, "This survey link does not work", "Check that you copied the whole link from your email or letter.")
		return false, nil
	case err != nil:
		return false, err
	case !inv.UsedAt.IsZero():
		s.surveyGone(w, http.StatusGone, "You have already answered this survey", "Each link can be used once. Thank you for telling us what you think.")
		return false, nil
	case s.Now().After(inv.ExpiresAt):
		s.surveyGone(w, http.StatusGone, "This survey link has expired", "Survey links work for 60 days. You can still tell us what you think by making a complaint, compliment or suggestion.")
		return false, nil
	}
	return true, nil
}

func (s *Server) surveyGone(w http.ResponseWriter, status int, title, msg string) {
	s.render(w, status, "survey-done", &page{Title: title, Data: msg})
}

// surveyPage asks the satisfaction question.
func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request) error {
	if ok, err := s.surveyState(w, r); !ok {
		return err
	}
	s.render(w, http.StatusOK, "survey", &page{Title: surveyHeading, Data: newSurveyForm()})
	return nil
}

// answerSurvey records the answer and uses the link up.
func (s *Server) answerSurvey(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if ok, err := s.surveyState(w, r); !ok {
		return err
	}
	c := &checker{v: r.PostForm}
	values := make([]string, len(surveyAnswers))
	for i, o := range surveyAnswers {
		values[i] = o.Value
	}
	answer := c.choice("answer", "Select how satisfied you are with how we handled your complaint", values...)
	outcome := c.choice("outcome", "Select how satisfied you are with the outcome of your complaint", values...)
	comment := c.text("comment", "Your comments", "", 5000)
	if len(c.errs) > 0 {
		s.render(w, http.StatusBadRequest, "survey", &page{Title: surveyHeading, Errors: c.errs, Form: r.PostForm, Data: newSurveyForm()})
		return nil
	}
	inv, err := s.Store.AnswerSurveyQuestions(r.Context(), auth.SecretHash(r.PathValue("token")),
		store.SurveyAnswers{Handling: answer, Outcome: outcome, Comment: comment}, s.Now())
	var e *complaint.Error
	if errors.As(err, &e) && e.Code == complaint.Conflict {
		// Answered or expired since the check above.
		s.surveyGone(w, http.StatusGone, "This survey link cannot be used", capitalise(e.Message)+".")
		return nil
	}
	if err != nil {
		return err
	}
	if !dissatisfied(answer) && !dissatisfied(outcome) {
		return seeOther(w, r, "/survey/thank-you")
	}
	// The thank-you page tells a dissatisfied resident how to complain,
	// which depends on how far the complaint went; the address says only
	// that and the stage, nothing that names the case.
	q := url.Values{"dissatisfied": {"1"}}
	if c, err := s.Store.GetCase(r.Context(), inv.CaseRef); err == nil && c.Stage == 2 {
		q.Set("stage", "2")
	} else if err != nil && complaint.ErrorCode(err) != complaint.NotFound {
		return err
	}
	return seeOther(w, r, "/survey/thank-you?"+q.Encode())
}

// surveyThanksPage is the thank-you page: for a dissatisfied resident it
// says how to complain, since answering a survey is not complaining (Code
// 1.6).
type surveyThanksPage struct {
	Dissatisfied bool
	// FinalStage is set when the complaint had its stage 2 (final)
	// response, so the next step is the Ombudsman, not stage 2.
	FinalStage bool
	// Ombudsman is the policy's contact text for the Housing Ombudsman.
	Ombudsman string
}

// surveyThanks thanks the resident.
func (s *Server) surveyThanks(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	s.render(w, http.StatusOK, "survey-thanks", &page{Title: "Thank you for your answers",
		Data: surveyThanksPage{Dissatisfied: q.Get("dissatisfied") == "1", FinalStage: q.Get("stage") == "2", Ombudsman: s.Policy.Ombudsman}})
	return nil
}
