package app

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/store"
)

// retentionBatch is the most cases one retention run anonymises: each is
// one transaction on the database's one writer, so a first run on years
// of closed cases is spread over hourly runs rather than holding up the
// staff's writes for minutes.
const retentionBatch = 200

// retention anonymises, once a day (London date), the closed cases whose
// retention period has passed and that are not held, checking every
// `every` whether a day has begun or the last run left some for later.
// What is due is read from the cases each time, so a run missed while
// Redress was stopped is simply the next run's work.
func (a *App) retention(ctx context.Context, every time.Duration) {
	st, ok := a.Store.(store.RetentionStore)
	if !ok {
		a.log.Warn("retention: this store cannot anonymise cases; closed cases are kept")
		return
	}
	var lastDay calendar.Date
	run := func() {
		now := a.now()
		today := calendar.DateOf(now)
		if today == lastDay {
			return
		}
		res, err := store.RunRetention(ctx, st, a.Policy.Retention, now, retentionBatch, false, a.log)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			a.log.Error("retention run failed", "err", err)
			return
		}
		if res.Remaining == 0 && res.Failed == 0 {
			lastDay = today
		}
	}
	run()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			run()
		}
	}
}
