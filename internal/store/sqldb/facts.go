package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// factTables are the tables factRows writes to, each holding a case's
// rows under its case_id, in the order factRows writes them. A save
// deletes its old rows in that order too: the counting triggers lock the
// daily counts they change, so on PostgreSQL a save that took a day's
// stage counts before its contact counts, beside a create taking them the
// other way round, deadlocked.
var factTables = []string{"contact_facts", "stage_facts", "category_facts", "remedy_facts", "hazard_facts", "hazard_clock_facts"}

// factRow is one row of a case's report facts: the statement that adds
// it and its arguments.
type factRow struct {
	sql  string
	args []any
}

// indexFacts rewrites the case's rows in the report tables, and the
// chains of repeat complaints it is in, unless old (the case before this
// change, nil for a new case) had the same rows: most commands change
// nothing the reports count, and rewriting the facts would run every
// counting trigger twice for nothing.
func indexFacts(ctx context.Context, tx *sql.Tx, d dialect, old *complaint.Case, c complaint.Case) error {
	rows := factRows(c)
	places := []chainPlace{chainPlaceOf(c)}
	if old != nil {
		places = append(places, chainPlaceOf(*old))
		if reflect.DeepEqual(factRows(*old), rows) {
			return nil
		}
		for _, table := range factTables {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE case_id = ?`, c.ID); err != nil {
				return fmt.Errorf("report facts: %w", err)
			}
		}
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, r.sql, r.args...); err != nil {
			return fmt.Errorf("report facts: %w", err)
		}
	}
	if c.Kind != complaint.KindComplaint && (old == nil || old.Kind != complaint.KindComplaint) {
		return nil // in no one's chain of complaints, before or after
	}
	return relinkComplaints(ctx, tx, d, c.ID, places...)
}

// chainPlaceOf is where the case stands among its complainant's
// complaints, as contact_facts has it.
func chainPlaceOf(c complaint.Case) chainPlace {
	return chainPlace{key: c.Complainant.Key(), received: calendar.DateOf(c.ReceivedAt).String()}
}

// factRows returns the case's rows in the report tables. Category and
// remedy rows repeat the case's received date, tenure and service area,
// so that the management figures filter and count them from their own
// indexes rather than joining each to contact_facts.
func factRows(c complaint.Case) []factRow {
	received := calendar.DateOf(c.ReceivedAt).String()
	rows := []factRow{{`INSERT INTO contact_facts (case_id, received, kind, channel, service_area, tenure, complainant_key)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, []any{c.ID, received, c.Kind, c.Channel, c.ServiceArea, c.Tenure, c.Complainant.Key()}}}
	for _, f := range c.Facts() {
		// The landlord's own deadline is the stage's, reported beside
		// CH02; migration 0020 filled the rows stored before it by the
		// same rule.
		withinPolicy := false
		for _, st := range c.Stages {
			if st.Stage == f.Stage {
				withinPolicy = report.WithinPolicy(f.Responded, st.RespondBy)
			}
		}
		rows = append(rows, factRow{`INSERT INTO stage_facts (case_id, stage, tenure, channel, service_area, received, acknowledged, responded,
			refused, withdrawn, exclusion, within_code, ack_wd, respond_wd, extension_days, over_code_cap, upheld, partly, not_upheld, learning,
			within_policy)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, []any{
			c.ID, f.Stage, f.Tenure, f.Channel, f.ServiceArea, f.Received.String(), nullDateOf(f.Acknowledged), nullDateOf(f.Responded),
			f.Refused, f.Withdrawn, f.Exclusion, f.WithinCode, nullIf(f.Acknowledged, f.AcknowledgeWorkingDays), nullIf(f.Responded, f.RespondWorkingDays),
			f.ExtensionDays, f.OverCodeCap, f.Upheld, f.PartlyUpheld, f.NotUpheld, f.Learning, withinPolicy}})
	}
	for _, cat := range c.Categories {
		rows = append(rows, factRow{`INSERT INTO category_facts (case_id, category, received, tenure, service_area) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			[]any{c.ID, cat, received, c.Tenure, c.ServiceArea}})
	}
	for _, r := range c.Remedies {
		// A remedy a later stage superseded is no longer owed: its
		// replacement is what the landlord offers, so counting both
		// would count one offer twice and leave an action open forever.
		if r.Superseded() {
			continue
		}
		offered := calendar.DateOf(c.ReceivedAt)
		if r.Stage >= 1 && r.Stage <= len(c.Stages) && !c.Stages[r.Stage-1].RespondedAt.IsZero() {
			offered = calendar.DateOf(c.Stages[r.Stage-1].RespondedAt)
		}
		var doneOn calendar.Date
		if r.Done {
			doneOn = calendar.DateOf(r.DoneAt)
			// Compensation counts as paid, and an apology as sent, on
			// the day it was, which may be before it was marked done.
			if !r.PaidOn.IsZero() {
				doneOn = r.PaidOn
			}
		}
		rows = append(rows, factRow{`INSERT INTO remedy_facts (case_id, remedy_id, stage, kind, amount_pence, compensation_kind, offered, due, done, done_on,
			tenure, service_area) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, []any{c.ID, r.ID, r.Stage, r.Kind, r.AmountPence, r.CompensationKind,
			offered.String(), nullDateOf(r.Due), r.Done, nullDateOf(doneOn), c.Tenure, c.ServiceArea}})
	}
	return append(rows, hazardFactRows(c)...)
}

func nullDateOf(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// nullIf returns n, or NULL when the event it measures has not happened.
func nullIf(d calendar.Date, n int) any {
	if d.IsZero() {
		return nil
	}
	return n
}
