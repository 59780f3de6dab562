// Package portal is the residents' side of Redress: pages where anyone can
// make a complaint, pay a compliment or make a suggestion without ringing
// anyone, follow their case, send more information, ask for stage 2,
// withdraw, and answer the satisfaction survey. There is no sign-in.
//
// The pages use the GOV.UK Design System's patterns ("question pages",
// "check answers", "confirmation") and work without JavaScript: the
// answers between pages are kept on the server in a draft (see
// store.PortalStore), named by a random id in a cookie.
//
// Routes, one flat table (see Handler):
//
//	GET  /complain                          start page
//	GET  /complain/{question}               a question page: kind, formal, who, about,
//	POST /complain/{question}                 representative, what-happened, put-right, contact
//	GET  /complain/files                    photos and documents
//	POST /complain/files                      (multipart upload, its own body limit)
//	POST /complain/files/{id}/remove
//	GET  /complain/check                    check your answers
//	POST /complain/check                      send: creates the case (rate limited)
//	GET  /complain/confirmation             the reference and the promised dates
//	GET  /track                             the ways in: a link by email, or reference and tracking code
//	POST /track                               (rate limited) sets the tracking cookie
//	GET  /track/email                       reference, to email a link to the case's address
//	POST /track/email                         (rate limited) queues the link
//	GET  /track/email/sent                  "check your email", whatever happened
//	GET  /track/link?token=                 where an emailed link lands: a button
//	POST /track/link                          (rate limited) uses the link, sets the tracking cookie
//	GET  /track/{ref}                       stage, status, dates, letters
//	GET  /track/{ref}/letters/{id}          a letter's PDF
//	GET  /track/{ref}/add-information       more information and files
//	POST /track/{ref}/add-information         (multipart, rate limited)
//	GET  /track/{ref}/stage-2               ask for stage 2 (late, with a reason)
//	POST /track/{ref}/stage-2
//	GET  /track/{ref}/withdraw              withdraw the case: the reason
//	POST /track/{ref}/withdraw                what withdrawing means, to confirm
//	POST /track/{ref}/withdraw/confirm        withdraws it
//	GET  /survey/thank-you                  after answering
//	GET  /survey/{token}                    the satisfaction survey, by single-use link
//	POST /survey/{token}
//	GET  /assets/                           the GOV.UK Frontend files (view.Assets), as the staff pages serve them
//
// Abuse is slowed, not prevented: per client address (Server.ClientAddr)
// a token bucket allows 10 sends (of the form or of more information), 30
// tracking attempts and 30 new forms an hour, answering 429 with a page
// saying so. The buckets are kept in the database
// (store.RateLimitStore), so every instance on one database shares them
// and a restart resets none; if they cannot be checked, the request is
// refused with a 503, never let through unchecked. A field hidden from
// people and screen readers drops any form a program fills it in on,
// with an ordinary confirmation and no reference; pages take 1 MiB,
// uploads attach.MaxTotal and a little more, each file checked by its
// content, and read only once the tracking proof and the limit have been
// checked.
//
// Tracking proves a case is yours by something only you have, never by
// what a neighbour may know (a reference is sequential, a postcode is a
// street's, an email address is no secret): a single-use link emailed to
// the address on the case, working for 30 minutes, or the case's random
// tracking code (store.TrackingStore), which the confirmation page, the
// acknowledgement letter and the staff's case page give. Besides the
// limit per address, each reference may be tried with 5 wrong codes and
// have 3 links sent an hour, from anywhere; past that it is locked for a
// while, with a message that is the same for a reference of no case. The
// proof is kept for an hour in a cookie holding the reference and an HMAC
// of it under a server key (Server.TrackingKey, or a random key made at
// start-up, which a restart forgets, so people prove it again). Nothing
// on the pages says whether a reference exists.
package portal

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/brand"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/web"
	"github.com/redresshq/redress/internal/web/view"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Body limits: a page of answers is small; an upload carries at most
// attach.MaxTotal of files plus the form around them.
const (
	formLimit   = 1 << 20
	uploadLimit = attach.MaxTotal + 1<<20
)

// uploadTimeout is how long an upload may take to arrive.
const uploadTimeout = 10 * time.Minute

// draftTTL is how long a form in progress is kept after its last save.
const draftTTL = 24 * time.Hour

// trackTTL is how long a tracking proof lasts.
const trackTTL = time.Hour

