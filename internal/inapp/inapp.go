// Package inapp makes the staff's in-app notices (issue 22, item 2):
// "assigned to you", "new information from the resident", "stage 2
// requested" and "a case due tomorrow", shown on the staff pages'
// notices page with an unread count in the header.
//
// They are not email. The email notices (package notify) run only while
// a mail server is configured, and hold each event back so that a letter
// can make its notice unnecessary; an officer's own screen needs neither
// wait. So a Processor of its own reads the log of case events after its
// own cursor, decides each event's notices (Decide, a pure function) and
// stores them with the cursor moved on, in one transaction
// (store.StaffNoticeStore). Each notice carries a key ("event:<event
// id>:<user id>", "due:<reference>:<date>:<user id>") that the store
// keeps once, so a cursor set back, a crash between batches, two
// instances racing or a day swept twice never make a notice twice.
//
// Nothing is held in memory: the deadlines' notices come from a sweep of
// the cases' deadlines against the working-day calendar, so a restart
// loses nothing.
//
// A notice reveals nothing about a case its recipient cannot see: it is
// made only for a recipient who can see the case (auth.CanSee), and it is
// listed and counted only while they still can (the store joins each
// notice to its case's confidential-case rule).
package inapp

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Store is what the processor needs of storage.
type Store interface {
	store.StaffNoticeStore
	EventsAfter(ctx context.Context, after int64, limit int) ([]store.CaseEvent, error)
	GetCase(ctx context.Context, ref string) (complaint.Case, error)
	ListUsers(ctx context.Context) ([]store.User, error)
	ListCases(ctx context.Context, f store.CaseFilter) ([]complaint.Case, string, error)
}

// DefaultBatch is how many events a Processor reads and commits at a
// time when its Batch is zero.
const DefaultBatch = 200

// Processor turns case events and deadlines into in-app notices.
type Processor struct {
	Store    Store
	Calendar *calendar.Calendar
	// NamedOnly is the policy's Confidential.NamedViewersOnly: whether
	// managers see only the confidential cases that name them.
	NamedOnly bool
	Log       *slog.Logger     // defaults to discarding
	Now       func() time.Time // defaults to clock.Wall
	// Batch is how many events are read and committed at a time; zero
	// means DefaultBatch.
	Batch int
}

func (p *Processor) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return clock.Wall()
}

func (p *Processor) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Recipients are the users a notice may go to, by folded email
// (auth.FoldEmail), and the managers, for what nobody handles.
type Recipients struct {
	ByEmail  map[string]store.User
	Managers []store.User
}

// NewRecipients indexes users for Decide.
func NewRecipients(users []store.User) Recipients {
	r := Recipients{ByEmail: map[string]store.User{}}
	for _, u := range users {
		r.ByEmail[auth.FoldEmail(u.Email)] = u
		if auth.Role(u.Role) == auth.Manager {
			r.Managers = append(r.Managers, u)
		}
	}
	return r
}

// Decide returns the notices of one event of case c (the case as it is
// now). Nobody is told of what they did themselves, information that
// staff added is not news from the resident, and a notice goes only to a
// user who may see the case, so a confidential case is never revealed.
//
//   - assigned: to the user assigned.
//   - information_added from the resident (portal or email): to the
//     case's handler.
//   - escalated: to the case's handler or, when it has none (escalation
//     leaves stage 2 unassigned until someone takes it), to every
//     manager.
func Decide(ce store.CaseEvent, c *complaint.Case, who Recipients, namedOnly bool) []store.StaffNotice {
	var kind store.StaffNoticeKind
	var to []store.User
	handler := func(email string) []store.User {
		if u, ok := who.ByEmail[auth.FoldEmail(email)]; ok && email != "" {
			return []store.User{u}
		}
		return nil
	}
	switch ce.Event.Kind {
	case complaint.EventAssigned:
		var a complaint.Assign
		decodeData(ce.Event.Data, &a)
		kind, to = store.NoticeAssigned, handler(a.Handler)
	case complaint.EventInformationAdded:
		var info complaint.AddInformation
		decodeData(ce.Event.Data, &info)
		if info.Source == "staff" {
			return nil
		}
		kind, to = store.NoticeNewInformation, handler(c.Handler)
	case complaint.EventEscalated:
		kind, to = store.NoticeStage2Requested, handler(c.Handler)
		if len(to) == 0 {
			to = who.Managers
		}
	default:
		return nil
	}
	var out []store.StaffNotice
	for _, u := range to {
		if auth.FoldEmail(u.Email) == auth.FoldEmail(ce.Event.Actor) || !auth.CanSee(auth.Role(u.Role), u.Email, namedOnly, c) {
			continue
		}
		out = append(out, store.StaffNotice{
			UserID: u.ID, CaseRef: ce.CaseRef, Kind: kind, EventID: ce.ID,
			Key: fmt.Sprintf("event:%d:%d", ce.ID, u.ID),
		})
	}
	return out
}

