package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

func checkReviewYear(y report.Year) error {
	if err := report.CheckYear(y); err != nil {
		return complaint.InvalidField("year", "%v", err)
	}
	return nil
}

// Review implements store.Store.
func (db *DB) Review(ctx context.Context, year report.Year) (report.Review, error) {
	if err := checkReviewYear(year); err != nil {
		return report.Review{}, err
	}
	rv := report.Review{Year: year}
	var err error
	rv.Assessments, err = queryAll(ctx, db.r, func(sc scanner) (a report.Assessment, err error) {
		err = sc.Scan(&a.Provision, &a.Complies, &a.Evidence, &a.Commentary, &a.UpdatedBy, storedTime{&a.UpdatedAt})
		return a, err
	}, `SELECT provision, complies, evidence, commentary, updated_by, updated_at FROM review_assessments WHERE year = ?`, int(year))
	if err != nil {
		return rv, err
	}
	slices.SortFunc(rv.Assessments, func(a, b report.Assessment) int { return report.CompareProvisions(a.Provision, b.Provision) })
	rv.Improvements, err = queryAll(ctx, db.r, func(sc scanner) (im report.Improvement, err error) {
		err = sc.Scan(&im.ID, &im.ServiceArea, &im.YouSaid, &im.WeDid, &im.AddedBy, storedTime{&im.AddedAt})
		return im, err
	}, `SELECT id, service_area, you_said, we_did, added_by, added_at FROM review_improvements WHERE year = ? ORDER BY id`, int(year))
	if err != nil {
		return rv, err
	}

	var agreed, at string
	err = db.r.QueryRowContext(ctx, `SELECT text, agreed_on, updated_by, updated_at FROM review_responses WHERE year = ?`, int(year)).
		Scan(&rv.Response.Text, &agreed, &rv.Response.UpdatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return rv, nil
	}
	if err != nil {
		return rv, err
	}
	if rv.Response.Date, err = calendar.ParseDate(agreed); err != nil {
		return rv, err
	}
	rv.Response.UpdatedAt, err = store.ParseTime(at)
	return rv, err
}

// SaveAssessments implements store.Store.
func (db *DB) SaveAssessments(ctx context.Context, year report.Year, as []report.Assessment, by string, at time.Time) error {
	if err := checkReviewYear(year); err != nil {
		return err
	}
	fields := map[string]string{}
	for _, a := range as {
		for f, msg := range report.CheckAssessment(a) {
			fields[a.Provision+"."+f] = msg
		}
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the self-assessment has invalid fields", Fields: fields}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, a := range as {
		_, err := tx.ExecContext(ctx, `INSERT INTO review_assessments (year, provision, complies, evidence, commentary, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (year, provision) DO UPDATE SET complies = excluded.complies,
			evidence = excluded.evidence, commentary = excluded.commentary, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			int(year), a.Provision, a.Complies, a.Evidence, a.Commentary, store.FormatTime(at), by)
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

// AddImprovement implements store.Store.
func (db *DB) AddImprovement(ctx context.Context, year report.Year, im report.Improvement, by string, at time.Time) (int64, error) {
	if err := checkReviewYear(year); err != nil {
		return 0, err
	}
	if fields := report.CheckImprovement(im); fields != nil {
		return 0, &complaint.Error{Code: complaint.Invalid, Message: "the improvement has invalid fields", Fields: fields}
	}
	var id int64
	err := db.w.QueryRowContext(ctx, `INSERT INTO review_improvements (year, service_area, you_said, we_did, added_at, added_by)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, int(year), im.ServiceArea, im.YouSaid, im.WeDid, store.FormatTime(at), by).Scan(&id)
	return id, err
}

// RemoveImprovement implements store.Store.
func (db *DB) RemoveImprovement(ctx context.Context, year report.Year, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM review_improvements WHERE year = ? AND id = ?`, int(year), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return cmp.Or(err, error(complaint.Errorf(complaint.NotFound, "there is no improvement %d in %s", id, year)))
	}
	return nil
}

// SetResponse implements store.Store.
func (db *DB) SetResponse(ctx context.Context, year report.Year, r report.Response, by string, at time.Time) error {
	if err := checkReviewYear(year); err != nil {
		return err
	}
	if fields := report.CheckResponse(r); fields != nil {
		return &complaint.Error{Code: complaint.Invalid, Message: "the governing body's response has invalid fields", Fields: fields}
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO review_responses (year, text, agreed_on, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET text = excluded.text, agreed_on = excluded.agreed_on,
		updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		int(year), r.Text, r.Date.String(), store.FormatTime(at), by)
	if err != nil {
		return fmt.Errorf("saving the governing body's response: %w", err)
	}
	return nil
}