// Default rate limits per client address, and per reference, per hour.
const (
	defaultSubmitLimit    = 10
	defaultTrackLimit     = 30
	defaultFormLimit      = 30
	defaultReferenceLimit = 5
	defaultLinkLimit      = 3
)

// resident is who the audit trail names for what residents do here.
var resident = complaint.Actor{Email: "resident (web form)", Role: "resident"}

// Server serves the residents' pages.
type Server struct {
	Store store.Store
	// Drafts keeps forms in progress. The SQLite store implements it
	// beside store.Store; New uses Store when Drafts is nil and Store
	// implements it.
	Drafts   store.PortalStore
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	Log      *slog.Logger
	Now      func() time.Time
	// ServiceName is the landlord's name for the service, shown in the
	// header of every page while no letterhead is set (see Brand).
	ServiceName string
	// Brand is the landlord's name and logo for the header of every page
	// and the emails sent from here, shared with the staff pages so that
	// a letterhead saved there shows here at once. Nil, New makes one
	// from Store and ServiceName.
	Brand *brand.Cache
	// EmergencyContact is how to reach the landlord's emergency repairs
	// at any hour, such as "Emergency repairs, day or night: 0300 123
	// 4599", shown to a resident who says something in their home is a
	// danger now. Empty, the pages give the letterhead's contact lines
	// instead, as the landlord keeps them (see emergencyContacts).
	EmergencyContact string
	// Secure marks the cookies Secure; set it when served over TLS.
	Secure bool
	// TrackingKey signs tracking cookies. Nil makes a random key at
	// start-up: tracking proofs then last until a restart at most, and
	// several instances behind one address need the same key.
	TrackingKey []byte
	// AccessibilityURL is the landlord's accessibility statement, linked
	// from every page's footer; "/accessibility" if empty.
	AccessibilityURL string
	// SubmitLimit, TrackLimit and FormLimit are how many sends (forms and
	// information), tracking attempts and new forms one client address
	// may make an hour: 10, 30 and 30 if zero.
	SubmitLimit, TrackLimit, FormLimit int
	// ReferenceLimit is how many wrong tracking codes one reference may
	// be tried with an hour, from any address, before it is locked; and
	// LinkLimit how many tracking links may be emailed for one reference
	// an hour: 5 and 3 if zero.
	ReferenceLimit, LinkLimit int
	// BaseURL is where residents reach Redress
	// (https://complaints.example.org), for the tracking links emailed to
	// them; it is never taken from a request, whose Host header anyone can
	// set. Without it no link is sent, and residents use their tracking
	// code.
	BaseURL string
	// Queued, if set, is called after a tracking link is queued, so the
	// mail dispatcher can be woken.
	Queued func()
	// ClientAddr names the client of a request for the rate limits. The
	// default is web.ClientAddr, the same the staff sign-in throttle
	// uses: the connection's address (an IPv6 address by its /64), or,
	// behind the proxies the app is told to trust (web.Proxies), the
	// address they were asked by. Tests give their own.
	ClientAddr func(*http.Request) string

	assets   *view.Assets
	pages    view.Pages
	cases    *casework.Service
	trackKey []byte
	// The rate limits, by client address; their names name their
	// buckets in the store.
	submits, tracks, forms rateLimit
	// codeTries and links are kept per reference, not per address.
	codeTries, links rateLimit
}

