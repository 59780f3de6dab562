package store

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// RetentionStore is what retention and erasure need of storage. It is
// declared apart from Store, for its consumers (the daily job, the
// command, the page) to ask for only this.
type RetentionStore interface {
	// Ended returns every case that has ended (closed, refused or
	// withdrawn) and is not anonymised, for retention to weigh.
	Ended(ctx context.Context) ([]complaint.Case, error)
	// AnonymiseCase removes the case's personal data from the case, its
	// events, letters, files and copies, in one transaction, and records
	// the anonymisation as an event (see complaint.Anonymise). A held
	// case is refused with a conflict.
	AnonymiseCase(ctx context.Context, ref string, a AnonymiseRequest) (complaint.Case, error)
	// Anonymisations lists the newest anonymisations first, at most
	// limit.
	Anonymisations(ctx context.Context, limit int) ([]AnonymisationEntry, error)
	// PurgeFreed makes what anonymising removed unrecoverable from the
	// database's files (SQLite keeps deleted text in free pages, its
	// search index and its write-ahead log until they are rewritten).
	PurgeFreed(ctx context.Context) error
}

// AnonymiseRequest is who anonymises a case, when and under which rule
// or request.
type AnonymiseRequest struct {
	Rule    string
	Request string
	By      string
	Now     time.Time
}

// AnonymisationEntry is one anonymisation, for the retention page's log
// and the audit report.
type AnonymisationEntry struct {
	Reference string    `json:"reference"`
	Kind      string    `json:"kind"`
	At        time.Time `json:"at"`
	Rule      string    `json:"rule,omitempty"`
	Request   string    `json:"request,omitempty"`
	By        string    `json:"by"`
	Events    int       `json:"events"`
}

// RetentionDue is a case with the date its retention period ends, and
// why it may not be anonymised then if it is held.
type RetentionDue struct {
	Reference string
	Kind      complaint.Kind
	Closed    time.Time
	Due       calendar.Date
	Rule      string
	Held      string
}

// RetentionSchedule returns the ended cases, not anonymised, whose
// retention ends on or before until, soonest first, each with its hold if
// it has one.
func RetentionSchedule(cases []complaint.Case, r policy.Retention, until time.Time) []RetentionDue {
	var out []RetentionDue
	for _, c := range cases {
		if c.Anonymisation != nil || c.Status.Open() {
			continue
		}
		closed := c.ClosedAt
		if closed.IsZero() {
			closed = c.LastEventAt
		}
		due := r.Due(string(c.Kind), closed)
		if due.After(until) {
			continue
		}
		out = append(out, RetentionDue{Reference: c.Reference, Kind: c.Kind, Closed: closed, Due: calendar.DateOf(due), Rule: r.Rule(string(c.Kind)), Held: c.Held()})
	}
	slices.SortFunc(out, func(a, b RetentionDue) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return cmpString(a.Reference, b.Reference)
	})
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// RetentionResult counts what a retention run did.
type RetentionResult struct {
	Due        int `json:"due"`
	Held       int `json:"held"`
	Anonymised int `json:"anonymised"`
	Failed     int `json:"failed"`
	// Remaining is how many due cases were left for the next run, beyond
	// the batch.
	Remaining int `json:"remaining"`
	// References are the cases anonymised (or, in a dry run, that would
	// be), for the operator; never logged.
	References []string `json:"references"`
}

// RetentionRunner is the actor retention records its anonymisations as.
const RetentionRunner = "system:retention"

// RunRetention anonymises the ended cases whose retention period has
// passed at now and that are not held, at most batch of them (0: no
// limit), so that a first run on a large backlog does not hold the
// database's one writer for long. A dry run only counts. Logging gives
// counts, never references or personal data.
func RunRetention(ctx context.Context, st RetentionStore, r policy.Retention, now time.Time, batch int, dryRun bool, log *slog.Logger) (RetentionResult, error) {
	cases, err := st.Ended(ctx)
	if err != nil {
		return RetentionResult{}, fmt.Errorf("retention: %w", err)
	}
	res := RetentionResult{References: []string{}}
	for _, d := range RetentionSchedule(cases, r, now) {
		res.Due++
		if d.Held != "" {
			res.Held++
			continue
		}
		if batch > 0 && res.Anonymised+res.Failed >= batch {
			res.Remaining++
			continue
		}
		if dryRun {
			res.Anonymised++
			res.References = append(res.References, d.Reference)
			continue
		}
		if _, err := st.AnonymiseCase(ctx, d.Reference, AnonymiseRequest{Rule: d.Rule, By: RetentionRunner, Now: now}); err != nil {
			res.Failed++
			if log != nil {
				log.Warn("retention: a case could not be anonymised", "error_code", complaint.ErrorCode(err))
			}
			continue
		}
		res.Anonymised++
		res.References = append(res.References, d.Reference)
	}
	if log != nil {
		log.Info("retention run", "due", res.Due, "held", res.Held, "anonymised", res.Anonymised, "failed", res.Failed, "remaining", res.Remaining, "dry_run", dryRun)
	}
	if res.Anonymised > 0 && !dryRun {
		if err := st.PurgeFreed(ctx); err != nil {
			return res, fmt.Errorf("retention: purge: %w", err)
		}
	}
	return res, nil
}
