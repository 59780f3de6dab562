package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// InviteToSurvey implements store.Store.
func (db *DB) InviteToSurvey(ctx context.Context, inv store.SurveyInvite) error {
	if len(inv.TokenHash) != 64 {
		return complaint.InvalidField("token_hash", "must be a SHA-256 in hex")
	}
	c, err := getCase(ctx, db.r, inv.CaseRef, "")
	if err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, `INSERT INTO survey_invites (token_hash, case_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		inv.TokenHash, c.ID, store.FormatTime(inv.CreatedAt), store.FormatTime(inv.ExpiresAt))
	return err
}

func surveyInvite(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, tokenHash, lock string) (store.SurveyInvite, error) {
	var inv store.SurveyInvite
	var created, expires string
	var used sql.NullString
	err := q.QueryRowContext(ctx, `SELECT i.token_hash, c.reference, i.created_at, i.expires_at, i.used_at
		FROM survey_invites i JOIN cases c ON c.id = i.case_id WHERE i.token_hash = ?`+lock, tokenHash).
		Scan(&inv.TokenHash, &inv.CaseRef, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, complaint.Errorf(complaint.NotFound, "there is no such survey link")
	}
	if err != nil {
		return inv, err
	}
	inv.CreatedAt, _ = store.ParseTime(created)
	inv.ExpiresAt, _ = store.ParseTime(expires)
	if used.Valid {
		inv.UsedAt, _ = store.ParseTime(used.String)
	}
	return inv, nil
}

// SurveyInviteByHash implements store.Store.
func (db *DB) SurveyInviteByHash(ctx context.Context, tokenHash string) (store.SurveyInvite, error) {
	return surveyInvite(ctx, db.r, tokenHash, "")
}

// AnswerSurvey implements store.Store.
func (db *DB) AnswerSurvey(ctx context.Context, tokenHash, answer, comment string, at time.Time) (store.SurveyInvite, error) {
	if !slices.Contains(report.SurveyAnswers, answer) {
		return store.SurveyInvite{}, complaint.InvalidField("answer", "%q is not an answer: want %s", answer, strings.Join(report.SurveyAnswers, ", "))
	}
	if len(comment) > 5000 {
		return store.SurveyInvite{}, complaint.InvalidField("comment", "must be at most 5,000 characters")
	}
	return db.recordSurveyAnswers(ctx, tokenHash, store.SurveyAnswers{Handling: answer, Comment: comment}, at)
}