// New checks the server's settings and parses every template once, so a
// broken template stops start-up rather than the first request.
func New(s *Server) (*Server, error) {
	if s.Store == nil || s.Policy == nil || s.Calendar == nil {
		return nil, errors.New("portal: Store, Policy and Calendar are required")
	}
	if s.Drafts == nil {
		ps, ok := s.Store.(store.PortalStore)
		if !ok {
			return nil, errors.New("portal: the store keeps no drafts: set Drafts")
		}
		s.Drafts = ps
	}
	if s.Now == nil {
		s.Now = clock.Wall
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.ServiceName == "" {
		s.ServiceName = brand.DefaultName
	}
	if s.Brand == nil {
		s.Brand = brand.New(s.Store, s.ServiceName, s.Log)
	}
	if s.AccessibilityURL == "" {
		s.AccessibilityURL = "/accessibility"
	}
	if s.ClientAddr == nil {
		s.ClientAddr = web.ClientAddr
	}
	s.trackKey = s.TrackingKey
	if len(s.trackKey) == 0 {
		s.trackKey = make([]byte, 32)
		rand.Read(s.trackKey)
	}
	s.submits = hourly("submits", orDefault(s.SubmitLimit, defaultSubmitLimit))
	s.tracks = hourly("tracks", orDefault(s.TrackLimit, defaultTrackLimit))
	s.forms = hourly("forms", orDefault(s.FormLimit, defaultFormLimit))
	s.codeTries = hourly("codeTries", orDefault(s.ReferenceLimit, defaultReferenceLimit))
	s.links = hourly("links", orDefault(s.LinkLimit, defaultLinkLimit))
	s.cases = &casework.Service{Store: s.Store, Policy: s.Policy, Calendar: s.Calendar, Log: s.Log, Now: s.Now, ServiceName: s.ServiceName}

	a, err := view.NewAssets()
	if err != nil {
		return nil, err
	}
	s.assets = a
	if s.pages, err = view.ParsePages(templateFiles, "templates", templateFuncs(a)); err != nil {
		return nil, err
	}
	return s, nil
}

func orDefault(n, d int) int {
	if n > 0 {
		return n
	}
	return d
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Prefixes are the paths the portal serves, for mounting it beside the
// staff pages.
var Prefixes = []string{"/complain", "/complain/", "/track", "/track/", "/survey/", "/accessibility"}

// Handler returns the residents' pages. Forms are protected from
// cross-site request forgery by Go's cross-origin protection; the app
// mounts it at /complain/, /track/ and /survey/ (and /complain, /track
// without the slash).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	page := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.serve(h, formLimit)) }
	upload := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.serve(h, uploadLimit)) }

	mux.Handle("GET /assets/", s.assets.Handler())

	page("GET /complain", s.startPage)
	page("GET /complain/{$}", s.startPage)
	for _, q := range questions {
		page("GET /complain/"+q.slug, s.questionPage(q))
		page("POST /complain/"+q.slug, s.answerQuestion(q))
	}
	page("GET /complain/files", s.filesPage)
	upload("POST /complain/files", s.uploadFiles)
	page("POST /complain/files/{id}/remove", s.removeFile)
	page("GET /complain/check", s.checkPage)
	page("POST /complain/check", s.send)
	page("GET /complain/confirmation", s.confirmation)

	page("GET /track", s.trackPage)
	page("GET /track/{$}", s.trackPage)
	page("POST /track", s.track)
	page("GET /track/email", s.emailLinkPage)
	page("POST /track/email", s.emailLink)
	page("GET /track/email/sent", s.emailSent)
	page("GET /track/link", s.linkPage)
	page("POST /track/link", s.useLink)
	page("GET /track/{ref}", s.trackCase)
	page("GET /track/{ref}/letters/{id}", s.letterPDF)
	page("GET /track/{ref}/add-information", s.addInformationPage)
	upload("POST /track/{ref}/add-information", s.addInformation)
	page("GET /track/{ref}/stage-2", s.stage2Page)
	page("POST /track/{ref}/stage-2", s.stage2)
	page("GET /track/{ref}/withdraw", s.withdrawPage)
	page("POST /track/{ref}/withdraw", s.withdrawConfirmPage)
	page("POST /track/{ref}/withdraw/confirm", s.withdraw)

	page("GET /accessibility", s.accessibility)
	page("GET /survey/thank-you", s.surveyThanks)
	page("GET /survey/{token}", s.surveyPage)
	page("POST /survey/{token}", s.answerSurvey)

	for _, prefix := range []string{"/complain/", "/track/", "/survey/"} {
		page(prefix, func(w http.ResponseWriter, r *http.Request) error {
			return complaint.Errorf(complaint.NotFound, "there is no page at %s", r.URL.Path)
		})
	}
	return http.NewCrossOriginProtection().Handler(securityHeaders(mux))
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.ServeHTTP(w, r)
	})
}

