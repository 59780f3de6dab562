package store

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// SafetyStore is what the health-and-safety flag needs of storage (issue
// 12, rule 10; 003): the staff dashboard's list of flagged contacts no
// senior manager has acknowledged, and, for the notice relay, every
// flagging not yet alerted, found by its own query so that a backlog of
// other events never delays the alert. Store embeds it.
type SafetyStore interface {
	// SafetyWaiting returns every case the viewer may see that is
	// flagged as a health-and-safety risk and not yet acknowledged by a
	// senior manager (complaint.Case.SafetyWaiting), whatever its status,
	// longest received first.
	SafetyWaiting(ctx context.Context, v Viewer) ([]complaint.Case, error)
	// PendingSafetyFlags returns up to limit flag events whose senior
	// managers' alerts have not been queued, oldest first, each with its
	// case's reference: a created event of a case logged flagged, or a
	// safety_flag_set event that set the flag. Every such event is
	// pending from the moment it is recorded, in the same transaction.
	PendingSafetyFlags(ctx context.Context, limit int) ([]CaseEvent, error)
	// RecordSafetyAlerts, in one transaction, queues every message whose
	// DedupeKey (required) is not already in the outbox and marks the
	// flag events eventIDs as alerted at at, and returns how many
	// messages were new. An event given with no message (its case was
	// cleared or acknowledged before the alert went, say) is marked all
	// the same.
	RecordSafetyAlerts(ctx context.Context, eventIDs []int64, ms []OutboundMessage, at time.Time) (queued int, err error)
}
