// Package notify sends the email notices of Redress: residents hear of
// each step of their case, and officers of cases assigned to them and,
// every working morning, of what is due. Nothing here keeps a timer or a
// list in memory: notices are derived from the log of case events, and
// the digest from the cases' deadlines, so a restart loses nothing and a
// rerun sends nothing twice.
//
// # Notices: a relay over the event log
//
// Every change to a case is an event with a global id. The Relay reads
// the events after a stored cursor, in id order, decides each one's
// notices (Notices, a pure function), and queues them in the outbox with
// the cursor moved on, in one transaction (store.NotifyStore). Each
// notice carries the dedupe key "notice:<event id>:<recipient>", so even
// a cursor set back, or two relays racing, queues a notice once: the
// relay delivers at least once and the outbox's enqueue is idempotent,
// which together make exactly once.
//
// The relay holds each event back for a short while (Hold, 15 minutes by
// default) before deciding, and reads the case's later events when it
// does: an officer who acknowledges a complaint and then issues the
// acknowledgement letter by email gives the resident one email, the
// letter, not a notice and a letter. Letters are the formal record; a
// notice is the short "your case has moved, here is what happens next"
// that covers every step a letter does not, or that went by post.
//
// # Digest
//
// Digest gives every user who can act one email a working day listing
// what is overdue, due that day and due in the next two working days on
// the cases they handle: acknowledgements, responses, service requests'
// targets and open actions. Managers also get what nobody (or nobody who
// can still act) handles. It is queued with the dedupe key
// "digest:<date>:<email>", so it goes once a day however often it runs.
//
// # The record
//
// Every notice is an outbox row tied to its case, listed by
// store.Outbox with its status and Message-ID: that is the case's record
// of what was sent. Notices append no event of their own. An event would
// bump the case's version, turning officers' open forms stale with
// nothing changed by a person, would put derived data on the audit
// chain, and would be read back by this very relay.
//
// Messages never carry a complaint's text or anyone else's personal
// data, and logs name cases and event ids, never addresses.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/brand"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

// Store is what the relay needs of storage.
type Store interface {
	store.NotifyStore
	store.SafetyStore
	store.HazardStore
	GetCase(ctx context.Context, ref string) (complaint.Case, error)
	CaseEvents(ctx context.Context, ref string) ([]complaint.Event, error)
	UserByEmail(ctx context.Context, email string) (store.User, error)
	ListUsers(ctx context.Context) ([]store.User, error)
	ListCases(ctx context.Context, f store.CaseFilter) ([]complaint.Case, string, error)
	OpenActions(ctx context.Context, v store.Viewer) ([]store.OpenAction, error)
}

// Defaults of a Relay's zero fields.
const (
	DefaultHold       = 15 * time.Minute
	DefaultMaxAge     = 7 * 24 * time.Hour
	DefaultBatch      = 100
	DefaultDigestHour = 7
	DefaultDigestDays = 2
)

// Relay turns case events into notices and deadlines into digests.
type Relay struct {
	Store    Store
	Log      *slog.Logger     // defaults to discarding
	Now      func() time.Time // defaults to clock.Wall
	Calendar *calendar.Calendar
	// Policy, if set, gives the Ombudsman's contact details that notices
	// quote.
	Policy *policy.Policy
	// BaseURL is where Redress is reached ("https://complaints.example"),
	// for survey links and links to case pages. Without it notices carry
	// no links and closed complaints get no survey.
	BaseURL string
	// ServiceName signs every message while no letterhead is set; Brand,
	// if set, gives the landlord's name from the letterhead instead, the
	// same name the pages show.
	ServiceName string
	Brand       *brand.Cache
	// Hold is how long an event waits before its notices are decided,
	// so that a letter issued or a step taken just after it can make
	// them unnecessary. Zero means DefaultHold; negative, no wait.
	Hold time.Duration
	// MaxAge is how old an event may be and still get notices. Zero
	// means DefaultMaxAge; negative, any age.
	MaxAge time.Duration
	// Batch is how many events are read and committed at a time.
	Batch int
	// SurveyValidFor is how long a survey link works; zero means
	// DefaultSurveyValidFor.
	SurveyValidFor time.Duration
	// DigestHour is the hour, London time, from which Run sends the day's
	// digest; zero means DefaultDigestHour.
	DigestHour int
	// DigestDays is how many working days ahead the digest looks; zero
	// means DefaultDigestDays.
	DigestDays int
	// SafetyContacts are the named senior managers a contact flagged as a
	// health-and-safety risk escalates to at once; without any, every
	// manager.
	SafetyContacts []string
	// SafetyEvery is how often Run looks for health-and-safety flags to
	// alert, besides at the start of every run of notices; zero means
	// DefaultSafetyEvery. It is what keeps an alert within a minute of
	// its flag whatever the interval of notices and however long a run
	// of them takes.
	SafetyEvery time.Duration
	// Queued, if set, is called after messages are queued, so the mail
	// dispatcher can be woken (mail.Dispatcher.Wake).
	Queued func()
	// NoticesQueued, if set, is told how many notices each batch of case
	// events put in the outbox (digests and safety alerts are not
	// notices), for the operator's metrics. It is called only after the
	// notices are committed, so a count never includes notices another
	// relay recorded or a batch that failed.
	NoticesQueued func(n int)
}