// serve wraps a handler with the upload deadlines and the form parsing,
// inside what every request of every surface gets (web.Surface.Wrap): a
// request id, the body limit, panic recovery, the access log and the one
// error mapping, shown as the error page. Pages hold personal details, so
// none is cached.
func (s *Server) serve(h handlerFunc, limit int64) http.Handler {
	return s.surface().Wrap(func(w http.ResponseWriter, r *http.Request) error {
		if limit > formLimit {
			// 25 MB from a phone can take minutes: more than the server's
			// read and write timeouts allow a page. Servers that do not
			// support deadlines (tests' recorders) keep their own.
			rc := http.NewResponseController(w)
			rc.SetReadDeadline(clock.Deadline(uploadTimeout))
			rc.SetWriteDeadline(clock.Deadline(uploadTimeout + time.Minute))
		}
		w.Header().Set("Cache-Control", "no-store")
		if limit == formLimit {
			// Uploads parse their own multipart bodies, under their
			// own limit, once the tracking proof and the rate limit
			// have been checked.
			if err := view.ReadForm(r); err != nil {
				return err
			}
		}
		return h(w, r)
	}, limit)
}

// surface is the portal's part in the shared request wrapper. The path is
// logged without its last part under /survey/, which is a secret token,
// and /track/ references are personal enough to leave out too.
func (s *Server) surface() *web.Surface {
	return &web.Surface{Log: s.Log, Access: "portal page", Render: s.errorPage, Describe: describeTooMany, LogPath: logPath}
}

func logPath(p string) string {
	for _, prefix := range []string{"/survey/", "/track/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" && rest != "thank-you" {
			return prefix + "…"
		}
	}
	return p
}

// tooMany is the error of a request over a rate limit.
type tooMany struct{ retry time.Duration }

func (e *tooMany) Error() string { return "too many requests" }

// describeTooMany is the Problem of the one error only the portal
// knows: a request over a rate limit, a 429 logged where it is refused
// (see limit), not again.
func describeTooMany(err error, requestID string) (web.Problem, bool) {
	if _, ok := errors.AsType[*tooMany](err); !ok {
		return web.Problem{}, false
	}
	return web.Problem{Status: http.StatusTooManyRequests, Public: complaint.Errorf("too_many_requests", "too many requests"), Level: slog.LevelDebug}, true
}

// errorPage shows an error as a page, with the status and message
// web.Describe gave it. Unknown errors are shown only as a request id.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p web.Problem, err error) {
	e := p.Public
	var title, msg string
	if tm, ok := errors.AsType[*tooMany](err); ok {
		w.Header().Set("Retry-After", fmt.Sprint(int(tm.retry.Seconds())+1))
		title, msg = "Sorry, there have been too many attempts", "To protect people's information we limit how often this can be done. Try again in an hour, or contact us another way."
	} else {
		switch e.Code {
		case complaint.Internal:
			title, msg = "Sorry, there is a problem with the service", "Try again later. If it keeps happening, contact us and quote reference "+p.RequestID+"."
		case complaint.TooLarge:
			title, msg = "What you sent is too large", "Send less at once."
		case complaint.NotFound:
			title, msg = "Page not found", "If you typed the web address, check it is correct."
		case complaint.Conflict:
			title, msg = "Sorry, that cannot be done", capitalise(e.Message)+"."
		default:
			title, msg = "There is a problem", capitalise(e.Message)+"."
		}
	}
	s.render(w, p.Status, "error", &page{Title: title, Data: msg})
}

// page is what every template gets.
type page struct {
	// ServiceName is the brand's name (Brand.Name), which older templates
	// know by this name.
	ServiceName string
	// Brand is the landlord's name and logo, for the header.
	Brand            brand.Brand
	AccessibilityURL string
	Title            string
	// Back is the back link's address, if the page has one.
	Back   string
	Errors []fieldError
	// Form holds the values shown in the page's fields.
	Form map[string][]string
	Data any
	// Emergency, when set, is shown at the top of the page: whom to call
	// now, for a resident who said something in the home is a danger.
	Emergency *emergency
}

// fieldError is one entry of the error summary: the id of the field it
// links to and the message the field shows too.
type fieldError struct {
	Field   string
	Message string
}

// render shows the page name with p, whole or not at all (see
// view.Pages.Render), with what every page's layout shows.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	// The page is rendered after its request's work is done: the brand is
	// read on a context of its own, which the cache keeps short (package
	// brand holds it for its TTL, so this is rarely a query).
	p.Brand = s.Brand.Get(context.Background())
	p.ServiceName, p.AccessibilityURL = p.Brand.Name, s.AccessibilityURL
	s.pages.Render(w, s.Log, status, name, p)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// accessibility is the statement the Public Sector Bodies Accessibility
// Regulations ask for: what works, what does not yet, and other ways in.
func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	s.render(w, http.StatusOK, "accessibility", &page{Title: "Accessibility statement"})
	return nil
}
