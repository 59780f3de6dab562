package sqlite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// The stage counts behind CH01 and CH02: stage and whether refused (or
// within the Code), tenure, and a count, by day. Their plans are checked
// by TestTSMCountsReadCoveringIndexesInOrder.
const (
	ch01Query = `SELECT stage || refused, tenure, count(*) FROM stage_facts INDEXED BY stage_facts_received
		WHERE stage IN (1, 2) AND received BETWEEN ? AND ? GROUP BY stage, received, refused, withdrawn, exclusion, tenure`
	ch02Query = `SELECT stage || within_code, tenure, count(*) FROM stage_facts INDEXED BY stage_facts_responded
		WHERE stage IN (1, 2) AND responded BETWEEN ? AND ? GROUP BY stage, responded, within_code, tenure`
)

// TSMCounts implements store.Store. Each count reads one covering index
// by date (stage_facts_received, stage_facts_responded,
// survey_answers_answered): no case is read. The stage counts group in
// their index's order, by day, and are added up here: grouping straight
// by stage and tenure would sort a year's rows, which over a million
// cases costs several times the reading.
func (db *DB) TSMCounts(ctx context.Context, from, to calendar.Date) (report.TSMCounts, error) {
	var c report.TSMCounts
	for s := 1; s <= 2; s++ {
		c.Received[s], c.Responded[s], c.WithinCode[s] = report.ByTenure{}, report.ByTenure{}, report.ByTenure{}
	}
	c.Survey = map[string]report.ByTenure{}
	add := func(query string, fn func(key string, tenure complaint.Tenure, n int), args ...any) error {
		rows, err := db.r.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key, tenure string
			var n int
			if err := rows.Scan(&key, &tenure, &n); err != nil {
				return err
			}
			fn(key, complaint.Tenure(tenure), n)
		}
		return rows.Err()
	}
	f, t := from.String(), to.String()
	stage := func(k string) int { return int(k[0] - '0') }
	if err := add(ch01Query,
		func(k string, tn complaint.Tenure, n int) {
			if k[1] == '0' { // refused complaints are not counted
				c.Received[stage(k)][tn] += n
			}
		}, f, t); err != nil {
		return c, fmt.Errorf("CH01: %w", err)
	}
	if err := add(ch02Query,
		func(k string, tn complaint.Tenure, n int) {
			c.Responded[stage(k)][tn] += n
			if k[1] == '1' {
				c.WithinCode[stage(k)][tn] += n
			}
		}, f, t); err != nil {
		return c, fmt.Errorf("CH02: %w", err)
	}
	if err := add(`SELECT answer, tenure, count(*) FROM survey_answers WHERE answered_on BETWEEN ? AND ? GROUP BY answer, tenure`,
		func(k string, tn complaint.Tenure, n int) {
			if c.Survey[k] == nil {
				c.Survey[k] = report.ByTenure{}
			}
			c.Survey[k][tn] += n
		}, f, t); err != nil {
		return c, fmt.Errorf("TP09: %w", err)
	}
	return c, nil
}

// TSMCases implements store.Store.
func (db *DB) TSMCases(ctx context.Context, q store.TSMQuery) ([]string, int, error) {
	var from, where string
	args := []any{q.From.String(), q.To.String()}
	switch q.Measure {
	case report.CH01Stage1, report.CH01Stage2:
		if !q.Numerator {
			return nil, 0, errors.New("CH01's denominator is homes, not cases")
		}
		from, where = `stage_facts x`, `x.stage = ? AND x.received BETWEEN ? AND ? AND x.refused = 0`
		args = append([]any{int(q.Measure[5] - '0')}, args...)
	case report.CH02Stage1, report.CH02Stage2:
		from, where = `stage_facts x`, `x.stage = ? AND x.responded BETWEEN ? AND ?`
		args = append([]any{int(q.Measure[5] - '0')}, args...)
		if q.Numerator {
			where += ` AND x.within_code = 1`
		}
	case report.TP09:
		from, where = `survey_answers x`, `x.answered_on BETWEEN ? AND ?`
		if q.Numerator {
			where += ` AND x.answer IN ('very_satisfied', 'fairly_satisfied')`
		}
	default:
		return nil, 0, complaint.Errorf(complaint.NotFound, "there is no measure %q", q.Measure)
	}
	if q.Tenure != nil {
		where += ` AND x.tenure = ?`
		args = append(args, string(*q.Tenure))
	}
	cond, vargs := visibleTo(q.Viewer)
	rows, err := db.r.QueryContext(ctx, `SELECT c.reference, `+cond+` FROM `+from+` JOIN cases c ON c.id = x.case_id WHERE `+where+` ORDER BY c.id`,
		append(vargs, args...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	refs := []string{}
	hidden := 0
	for rows.Next() {
		var ref string
		var ok bool
		if err := rows.Scan(&ref, &ok); err != nil {
			return nil, 0, err
		}
		if ok {
			refs = append(refs, ref)
		} else {
			hidden++
		}
	}
	return refs, hidden, rows.Err()
}

// RecordSurvey implements store.Store.
func (db *DB) RecordSurvey(ctx context.Context, ref, answer, comment string, at time.Time) error {
	if !slices.Contains(report.SurveyAnswers, answer) {
		return complaint.InvalidField("answer", "%q is not an answer: want %s", answer, strings.Join(report.SurveyAnswers, ", "))
	}
	c, err := getCase(ctx, db.r, ref)
	if err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, `INSERT INTO survey_answers (case_id, answered_on, answer, tenure, comment) VALUES (?, ?, ?, ?, ?)`,
		c.ID, calendar.DateOf(at).String(), answer, c.Tenure, comment)
	return err
}