func (r *Relay) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return clock.Wall()
}

func (r *Relay) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (r *Relay) settings(ctx context.Context) Settings {
	name := r.ServiceName
	if r.Brand != nil {
		name = r.Brand.Name(ctx)
	}
	s := Settings{
		ServiceName: name, BaseURL: strings.TrimRight(r.BaseURL, "/"),
		MaxAge: r.MaxAge, SurveyValidFor: r.SurveyValidFor,
	}
	switch {
	case s.MaxAge == 0:
		s.MaxAge = DefaultMaxAge
	case s.MaxAge < 0:
		s.MaxAge = 0
	}
	if r.Policy != nil {
		s.Ombudsman = r.Policy.Ombudsman
		s.PassOnCompliments = r.Policy.Compliments.PassOn
	}
	return s
}

func (r *Relay) hold() time.Duration {
	switch {
	case r.Hold == 0:
		return DefaultHold
	case r.Hold < 0:
		return 0
	}
	return r.Hold
}

// RunOnce queues the health-and-safety alerts of every flagging not yet
// alerted (AlertSafety), first, and then the notices of every event
// recorded more than Hold ago and not yet dealt with, batch after batch
// until it is caught up, and returns how many messages it queued. An
// event still within its hold stops it, to be taken up by a later run;
// an error leaves the cursor where the last committed batch left it.
func (r *Relay) RunOnce(ctx context.Context) (queued int, err error) {
	defer func() {
		if queued > 0 && r.Queued != nil {
			r.Queued()
		}
	}()
	// Alerts first: they wait for nothing, however many events do.
	if queued, err = r.AlertSafety(ctx); err != nil {
		return queued, fmt.Errorf("health and safety alerts: %w", err)
	}
	batch := r.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	for ctx.Err() == nil {
		n, more, err := r.runBatch(ctx, batch)
		queued += n
		if err != nil || !more {
			return queued, err
		}
	}
	return queued, ctx.Err()
}

// runBatch deals with one batch of events and reports whether there may
// be more to do now.
func (r *Relay) runBatch(ctx context.Context, batch int) (queued int, more bool, err error) {
	from, err := r.Store.NotifyCursor(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("notice cursor: %w", err)
	}
	evs, err := r.Store.EventsAfter(ctx, from, batch)
	if err != nil {
		return 0, false, fmt.Errorf("read events after %d: %w", from, err)
	}
	now := r.now()
	cutoff := now.Add(-r.hold())
	s := r.settings(ctx)
	to := from
	held := false
	var pending []store.PendingNotice
	cases := map[string]*caseFacts{}
	for _, ce := range evs {
		if ce.Event.RecordedAt.After(cutoff) {
			held = true
			break
		}
		ns, err := r.decide(ctx, ce, cases, s, now)
		if err != nil {
			return 0, false, fmt.Errorf("notices of event %d (%s): %w", ce.ID, ce.CaseRef, err)
		}
		pending = append(pending, ns...)
		to = ce.ID
	}
	if to == from {
		return 0, false, nil
	}
	queued, err = r.Store.RecordNotices(ctx, from, to, pending, now)
	if complaint.ErrorCode(err) == complaint.Conflict {
		// Another relay got there first; its notices are ours, by their
		// keys. Read the cursor again.
		r.log().Info("notice cursor moved by another relay", "from", from)
		return 0, true, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("record notices of events %d to %d: %w", from+1, to, err)
	}
	if queued > 0 {
		r.log().Info("notices queued", "queued", queued, "events_from", from+1, "events_to", to)
		if r.NoticesQueued != nil {
			r.NoticesQueued(queued)
		}
	}
	return queued, !held && len(evs) == batch, nil
}