// decodeData reads an event's data, a struct when the event is made and
// its JSON when read back, into v. Data that does not fit leaves v as it
// was: the event then makes no notice rather than stopping the
// processor.
func decodeData(data any, v any) {
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return
		}
	}
	_ = json.Unmarshal(raw, v)
}

// RunOnce records the notices of every event not yet dealt with, batch
// after batch until it is caught up, and returns how many notices it
// added. An error leaves the cursor where the last committed batch left
// it.
func (p *Processor) RunOnce(ctx context.Context) (added int, err error) {
	batch := p.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	for ctx.Err() == nil {
		n, more, err := p.runBatch(ctx, batch)
		added += n
		if err != nil || !more {
			return added, err
		}
	}
	return added, ctx.Err()
}

// runBatch deals with one batch of events and reports whether there may
// be more.
func (p *Processor) runBatch(ctx context.Context, batch int) (added int, more bool, err error) {
	from, err := p.Store.StaffNoticeCursor(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("staff notice cursor: %w", err)
	}
	evs, err := p.Store.EventsAfter(ctx, from, batch)
	if err != nil {
		return 0, false, fmt.Errorf("read events after %d: %w", from, err)
	}
	if len(evs) == 0 {
		return 0, false, nil
	}
	var who *Recipients
	cases := map[string]*complaint.Case{}
	var ns []store.StaffNotice
	for _, ce := range evs {
		if !makesNotices(ce.Event.Kind) {
			continue
		}
		if who == nil {
			users, err := p.Store.ListUsers(ctx)
			if err != nil {
				return 0, false, fmt.Errorf("users: %w", err)
			}
			r := NewRecipients(users)
			who = &r
		}
		c := cases[ce.CaseRef]
		if c == nil {
			got, err := p.Store.GetCase(ctx, ce.CaseRef)
			if complaint.ErrorCode(err) == complaint.NotFound {
				continue // erased since: there is nothing to tell
			}
			if err != nil {
				return 0, false, fmt.Errorf("case of event %d: %w", ce.ID, err)
			}
			c = &got
			cases[ce.CaseRef] = c
		}
		ns = append(ns, Decide(ce, c, *who, p.NamedOnly)...)
	}
	to := evs[len(evs)-1].ID
	added, err = p.Store.RecordStaffNotices(ctx, from, to, ns, p.now())
	if complaint.ErrorCode(err) == complaint.Conflict {
		// Another instance got there first; its notices are ours, by
		// their keys. Read the cursor again.
		p.log().Info("staff notice cursor moved by another processor", "from", from)
		return 0, true, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("record staff notices of events %d to %d: %w", from+1, to, err)
	}
	if added > 0 {
		p.log().Info("staff notices added", "added", added, "events_from", from+1, "events_to", to)
	}
	return added, len(evs) == batch, nil
}

// makesNotices reports whether events of kind may make notices, so that
// the processor reads a case only for those.
func makesNotices(kind complaint.EventKind) bool {
	switch kind {
	case complaint.EventAssigned, complaint.EventInformationAdded, complaint.EventEscalated:
		return true
	}
	return false
}

