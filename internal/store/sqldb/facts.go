package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// indexFacts rewrites the case's rows in the report tables. Category
// and remedy rows repeat the case's received date, tenure and service
// area, so that the management figures filter and count them from their
// own indexes rather than joining each to contact_facts.
func indexFacts(ctx context.Context, tx *sql.Tx, c complaint.Case) error {
	for _, table := range []string{"stage_facts", "contact_facts", "category_facts", "remedy_facts"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE case_id = ?`, c.ID); err != nil {
			return fmt.Errorf("report facts: %w", err)
		}
	}
	received := calendar.DateOf(c.ReceivedAt).String()
	if _, err := tx.ExecContext(ctx, `INSERT INTO contact_facts (case_id, received, kind, channel, service_area, tenure, complainant_key)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, received, c.Kind, c.Channel, c.ServiceArea, c.Tenure, c.Complainant.Key()); err != nil {
		return fmt.Errorf("report facts: %w", err)
	}
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO stage_facts (case_id, stage, tenure, channel, service_area, received, acknowledged, responded,
			refused, withdrawn, exclusion, within_code, ack_wd, respond_wd, extension_days, over_code_cap, upheld, partly, not_upheld, learning,
			within_policy)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, f.Stage, f.Tenure, f.Channel, f.ServiceArea, f.Received.String(), nullDateOf(f.Acknowledged), nullDateOf(f.Responded),
			f.Refused, f.Withdrawn, f.Exclusion, f.WithinCode, nullIf(f.Acknowledged, f.AcknowledgeWorkingDays), nullIf(f.Responded, f.RespondWorkingDays),
			f.ExtensionDays, f.OverCodeCap, f.Upheld, f.PartlyUpheld, f.NotUpheld, f.Learning, withinPolicy); err != nil {
			return fmt.Errorf("report facts: %w", err)
		}
	}
	for _, cat := range c.Categories {
		if _, err := tx.ExecContext(ctx, `INSERT INTO category_facts (case_id, category, received, tenure, service_area) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			c.ID, cat, received, c.Tenure, c.ServiceArea); err != nil {
			return fmt.Errorf("report facts: %w", err)
		}
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
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO remedy_facts (case_id, remedy_id, stage, kind, amount_pence, compensation_kind, offered, due, done, done_on,
			tenure, service_area) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, r.ID, r.Stage, r.Kind, r.AmountPence, r.CompensationKind, offered.String(),
			nullDateOf(r.Due), r.Done, nullDateOf(doneOn), c.Tenure, c.ServiceArea); err != nil {
			return fmt.Errorf("report facts: %w", err)
		}
	}
	return indexHazardFacts(ctx, tx, c)
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
