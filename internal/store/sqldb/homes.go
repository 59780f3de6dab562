package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

// SetHomes implements store.Store.
func (db *DB) SetHomes(ctx context.Context, h policy.Homes, by string, at time.Time) error {
	fields := map[string]string{}
	if h.Year < 2000 || h.Year > 2100 {
		fields["year"] = "must be a year from 2000 to 2100"
	}
	if h.LowCostRental < 0 || h.LowCostRental > 10_000_000 {
		fields["low_cost_rental"] = "must be a number of homes from 0 to 10,000,000"
	}
	if h.LowCostHomeOwnership < 0 || h.LowCostHomeOwnership > 10_000_000 {
		fields["low_cost_home_ownership"] = "must be a number of homes from 0 to 10,000,000"
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the homes have invalid fields", Fields: fields}
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO homes (year, low_cost_rental, low_cost_home_ownership, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET low_cost_rental = excluded.low_cost_rental,
		low_cost_home_ownership = excluded.low_cost_home_ownership, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		h.Year, h.LowCostRental, h.LowCostHomeOwnership, store.FormatTime(at), by)
	return err
}

// HomesIn implements store.Store.
func (db *DB) HomesIn(ctx context.Context, year int) (policy.Homes, bool, error) {
	h := policy.Homes{Year: year}
	err := db.r.QueryRowContext(ctx, `SELECT low_cost_rental, low_cost_home_ownership FROM homes WHERE year = ?`, year).
		Scan(&h.LowCostRental, &h.LowCostHomeOwnership)
	if errors.Is(err, sql.ErrNoRows) {
		return policy.Homes{}, false, nil
	}
	return h, err == nil, err
}
