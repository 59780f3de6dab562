package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// RecordTP09 implements store.TrustStore. Each entry is a new row, so the
// figures a year has had stay on record.
func (db *DB) RecordTP09(ctx context.Context, r report.TP09Result) error {
	fields := r.Validate()
	if strings.TrimSpace(r.RecordedBy) == "" || r.RecordedAt.IsZero() {
		if fields == nil {
			fields = map[string]string{}
		}
		fields["recorded_by"] = "must name who recorded the result, and when"
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the TP09 result has invalid fields", Fields: fields}
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO tp09_results (year, lcra_satisfied, lcra_respondents, lcho_satisfied, lcho_respondents,
		recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)`, int(r.Year), r.LowCostRental.Satisfied, r.LowCostRental.Respondents,
		r.LowCostHomeOwnership.Satisfied, r.LowCostHomeOwnership.Respondents, store.FormatTime(r.RecordedAt), r.RecordedBy)
	return err
}

// TP09Results implements store.TrustStore.
func (db *DB) TP09Results(ctx context.Context, year report.Year) ([]report.TP09Result, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT lcra_satisfied, lcra_respondents, lcho_satisfied, lcho_respondents, recorded_at, recorded_by
		FROM tp09_results WHERE year = ? ORDER BY id DESC`, int(year))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []report.TP09Result{}
	for rows.Next() {
		r := report.TP09Result{Year: year}
		var at string
		if err := rows.Scan(&r.LowCostRental.Satisfied, &r.LowCostRental.Respondents, &r.LowCostHomeOwnership.Satisfied,
			&r.LowCostHomeOwnership.Respondents, &at, &r.RecordedBy); err != nil {
			return nil, err
		}
		if r.RecordedAt, err = store.ParseTime(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// checkSurveyAnswers names each answer that is not one of the survey's.
func checkSurveyAnswers(a store.SurveyAnswers, outcomeRequired bool) error {
	fields := map[string]string{}
	want := strings.Join(report.SurveyAnswers, ", ")
	if !slices.Contains(report.SurveyAnswers, a.Handling) {
		fields["answer"] = "must be one of " + want
	}
	if (outcomeRequired || a.Outcome != "") && !slices.Contains(report.SurveyAnswers, a.Outcome) {
		fields["outcome"] = "must be one of " + want
	}
	if len(a.Comment) > 5000 {
		fields["comment"] = "must be at most 5,000 characters"
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the survey answers have invalid fields", Fields: fields}
	}
	return nil
}

// AnswerSurveyQuestions implements store.TrustStore. Both questions are
// required: the survey now asks both.
func (db *DB) AnswerSurveyQuestions(ctx context.Context, tokenHash string, a store.SurveyAnswers, at time.Time) (store.SurveyInvite, error) {
	if err := checkSurveyAnswers(a, true); err != nil {
		return store.SurveyInvite{}, err
	}
	return db.recordSurveyAnswers(ctx, tokenHash, a, at)
}

// recordSurveyAnswers records checked answers against the single-use
// invite tokenHash, in one transaction: refused if the invite was used or
// has expired, the answers kept with the case's tenure, the invite used.
func (db *DB) recordSurveyAnswers(ctx context.Context, tokenHash string, a store.SurveyAnswers, at time.Time) (store.SurveyInvite, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return store.SurveyInvite{}, err
	}
	defer tx.Rollback()
	inv, err := surveyInvite(ctx, tx, tokenHash, db.d.forUpdate)
	if err != nil {
		return inv, err
	}
	switch {
	case !inv.UsedAt.IsZero():
		return inv, complaint.Errorf(complaint.Conflict, "this survey has already been answered: thank you")
	case at.After(inv.ExpiresAt):
		return inv, complaint.Errorf(complaint.Conflict, "this survey link has expired")
	}
	c, err := getCase(ctx, tx, inv.CaseRef, "")
	if err != nil {
		return inv, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO survey_answers (case_id, answered_on, answer, outcome, tenure, comment) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, calendar.DateOf(at).String(), a.Handling, a.Outcome, c.Tenure, strings.TrimSpace(a.Comment)); err != nil {
		return inv, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE survey_invites SET used_at = ? WHERE token_hash = ?`, store.FormatTime(at), tokenHash); err != nil {
		return inv, err
	}
	inv.UsedAt = at
	return inv, tx.Commit()
}

// RecordSurveyAnswers implements store.TrustStore. The outcome may be
// left out, as by a resident who answered only the first question on the
// phone.
func (db *DB) RecordSurveyAnswers(ctx context.Context, ref string, a store.SurveyAnswers, at time.Time) error {
	if err := checkSurveyAnswers(a, false); err != nil {
		return err
	}
	c, err := getCase(ctx, db.r, ref, "")
	if err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, `INSERT INTO survey_answers (case_id, answered_on, answer, outcome, tenure, comment) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, calendar.DateOf(at).String(), a.Handling, a.Outcome, c.Tenure, strings.TrimSpace(a.Comment))
	return err
}

// lateEventsQuery reads the events_recorded_late partial index (migration
// 0020): its WHERE repeats the index's condition word for word, which is
// what lets SQLite use it. The dates bound at, which is stored in UTC, by
// the instants London's dates start.
const lateEventsQuery = `SELECT c.reference, e.seq, e.kind, e.actor, e.at, e.recorded_at, %s
	FROM events e INDEXED BY events_recorded_late JOIN cases c ON c.id = e.case_id
	WHERE %s AND e.at >= ? AND e.at < ?
	ORDER BY e.at, e.id`

// CountLateRecorded implements store.TrustStore. It reads the candidates'
// two times from the events_recorded_late index alone, which holds both
// (migration 0031), and never the events or their cases.
func (db *DB) CountLateRecorded(ctx context.Context, from, to calendar.Date, late func(at, recordedAt time.Time) bool) (int, error) {
	start, end, err := latePeriod(from, to)
	if err != nil {
		return 0, err
	}
	rows, err := db.rep.QueryContext(ctx, fmt.Sprintf(lateTimesQuery, db.d.recordedLate), start, end)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var at, recorded string
		if err := rows.Scan(&at, &recorded); err != nil {
			return 0, err
		}
		a, r, err := parseEventTimes(at, recorded)
		if err != nil {
			return 0, err
		}
		if late(a, r) {
			n++
		}
	}
	return n, rows.Err()
}

// lateTimesQuery is lateEventsQuery's candidates with only their times.
const lateTimesQuery = `SELECT e.at, e.recorded_at FROM events e INDEXED BY events_recorded_late
	WHERE %s AND e.at >= ? AND e.at < ?`

// LateRecordedEvents implements store.TrustStore.
func (db *DB) LateRecordedEvents(ctx context.Context, q store.EventQuery) ([]store.DatedEvent, error) {
	start, end, err := latePeriod(q.From, q.To)
	if err != nil {
		return nil, err
	}
	cond, vargs := visibleTo(q.Viewer)
	args := append(vargs, start, end)
	rows, err := db.rep.QueryContext(ctx, fmt.Sprintf(lateEventsQuery, cond, db.d.recordedLate), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.DatedEvent{}
	for rows.Next() {
		var e store.DatedEvent
		var at, recorded string
		var visible bool
		if err := rows.Scan(&e.Reference, &e.Seq, &e.Kind, &e.Actor, &at, &recorded, &visible); err != nil {
			return nil, err
		}
		if !visible {
			// Counted, never named: the times alone say whether it was
			// recorded late.
			e = store.DatedEvent{Hidden: true}
		}
		if e.At, e.RecordedAt, err = parseEventTimes(at, recorded); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// latePeriod checks the days from..to and returns the instants they run
// between, as the late-event queries compare them with e.at: from the
// start of the first day, in London, to the start of the day after the
// last.
func latePeriod(from, to calendar.Date) (start, end string, err error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return "", "", complaint.InvalidField("to", "the period must have a first and a last day, the last on or after the first")
	}
	return store.FormatTime(from.Start()), store.FormatTime(to.AddDays(1).Start()), nil
}

// parseEventTimes reads an event's two stored times.
func parseEventTimes(at, recorded string) (time.Time, time.Time, error) {
	a, err := store.ParseTime(at)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	r, err := store.ParseTime(recorded)
	return a, r, err
}
