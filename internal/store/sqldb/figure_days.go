package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// figureDaysFill fills figure_days from the report facts, with the rows
// the triggers of migration 0032 keep fact by fact (see its comment for
// what each figure counts): for that migration, over the facts already
// stored, and for a copy into a new database, which copies the facts with
// the triggers off.
var figureDaysFill = []string{
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(received, 1, 7), 'kind', 0, kind, received, count(*), 0 FROM contact_facts GROUP BY received, kind`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(received, 1, 7), 'channel', 0, channel, received, count(*), 0 FROM contact_facts GROUP BY received, channel`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(received, 1, 7), 'service_area', 0, service_area, received, count(*), 0 FROM contact_facts GROUP BY received, service_area`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(received, 1, 7), 'category', 0, category, received, count(*), 0 FROM category_facts GROUP BY received, category`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(received, 1, 7), figure, stage, key, received, count(*), 0 FROM (
			SELECT received, stage, CASE WHEN refused = 1 THEN 'refused' WHEN withdrawn = 1 THEN 'withdrawn' ELSE 'received' END AS figure,
				CASE WHEN refused = 1 THEN exclusion ELSE '' END AS key FROM stage_facts) s
		GROUP BY received, figure, stage, key`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(acknowledged, 1, 7), 'acknowledge_days', stage, CAST(ack_wd AS TEXT), acknowledged, count(*), 0 FROM stage_facts
		WHERE acknowledged IS NOT NULL AND ack_wd IS NOT NULL GROUP BY acknowledged, stage, ack_wd`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(responded, 1, 7), 'respond_days', stage, CAST(respond_wd AS TEXT), responded, count(*), 0 FROM stage_facts
		WHERE responded IS NOT NULL AND respond_wd IS NOT NULL GROUP BY responded, stage, respond_wd`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(responded, 1, 7), figure, stage, '', responded, n, 0 FROM (
			SELECT responded, stage, 'responded' AS figure, count(*) AS n FROM stage_facts WHERE responded IS NOT NULL GROUP BY responded, stage
			UNION ALL SELECT responded, stage, 'within_code', sum(within_code) FROM stage_facts WHERE responded IS NOT NULL AND within_code > 0 GROUP BY responded, stage
			UNION ALL SELECT responded, stage, 'extended', count(*) FROM stage_facts WHERE responded IS NOT NULL AND extension_days > 0 GROUP BY responded, stage
			UNION ALL SELECT responded, stage, 'over_code_cap', sum(over_code_cap) FROM stage_facts WHERE responded IS NOT NULL AND over_code_cap > 0 GROUP BY responded, stage
			UNION ALL SELECT responded, stage, 'upheld', sum(upheld) FROM stage_facts WHERE responded IS NOT NULL AND upheld > 0 GROUP BY responded, stage
			UNION ALL SELECT responded, stage, 'partly', sum(partly) FROM stage_facts WHERE responded IS NOT NULL AND partly > 0 GROUP BY responded, stage
			UNION ALL SELECT responded, stage, 'not_upheld', sum(not_upheld) FROM stage_facts WHERE responded IS NOT NULL AND not_upheld > 0 GROUP BY responded, stage) r`,
	`INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
		SELECT substr(offered, 1, 7), figure, 0, key, offered, count(*), sum(pence) FROM (
			SELECT offered, 'compensation' AS figure, compensation_kind AS key, amount_pence AS pence FROM remedy_facts WHERE kind = 'compensation'
			UNION ALL SELECT offered, 'compensation_paid', compensation_kind, amount_pence FROM remedy_facts WHERE kind = 'compensation' AND done = 1
			UNION ALL SELECT offered, 'action_done', '', 0 FROM remedy_facts WHERE kind = 'action' AND done = 1
			UNION ALL SELECT offered, 'action_open', coalesce(due, ''), 0 FROM remedy_facts WHERE kind = 'action' AND done = 0) r
		GROUP BY offered, figure, key`,
}

// countFigureDays fills figure_days from the facts (figureDaysFill).
func countFigureDays(ctx context.Context, tx *sql.Tx) error {
	for _, q := range figureDaysFill {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("count figure_days: %w", err)
		}
	}
	return nil
}

// countFiguresBackfill fills figure_days and complaint_chain from the
// facts: it is migration 0032's Go (SQLite) and 0004's
// (PostgreSQL), for the facts stored before it. A
// migration run again over its own tables (as tests do) starts them
// afresh.
func countFiguresBackfill(ctx context.Context, tx *sql.Tx, _ dialect) error {
	for _, table := range []string{"figure_days", "complaint_chain"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return err
		}
	}
	if err := countFigureDays(ctx, tx); err != nil {
		return err
	}
	return fillChain(ctx, tx)
}

// figureDaysQuery reads a period's daily counts, summed by month (the
// volumes' by month need it; the rest add the months up), in the order
// of figure_days' key so that they group with no sort.
const figureDaysQuery = `SELECT month, figure, stage, key, sum(n), sum(pence) FROM figure_days
	WHERE month BETWEEN ? AND ? AND day BETWEEN ? AND ? GROUP BY month, figure, stage, key`

// repeatQuery counts the period's repeat complainants from
// complaint_chain (repeat.go).
const repeatQuery = `SELECT count(*) FROM complaint_chain WHERE received BETWEEN ? AND ? AND prior >= ? AND (prior2 IS NULL OR prior2 < ?)`

// addFigureDay adds one row of figureDaysQuery to the tally.
func (t *tally) addFigureDay(month, figure string, stage int, key string, n int, pence int64) error {
	if n == 0 {
		return nil
	}
	switch figure {
	case "kind":
		t.kind[key] += n
		t.month[month] += n
		return nil
	case "channel":
		t.channel[key] += n
		return nil
	case "service_area":
		t.area[key] += n
		return nil
	case "category":
		t.cat[key] += n
		return nil
	case "compensation", "compensation_paid":
		m := t.money[key]
		if figure == "compensation" {
			m.Offered += n
			m.OfferedPence += pence
		} else {
			m.Paid += n
			m.PaidPence += pence
		}
		t.money[key] = m
		return nil
	case "action_done":
		t.actionsDone += n
		return nil
	case "action_open":
		t.actionsOpen += n
		if key != "" && key < t.f.To.String() {
			t.overdue += n
		}
		return nil
	}
	i := t.stage(stage)
	if i < 0 {
		return nil // a stage the filter leaves out
	}
	st := &t.stages[i]
	switch figure {
	case "received":
		st.Received += n
	case "withdrawn":
		st.Received += n
		st.Withdrawn += n
	case "refused":
		t.refusals[i][key] += n
	case "acknowledge_days", "respond_days":
		days, err := strconv.Atoi(key)
		if err != nil {
			return fmt.Errorf("figure_days: %s of %q days", figure, key)
		}
		if figure == "acknowledge_days" {
			st.Acknowledge.Histogram[days] += n
		} else {
			st.Respond.Histogram[days] += n
		}
	case "responded":
		t.respN[i] += n
	case "within_code":
		t.withinCode[i] += n
	case "extended":
		st.Extended += n
	case "over_code_cap":
		st.OverCodeCap += n
	case "upheld":
		st.Upheld += n
	case "partly":
		st.PartlyUpheld += n
	case "not_upheld":
		st.NotUpheld += n
	default:
		return fmt.Errorf("figure_days: unknown figure %q", figure)
	}
	return nil
}
