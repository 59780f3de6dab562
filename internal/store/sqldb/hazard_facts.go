package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

var _ store.HazardFactsStore = (*DB)(nil)

// hazardFactRows returns the case's rows in hazard_facts and
// hazard_clock_facts (migration 0023) from report.HazardFactOf: none for
// a case with no hazard.
func hazardFactRows(c complaint.Case) []factRow {
	f, ok := report.HazardFactOf(&c)
	if !ok {
		return nil
	}
	rows := []factRow{{`INSERT INTO hazard_facts (case_id, aware, aware_at, class, complaint, channel, statutory, made_safe_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, []any{c.ID, f.AwareAt.Unix(), store.FormatTime(f.AwareAt), f.Class, f.Complaint, f.Channel, f.Statutory,
		nullTime(f.MadeSafeAt)}}}
	for _, k := range f.Clocks {
		rows = append(rows, factRow{`INSERT INTO hazard_clock_facts (case_id, code, name, due, due_date, hours, met_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, []any{c.ID, k.Code, k.Name, store.FormatTime(k.Due), k.DueDate.String(), k.Hours, nullTime(k.MetAt)}})
	}
	return rows
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.FormatTime(t)
}

// hazardFactsQuery reads a period's hazards through hazard_facts_aware,
// each with whether the viewer may see its case; the clocks are read by
// a second query over the same period.
func hazardFactsQuery(v store.Viewer) (facts, clocks string, args []any) {
	cond, cargs := visibleTo(v)
	facts = `SELECT h.case_id, c.reference, ` + cond + `, h.aware_at, h.class, h.complaint, h.channel, h.statutory, h.made_safe_at
		FROM hazard_facts h INDEXED BY hazard_facts_aware JOIN cases c ON c.id = h.case_id
		WHERE h.aware >= ? AND h.aware < ? ORDER BY h.aware, h.case_id`
	clocks = `SELECT k.case_id, k.code, k.name, k.due, k.due_date, k.hours, k.met_at
		FROM hazard_facts h INDEXED BY hazard_facts_aware JOIN hazard_clock_facts k ON k.case_id = h.case_id
		WHERE h.aware >= ? AND h.aware < ? ORDER BY k.case_id, k.due`
	return facts, clocks, cargs
}

// HazardFacts implements store.HazardFactsStore.
func (db *DB) HazardFacts(ctx context.Context, q store.HazardFactsQuery) ([]report.HazardFact, error) {
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, complaint.InvalidField("to", "the period needs a first day and a last day on or after it")
	}
	lo, hi := q.From.Start().Unix(), q.To.AddDays(1).Start().Unix()
	factsSQL, clocksSQL, vargs := hazardFactsQuery(q.Viewer)
	tx, err := db.rep.BeginTx(ctx, db.d.snapshot)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, factsSQL, append(vargs, lo, hi)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []report.HazardFact{}
	index := map[int64]int{}
	for rows.Next() {
		var (
			id                 int64
			f                  report.HazardFact
			visible            bool
			aware              string
			madeSafe           sql.NullString
			class, channel, rf string
		)
		if err := rows.Scan(&id, &rf, &visible, &aware, &class, &f.Complaint, &channel, &f.Statutory, &madeSafe); err != nil {
			return nil, err
		}
		f.Class, f.Channel = complaint.HazardClass(class), complaint.Channel(channel)
		if visible {
			f.Reference = rf
		} else {
			f.Hidden = true
		}
		if f.AwareAt, err = store.ParseTime(aware); err != nil {
			return nil, fmt.Errorf("hazard facts of case %d: %w", id, err)
		}
		if madeSafe.Valid {
			if f.MadeSafeAt, err = store.ParseTime(madeSafe.String); err != nil {
				return nil, fmt.Errorf("hazard facts of case %d: %w", id, err)
			}
		}
		index[id] = len(out)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	krows, err := tx.QueryContext(ctx, clocksSQL, lo, hi)
	if err != nil {
		return nil, err
	}
	defer krows.Close()
	for krows.Next() {
		var (
			id           int64
			k            complaint.HazardClock
			due, dueDate string
			met          sql.NullString
		)
		if err := krows.Scan(&id, &k.Code, &k.Name, &due, &dueDate, &k.Hours, &met); err != nil {
			return nil, err
		}
		if k.Due, err = store.ParseTime(due); err != nil {
			return nil, fmt.Errorf("hazard clock of case %d: %w", id, err)
		}
		if err := k.DueDate.UnmarshalText([]byte(dueDate)); err != nil {
			return nil, fmt.Errorf("hazard clock of case %d: %w", id, err)
		}
		if met.Valid {
			if k.MetAt, err = store.ParseTime(met.String); err != nil {
				return nil, fmt.Errorf("hazard clock of case %d: %w", id, err)
			}
		}
		if i, ok := index[id]; ok {
			out[i].Clocks = append(out[i].Clocks, k)
		}
	}
	return out, krows.Err()
}
