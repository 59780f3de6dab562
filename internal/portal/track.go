package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// trackCookie holds the proof that the browser gave a case's reference
// with its tracking code, or used a link emailed to the case's address:
// the reference, the proof's expiry and an HMAC of both under the
// server's key.
const trackCookie = "redress_track"

func (s *Server) trackProof(ref string, exp time.Time) string {
	return ref + "|" + strconv.FormatInt(exp.Unix(), 10) + "|" + s.trackMAC(ref, exp.Unix())
}

func (s *Server) trackMAC(ref string, exp int64) string {
	mac := hmac.New(sha256.New, s.trackKey)
	fmt.Fprintf(mac, "redress track\x00%s\x00%d", ref, exp)
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// proven reports whether the request carries a live proof for ref.
func (s *Server) proven(r *http.Request, ref string) bool {
	ck, err := r.Cookie(trackCookie)
	if err != nil {
		return false
	}
	parts := strings.Split(ck.Value, "|")
	if len(parts) != 3 || parts[0] != ref {
		return false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || s.Now().Unix() >= exp {
		return false
	}
	return hmac.Equal([]byte(parts[2]), []byte(s.trackMAC(ref, exp)))
}

// normalRef is a reference as people might type it: any case, spaces.
func normalRef(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// keepProof keeps the proof that the browser may see case ref for an
// hour, in the tracking cookie.
func (s *Server) keepProof(w http.ResponseWriter, ref string) {
	exp := s.Now().Add(trackTTL)
	http.SetCookie(w, &http.Cookie{Name: trackCookie, Value: s.trackProof(ref, exp), Path: "/track",
		MaxAge: int(trackTTL.Seconds()), HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
}

const trackTitle = "Follow your complaint or feedback"

// trackPage offers the two ways in: a link by email, or the reference
// with the tracking code from our letter.
func (s *Server) trackPage(w http.ResponseWriter, r *http.Request) error {
	form := url.Values{"reference": {r.URL.Query().Get("reference")}}
	s.render(w, http.StatusOK, "track", &page{Title: trackTitle, Form: form})
	return nil
}

// mismatch is said for a reference that does not exist, one with no
// tracking code yet, and one whose code is wrong alike, so the page
// reveals nothing.
const mismatch = "The reference and tracking code do not match our records: check them and try again"

// locked is said when a reference has been tried too often, whether or
// not it exists.
const locked = "There have been too many tries with this reference. Try again in an hour, or get a link by email"

// track checks the reference with its tracking code and, if they match,
// keeps the proof for an hour and shows the case. Every try is counted
// against the client's address and against the reference, from any
// address, before the code is compared; a right code gives the
// reference's try back, so the lock counts only wrong ones. Counting
// first is what makes tries made at once count too.
func (s *Server) track(w http.ResponseWriter, r *http.Request) error {
	if err := s.limit(s.tracks, r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	c := &checker{v: r.PostForm}
	ref := normalRef(c.text("reference", "Your reference", "Enter your reference", 40))
	typed := c.text("code", "The tracking code", "Enter the tracking code from our letter", 40)
	if _, ok := store.NormalTrackingCode(typed); typed != "" && !ok {
		c.fail("code", "Enter the tracking code as it is in our letter: 10 letters and numbers, like 7KQ2M-XR4TD")
	}
	if len(c.errs) > 0 {
		s.render(w, http.StatusBadRequest, "track", &page{Title: trackTitle, Errors: c.errs, Form: r.PostForm})
		return nil
	}
	now := s.Now()
	ok, retry, err := s.take(r.Context(), s.codeTries, ref, now)
	if err != nil {
		return err
	}
	if !ok {
		s.Log.Warn("tracking code tries over the limit for a reference")
		w.Header().Set("Retry-After", fmt.Sprint(int(retry.Seconds())+1))
		c.fail("reference", locked)
		s.render(w, http.StatusTooManyRequests, "track", &page{Title: trackTitle, Errors: c.errs, Form: r.PostForm})
		return nil
	}
	right, err := s.Store.CheckTrackingCode(r.Context(), ref, typed)
	if err != nil {
		return err
	}
	if !right {
		c.fail("reference", mismatch)
		s.render(w, http.StatusBadRequest, "track", &page{Title: trackTitle, Errors: c.errs, Form: r.PostForm})
		return nil
	}
	s.refund(r.Context(), s.codeTries, ref, now)
	k, err := s.Store.GetCase(r.Context(), ref)
	if err != nil {
		return err
	}
	s.keepProof(w, k.Reference)
	return seeOther(w, r, "/track/"+url.PathEscape(k.Reference))
}

// trackedCase returns the case named in the path if the request has
// proved it is theirs; otherwise it sends them to the tracking form and
// returns false. A reference that does not exist is treated the same.
func (s *Server) trackedCase(w http.ResponseWriter, r *http.Request) (complaint.Case, bool, error) {
	ref := normalRef(r.PathValue("ref"))
	c, err := s.Store.GetCase(r.Context(), ref)
	if err != nil && complaint.ErrorCode(err) != complaint.NotFound {
		return c, false, err
	}
	if err != nil || !s.proven(r, c.Reference) {
		return c, false, seeOther(w, r, "/track?reference="+url.QueryEscape(ref))
	}
	return c, true, nil
}

// caseView is what the tracking page shows of a case.
type caseView struct {
	Case       complaint.Case
	KindWord   string
	StatusText string
	Stages     []complaint.Stage
	// Handler is the name of the person handling the case; empty for a
	// confidential case, whose staff are never named here.
	Handler string
	Letters []store.Letter
	// Stage 2: whether it may be asked for, whether late, and until when.
	CanEscalate bool
	Late        bool
	EscalateBy  calendar.Date
	CanWithdraw bool
	// Done names what was just done, for the banner.
	Done string
}

var statusWords = map[complaint.Status]string{
	complaint.StatusReceived:     "Received",
	complaint.StatusAcknowledged: "Being looked into",
	complaint.StatusResponded:    "We have replied",
	complaint.StatusClosed:       "Closed",
	complaint.StatusRefused:      "Not taken on",
	complaint.StatusWithdrawn:    "Withdrawn",
}

// escalation says whether the resident may ask for stage 2 now, whether
// that is after the policy's window, and when the window ends.
func escalation(c complaint.Case, today calendar.Date) (can, late bool, by calendar.Date) {
	if c.Kind != complaint.KindComplaint || c.Stage != 1 || len(c.Stages) == 0 {
		return false, false, by
	}
	if c.Status != complaint.StatusResponded && c.Status != complaint.StatusClosed {
		return false, false, by
	}
	by = c.Stages[0].EscalateBy
	return true, !by.IsZero() && today.After(by), by
}

// trackCase shows a case's stage, status, dates and letters.
func (s *Server) trackCase(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return err
	}
	v := caseView{Case: c, KindWord: kindWords[c.Kind], StatusText: statusWords[c.Status], Stages: c.Stages,
		CanWithdraw: c.Status.Open(), Done: doneBanners[r.URL.Query().Get("done")]}
	v.CanEscalate, v.Late, v.EscalateBy = escalation(c, calendar.DateOf(s.Now()))
	if !c.Confidential && c.Handler != "" {
		if u, err := s.Store.UserByEmail(r.Context(), c.Handler); err == nil {
			v.Handler = u.Name
		}
	}
	if v.Letters, err = s.Store.Letters(r.Context(), c.Reference); err != nil {
		return err
	}
	s.render(w, http.StatusOK, "track-case", &page{Title: "Your " + v.KindWord + " " + c.Reference, Data: v})
	return nil
}

// doneBanners are the banners shown after an action, by its name in the
// address: never text from the address itself.
var doneBanners = map[string]string{
	"information": "Thank you: we have added what you sent to your case.",
	"stage-2":     "We have your request for stage 2. A senior manager who was not involved before will look at your complaint again.",
	"withdrawn":   "Your case has been withdrawn. We will email you to confirm it if you gave us an email address, and we will tell the person dealing with it. You can contact us again at any time.",
}

// letterPDF sends one of the case's letters.
func (s *Server) letterPDF(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.trackedCase(w, r)
	if !ok {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(r.PathValue("id"), ".pdf"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "there is no such letter")
	}
	l, err := s.Store.Letter(r.Context(), c.Reference, id)
	if complaint.ErrorCode(err) == complaint.NotFound {
		return complaint.Errorf(complaint.NotFound, "there is no such letter")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%d.pdf"`, c.Reference, l.Kind, l.ID))
	_, err = w.Write(l.PDF)
	return err
}