// SweepDue adds a NoticeDueTomorrow for every open case whose
// acknowledgement or response is due on the next working day after
// today, to its handler, and returns how many were new. Its key is the
// case, the date due and the handler, so a sweep run any number of times
// a day (or on the days between, over a weekend) tells each handler once
// per deadline; a deadline moved by an extension is a new date and a new
// notice.
func (p *Processor) SweepDue(ctx context.Context, today calendar.Date) (int, error) {
	if p.Calendar == nil {
		return 0, fmt.Errorf("inapp: the processor has no calendar")
	}
	next, err := p.Calendar.AddWorkingDays(today, 1)
	if err != nil {
		return 0, fmt.Errorf("the next working day after %s: %w", today, err)
	}
	users, err := p.Store.ListUsers(ctx)
	if err != nil {
		return 0, fmt.Errorf("users: %w", err)
	}
	who := NewRecipients(users)
	var ns []store.StaffNotice
	everything := store.Viewer{AllConfidential: true}
	for cursor := ""; ; {
		cs, more, err := p.Store.ListCases(ctx, store.CaseFilter{Viewer: everything, DueBefore: next, Sort: "due", Cursor: cursor, Limit: 500})
		if err != nil {
			return 0, fmt.Errorf("cases due by %s: %w", next, err)
		}
		for i := range cs {
			ns = append(ns, DueNotices(&cs[i], next, who, p.NamedOnly)...)
		}
		if more == "" {
			break
		}
		cursor = more
	}
	if len(ns) == 0 {
		return 0, nil
	}
	added, err := p.Store.AddStaffNotices(ctx, ns, p.now())
	if err != nil {
		return 0, fmt.Errorf("record notices of cases due %s: %w", next, err)
	}
	if added > 0 {
		p.log().Info("due tomorrow notices added", "added", added, "due", next.String())
	}
	return added, nil
}

// DueNotices returns the NoticeDueTomorrow of case c if its
// acknowledgement (while received) or response (while acknowledged) is
// due on next, for its handler if that is a user who may see it.
func DueNotices(c *complaint.Case, next calendar.Date, who Recipients, namedOnly bool) []store.StaffNotice {
	if c.Status != complaint.StatusReceived && c.Status != complaint.StatusAcknowledged {
		return nil
	}
	if due := c.NextDue(); due.IsZero() || due != next || c.Handler == "" {
		return nil
	}
	u, ok := who.ByEmail[auth.FoldEmail(c.Handler)]
	if !ok || !auth.CanSee(auth.Role(u.Role), u.Email, namedOnly, c) {
		return nil
	}
	return []store.StaffNotice{{
		UserID: u.ID, CaseRef: c.Reference, Kind: store.NoticeDueTomorrow, Due: next,
		Key: fmt.Sprintf("due:%s:%s:%d", c.Reference, next, u.ID),
	}}
}

// SweepRetry is how long Run waits to sweep the deadlines again after a
// sweep failed: soon enough that a passing fault costs minutes, not a
// day's notices, and seldom enough that a lasting one (a calendar without
// next year's bank holidays) is not logged every interval.
const SweepRetry = time.Minute

// Run records notices every interval until ctx ends, and sweeps the
// deadlines once each London day (and once at start). The day swept is
// remembered only to save work: the notices' keys are what keep them to
// once, across restarts.
func (p *Processor) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var swept calendar.Date
	var failed time.Time
	for {
		if _, err := p.RunOnce(ctx); err != nil && ctx.Err() == nil {
			p.log().Error("staff notices", "error", err)
		}
		now := p.now()
		if day := calendar.DateOf(now); day != swept && now.Sub(failed) >= SweepRetry && ctx.Err() == nil {
			if _, err := p.SweepDue(ctx, day); err != nil {
				p.log().Error("due tomorrow notices", "day", day.String(), "error", err)
				failed = now
			} else {
				swept = day
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
