package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Saved views of the case list (issue 22, item 2; store.SavedViewStore).

const savedViewColumns = `id, owner_id, name, query, shared, created_at`

func scanSavedView(sc scanner) (store.SavedView, error) {
	var v store.SavedView
	var shared int
	var at string
	if err := sc.Scan(&v.ID, &v.OwnerID, &v.Name, &v.Query, &shared, &at); err != nil {
		return v, err
	}
	v.Shared = shared == 1
	v.CreatedAt, _ = store.ParseTime(at)
	return v, nil
}

// SaveView implements store.SavedViewStore.
func (db *DB) SaveView(ctx context.Context, v store.SavedView) (store.SavedView, error) {
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		shared := 0
		if v.Shared {
			shared = 1
		}
		return tx.QueryRowContext(ctx, `INSERT INTO saved_views (owner_id, name, query, shared, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			v.OwnerID, v.Name, v.Query, shared, store.FormatTime(v.CreatedAt)).Scan(&v.ID)
	})
	if isConstraint(err, uniqueViolation) {
		return store.SavedView{}, complaint.ConflictField("name", "a view of that name exists", "you already have a view called %q: choose another name or delete that one", v.Name)
	}
	return v, err
}

// SavedViews implements store.SavedViewStore.
func (db *DB) SavedViews(ctx context.Context, userID int64) ([]store.SavedView, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+savedViewColumns+` FROM saved_views WHERE owner_id = ? OR shared = 1 ORDER BY name, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SavedView
	for rows.Next() {
		v, err := scanSavedView(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SavedView implements store.SavedViewStore.
func (db *DB) SavedView(ctx context.Context, id int64) (store.SavedView, error) {
	v, err := scanSavedView(db.r.QueryRowContext(ctx, `SELECT `+savedViewColumns+` FROM saved_views WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, complaint.Errorf(complaint.NotFound, "there is no saved view %d", id)
	}
	return v, err
}

// DeleteView implements store.SavedViewStore.
func (db *DB) DeleteView(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM saved_views WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, complaint.Errorf(complaint.NotFound, "there is no saved view %d", id))
		}
		return nil
	})
}
