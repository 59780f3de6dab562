package sqldb

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

// tsmDaysQuery reads the daily counts behind CH01 and CH02, which
// triggers keep with stage_facts (migration 0008): a year is at most 366
// days of a few rows each, whatever the number of cases. Its plan is
// checked by TestTSMCountsReadCoveringIndexesInOrder.
const tsmDaysQuery = `SELECT measure, stage, flag, tenure, sum(n) FROM tsm_days
	WHERE day BETWEEN ? AND ? GROUP BY day, measure, stage, flag, tenure`

// policyDaysQuery reads the daily counts of responses within the
// landlord's own deadline, which triggers keep with stage_facts
// (migration 0020), as tsmDaysQuery does for the Code's.
const policyDaysQuery = `SELECT stage, tenure, sum(n) FROM policy_days
	WHERE day BETWEEN ? AND ? AND within_policy = 1 GROUP BY day, stage, tenure`

// TSMCounts implements store.Store. The stage counts come from the daily
// counts (tsm_days, policy_days); the survey's from the indexes of
// answers by date. None reads a case.
func (db *DB) TSMCounts(ctx context.Context, from, to calendar.Date) (report.TSMCounts, error) {
	var c report.TSMCounts
	for s := 1; s <= 2; s++ {
		c.Received[s], c.Responded[s], c.WithinCode[s], c.WithinPolicy[s] = report.ByTenure{}, report.ByTenure{}, report.ByTenure{}, report.ByTenure{}
	}
	c.Survey, c.Outcome = map[string]report.ByTenure{}, map[string]report.ByTenure{}
	f, t := from.String(), to.String()
	rows, err := db.rep.QueryContext(ctx, tsmDaysQuery, f, t)
	if err != nil {
		return c, fmt.Errorf("CH01 and CH02: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var measure, tenure string
		var stage, flag, n int
		if err := rows.Scan(&measure, &stage, &flag, &tenure, &n); err != nil {
			return c, err
		}
		if stage < 1 || stage > 2 {
			continue
		}
		tn := complaint.Tenure(tenure)
		switch measure {
		case "received":
			if flag == 0 { // refused complaints are not counted
				c.Received[stage][tn] += n
			}
		case "responded":
			c.Responded[stage][tn] += n
			if flag == 1 {
				c.WithinCode[stage][tn] += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("CH01 and CH02: %w", err)
	}
	rows.Close()
	if err := db.policyCounts(ctx, &c, f, t); err != nil {
		return c, fmt.Errorf("CH02 against our own policy: %w", err)
	}
	for _, q := range []struct {
		column string
		into   map[string]report.ByTenure
	}{{"answer", c.Survey}, {"outcome", c.Outcome}} {
		if err := db.surveyCounts(ctx, q.column, q.into, f, t); err != nil {
			return c, fmt.Errorf("satisfaction from our survey (%s): %w", q.column, err)
		}
	}
	return c, nil
}

func (db *DB) policyCounts(ctx context.Context, c *report.TSMCounts, from, to string) error {
	rows, err := db.rep.QueryContext(ctx, policyDaysQuery, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var tenure string
		var stage, n int
		if err := rows.Scan(&stage, &tenure, &n); err != nil {
			return err
		}
		if stage >= 1 && stage <= 2 {
			c.WithinPolicy[stage][complaint.Tenure(tenure)] += n
		}
	}
	return rows.Err()
}

// surveyCounts counts the answers to one question of the survey
// (column answer, the handling, or outcome) by answer and tenure.
func (db *DB) surveyCounts(ctx context.Context, column string, into map[string]report.ByTenure, from, to string) error {
	cond := ""
	if column == "outcome" {
		cond = ` AND outcome <> ''` // answers from before the survey asked it
	}
	rows, err := db.rep.QueryContext(ctx, `SELECT `+column+`, tenure, count(*) FROM survey_answers WHERE answered_on BETWEEN ? AND ?`+cond+
		` GROUP BY `+column+`, tenure`, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var answer, tenure string
		var n int
		if err := rows.Scan(&answer, &tenure, &n); err != nil {
			return err
		}
		if into[answer] == nil {
			into[answer] = report.ByTenure{}
		}
		into[answer][complaint.Tenure(tenure)] += n
	}
	return rows.Err()
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
	case report.PolicyStage1, report.PolicyStage2:
		from, where = `stage_facts x`, `x.stage = ? AND x.responded BETWEEN ? AND ?`
		args = append([]any{int(q.Measure[7] - '0')}, args...)
		if q.Numerator {
			where += ` AND x.within_policy = 1`
		}
	case report.SurveyHandling:
		from, where = `survey_answers x`, `x.answered_on BETWEEN ? AND ?`
		if q.Numerator {
			where += ` AND x.answer IN ('very_satisfied', 'fairly_satisfied')`
		}
	case report.SurveyOutcome:
		from, where = `survey_answers x`, `x.answered_on BETWEEN ? AND ? AND x.outcome <> ''`
		if q.Numerator {
			where += ` AND x.outcome IN ('very_satisfied', 'fairly_satisfied')`
		}
	case report.TP09:
		return nil, 0, complaint.InvalidField("measure", "TP09 is recorded from the landlord's perception survey: there are no cases behind it")
	default:
		return nil, 0, complaint.Errorf(complaint.NotFound, "there is no measure %q", q.Measure)
	}
	switch {
	case q.Tenure == nil:
		// "All" is the Regulator's tenures together, as report.ComputeTSM
		// counts it: the cases behind a figure are exactly those counted.
		where += ` AND x.tenure IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(report.Tenures)), ", ") + `)`
		for _, t := range report.Tenures {
			args = append(args, string(t))
		}
	case *q.Tenure == report.NotRecorded:
		where += ` AND x.tenure = ''`
	default:
		where += ` AND x.tenure = ?`
		args = append(args, string(*q.Tenure))
	}
	cond, vargs := visibleTo(q.Viewer)
	rows, err := db.rep.QueryContext(ctx, `SELECT c.reference, `+cond+` FROM `+from+` JOIN cases c ON c.id = x.case_id WHERE `+where+` ORDER BY c.id`,
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
	c, err := getCase(ctx, db.r, ref, "")
	if err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, `INSERT INTO survey_answers (case_id, answered_on, answer, tenure, comment) VALUES (?, ?, ?, ?, ?)`,
		c.ID, calendar.DateOf(at).String(), answer, c.Tenure, comment)
	return err
}