// caseFacts is a case and its trail, read once per batch.
type caseFacts struct {
	c     complaint.Case
	trail []complaint.Event
}

// decide gathers the facts of one event and returns its notices, each
// checked as the outbox will check it: a message the outbox would refuse
// is logged and dropped, so that one odd address never stops the relay.
func (r *Relay) decide(ctx context.Context, ce store.CaseEvent, cases map[string]*caseFacts, s Settings, now time.Time) ([]store.PendingNotice, error) {
	if !residentEvent(noticeKind(ce.Event)) && ce.Event.Kind != complaint.EventAssigned && ce.Event.Kind != complaint.EventComplimentPassedOn {
		return nil, nil
	}
	cf := cases[ce.CaseRef]
	if cf == nil {
		c, err := r.Store.GetCase(ctx, ce.CaseRef)
		if err != nil {
			return nil, err
		}
		trail, err := r.Store.CaseEvents(ctx, ce.CaseRef)
		if err != nil {
			return nil, err
		}
		cf = &caseFacts{c: c, trail: trail}
		cases[ce.CaseRef] = cf
	}
	f := Facts{EventID: ce.ID, Event: ce.Event, Case: cf.c, Trail: cf.trail, Now: now}
	switch ce.Event.Kind {
	case complaint.EventAssigned:
		var a complaint.Assign
		decode(ce.Event.Data, &a)
		if a.Handler != "" {
			u, err := r.Store.UserByEmail(ctx, a.Handler)
			if err != nil && complaint.ErrorCode(err) != complaint.NotFound {
				return nil, err
			}
			f.Handler = u
		}
	case complaint.EventWithdrawn:
		if cf.c.Handler != "" {
			u, err := r.Store.UserByEmail(ctx, cf.c.Handler)
			if err != nil && complaint.ErrorCode(err) != complaint.NotFound {
				return nil, err
			}
			f.Handler = u
		}
	case complaint.EventComplimentPassedOn:
		u, err := r.Store.UserByEmail(ctx, passedOnTo(ce.Event))
		if err != nil && complaint.ErrorCode(err) != complaint.NotFound {
			return nil, err
		}
		f.Manager = u
	case complaint.EventClosed:
		f.SurveyToken = NewSurveyToken()
	}
	ns, skipped := Notices(f, s)
	for _, why := range skipped {
		r.log().Debug("no notice", "event_id", ce.ID, "reference", ce.CaseRef, "event", ce.Event.Kind, "reason", why)
	}
	var out []store.PendingNotice
	for _, n := range ns {
		if err := store.CheckOutbound(n.Message); err != nil {
			r.log().Warn("notice not queued: the outbox refuses it", "event_id", ce.ID, "reference", ce.CaseRef,
				"event", ce.Event.Kind, "audience", string(n.Audience), "error", err)
			continue
		}
		out = append(out, store.PendingNotice{Message: n.Message, Invite: n.Invite})
	}
	return out, nil
}

// Run queues notices every interval, and each working day from
// DigestHour (London time) the day's digest, until ctx ends. The day a
// digest was queued is remembered only to save work: the digest's dedupe
// key is what keeps it to once a day, across restarts. Beside them, every
// SafetyEvery, it queues the alerts of new health-and-safety flags.
func (r *Relay) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	every := r.SafetyEvery
	if every <= 0 {
		every = DefaultSafetyEvery
	}
	safetyCtx, stopSafety := context.WithCancel(ctx)
	var safety sync.WaitGroup
	safety.Go(func() { r.runSafety(safetyCtx, every) })
	defer func() { stopSafety(); safety.Wait() }()
	var digested calendar.Date
	for {
		if _, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil {
			r.log().Error("notices", "error", err)
		}
		if day, due := r.digestDue(r.now()); due && day != digested && ctx.Err() == nil {
			if _, err := r.Digest(ctx, day); err != nil {
				r.log().Error("daily digest", "day", day.String(), "error", err)
			} else {
				digested = day
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// digestDue returns the London date of now, and whether it is past the
// hour the day's digest goes from.
func (r *Relay) digestDue(now time.Time) (calendar.Date, bool) {
	hour := r.DigestHour
	if hour <= 0 {
		hour = DefaultDigestHour
	}
	return calendar.DateOf(now), now.In(calendar.London).Hour() >= hour
}

// errNoCalendar is returned by Digest without a calendar.
var errNoCalendar = errors.New("notify: the relay has no calendar")
