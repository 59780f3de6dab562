package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/store"
)

// outboxBacklogQuery counts the messages waiting to be sent and finds the
// oldest. Its condition is the partial index outbox_due's, so it reads
// only that index's rows (and their messages' queued_at), never the mail
// already sent: its cost is the backlog's size, which is small when mail
// flows.
const outboxBacklogQuery = `SELECT count(*), coalesce(min(queued_at), '') FROM outbox WHERE status IN ('queued', 'sending')`

// OutboxBacklog returns how many messages in the outbox are waiting to
// be sent (queued, or claimed by a sender and not yet sent) and when the
// oldest of them was queued (zero when there are none). It is read for
// the metrics on every scrape, so it is one indexed query.
func (db *DB) OutboxBacklog(ctx context.Context) (unsent int, oldest time.Time, err error) {
	var at string
	if err := db.r.QueryRowContext(ctx, outboxBacklogQuery).Scan(&unsent, &at); err != nil {
		return 0, time.Time{}, fmt.Errorf("outbox backlog: %w", err)
	}
	if at == "" {
		return unsent, time.Time{}, nil
	}
	if oldest, err = store.ParseTime(at); err != nil {
		return 0, time.Time{}, fmt.Errorf("outbox backlog: oldest message: %w", err)
	}
	return unsent, oldest, nil
}

// overdueQuery counts the cases whose next deadline is before a day, by
// stage. Only an open case has a next deadline (complaint.Case.NextDue),
// and "next_due < ?" lets the planner read the range of the partial
// index cases_next_due up to that day rather than every case.
const overdueQuery = `SELECT stage, count(*) FROM cases WHERE next_due < ? GROUP BY stage ORDER BY stage`

// OverdueByStage counts the open cases whose next deadline fell before
// today, by stage: the same cases as the case list's "overdue" filter.
// Stages with none are absent from the map.
func (db *DB) OverdueByStage(ctx context.Context, today calendar.Date) (map[int]int, error) {
	rows, err := db.r.QueryContext(ctx, overdueQuery, today.String())
	if err != nil {
		return nil, fmt.Errorf("overdue cases: %w", err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var stage, n int
		if err := rows.Scan(&stage, &n); err != nil {
			return nil, fmt.Errorf("overdue cases: %w", err)
		}
		out[stage] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("overdue cases: %w", err)
	}
	return out, nil
}
