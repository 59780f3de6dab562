package store

import (
	"context"
	"time"
)

// SavedView is a named filter of the case list (issue 22, item 2): the
// list's query string, kept so that a person can come back to the cases
// they work from without building the filter again. A shared view,
// made by a manager, is listed for everyone.
type SavedView struct {
	ID int64 `json:"id"`
	// OwnerID is the user who saved it.
	OwnerID int64  `json:"owner_id"`
	Name    string `json:"name"`
	// Query is the case list's query string, without a page cursor.
	Query     string    `json:"query"`
	Shared    bool      `json:"shared"`
	CreatedAt time.Time `json:"created_at"`
}

// SavedViewStore keeps saved views. Who may share or delete one is the
// pages' rule; the store keeps what it is given. Store embeds it.
type SavedViewStore interface {
	// SaveView saves a new view and returns it with its id. A second
	// view of the same name for the same owner is a conflict error on
	// the field "name".
	SaveView(ctx context.Context, v SavedView) (SavedView, error)
	// SavedViews returns the views a user sees: their own and every
	// shared one, by name.
	SavedViews(ctx context.Context, userID int64) ([]SavedView, error)
	// SavedView returns view id, or a not_found error.
	SavedView(ctx context.Context, id int64) (SavedView, error)
	// DeleteView deletes view id, or is a not_found error if there is
	// none.
	DeleteView(ctx context.Context, id int64) error
}
