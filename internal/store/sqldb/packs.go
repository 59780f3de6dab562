package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// PackRecord implements store.PackStore.
func (db *DB) PackRecord(ctx context.Context, p report.Period) (report.PackRecord, error) {
	rec := report.PackRecord{Summary: report.PackSummary{Period: p.Value()}}
	err := db.r.QueryRowContext(ctx, `SELECT text, figures, figures_hash, updated_by, updated_at FROM pack_summaries WHERE period = ?`, p.Value()).
		Scan(&rec.Summary.Text, &rec.Summary.Figures, &rec.Summary.FiguresHash, &rec.Summary.UpdatedBy, storedTime{&rec.Summary.UpdatedAt})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return rec, fmt.Errorf("reading the executive summary of %s: %w", p.Value(), err)
	}
	so := report.PackSignOff{Period: p.Value()}
	err = db.r.QueryRowContext(ctx, `SELECT signed_by, signed_at, figures_hash, summary FROM pack_signoffs WHERE period = ? ORDER BY id DESC LIMIT 1`, p.Value()).
		Scan(&so.SignedBy, storedTime{&so.SignedAt}, &so.FiguresHash, &so.Summary)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return rec, fmt.Errorf("reading the sign-off of %s: %w", p.Value(), err)
	default:
		rec.SignOff = &so
	}
	return rec, nil
}

// SavePackSummary implements store.PackStore.
func (db *DB) SavePackSummary(ctx context.Context, s report.PackSummary) error {
	if fields := report.CheckSummary(s); fields != nil {
		return &complaint.Error{Code: complaint.Invalid, Message: "the executive summary has invalid fields", Fields: fields}
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pack_summaries (period, text, figures, figures_hash, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (period) DO UPDATE SET text = excluded.text, figures = excluded.figures,
			figures_hash = excluded.figures_hash, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			s.Period, s.Text, s.Figures, s.FiguresHash, s.UpdatedBy, store.FormatTime(s.UpdatedAt))
		return err
	})
}

// SignOffPack implements store.PackStore.
func (db *DB) SignOffPack(ctx context.Context, so report.PackSignOff) error {
	fields := map[string]string{}
	if _, err := report.ParsePeriod(so.Period); err != nil {
		fields["period"] = err.Error()
	}
	if so.SignedBy == "" {
		fields["signed_by"] = "must name who signed the pack off"
	}
	if so.FiguresHash == "" {
		fields["figures_hash"] = "must be the hash of the figures signed"
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the sign-off has invalid fields", Fields: fields}
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pack_signoffs (period, signed_by, signed_at, figures_hash, summary) VALUES (?, ?, ?, ?, ?)`,
			so.Period, so.SignedBy, store.FormatTime(so.SignedAt), so.FiguresHash, so.Summary)
		return err
	})
}

// ComplaintsMember implements store.PackStore.
func (db *DB) ComplaintsMember(ctx context.Context, year report.Year) (report.ComplaintsMember, error) {
	m := report.ComplaintsMember{Year: year}
	if err := checkReviewYear(year); err != nil {
		return m, err
	}
	err := db.r.QueryRowContext(ctx, `SELECT name, updated_by, updated_at FROM complaints_members WHERE year = ?`, int(year)).
		Scan(&m.Name, &m.UpdatedBy, storedTime{&m.UpdatedAt})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("reading the Member Responsible for Complaints: %w", err)
	}
	return m, nil
}

// SetComplaintsMember implements store.PackStore.
func (db *DB) SetComplaintsMember(ctx context.Context, m report.ComplaintsMember) error {
	if fields := report.CheckMember(m); fields != nil {
		return &complaint.Error{Code: complaint.Invalid, Message: "the Member Responsible for Complaints has invalid fields", Fields: fields}
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO complaints_members (year, name, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET name = excluded.name, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			int(m.Year), m.Name, m.UpdatedBy, store.FormatTime(m.UpdatedAt))
		return err
	})
}
