package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

func TestEventsAfterReadsEveryCaseInIDOrder(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	seed(t, db)
	evs, err := db.EventsAfter(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, fmt.Sprintf("%s#%d:%s", e.CaseRef, e.Event.Seq, e.Event.Kind))
	}
	want := "C-2026-000001#1:created C-2026-000002#1:created C-2026-000001#2:note_added C-2026-000002#2:note_added"
	if strings.Join(got, " ") != want {
		t.Fatalf("events %v, want %s", got, want)
	}
	for i, e := range evs {
		if e.ID != int64(i+1) || e.Event.At.IsZero() || e.Event.RecordedAt.IsZero() || e.Event.Hash == "" {
			t.Errorf("event %d: %+v", i, e)
		}
	}
	if data, ok := evs[2].Event.Data.(json.RawMessage); !ok || !strings.Contains(string(data), "note on C-2026-000001") {
		t.Errorf("event data %s", evs[2].Event.Data)
	}
	page, err := db.EventsAfter(ctx, 2, 1)
	if err != nil || len(page) != 1 || page[0].ID != 3 {
		t.Fatalf("after 2, limit 1: %+v, %v", page, err)
	}
	if rest, err := db.EventsAfter(ctx, 4, 10); err != nil || len(rest) != 0 {
		t.Fatalf("after the last: %+v, %v", rest, err)
	}
	if _, err := db.EventsAfter(ctx, 0, 0); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("limit 0: %v", err)
	}
}

func notice(ref, key string) store.PendingNotice {
	return store.PendingNotice{Message: store.OutboundMessage{CaseRef: ref, To: "r@example.org", Subject: "Your case " + ref,
		TextBody: "It has moved.", Kind: "notice_created", DedupeKey: key}}
}

func TestRecordNoticesMovesTheCursorWithTheMessages(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	seed(t, db)
	now := time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)
	if cur, err := db.NotifyCursor(ctx); err != nil || cur != 0 {
		t.Fatalf("a new database's cursor: %d, %v", cur, err)
	}
	withSurvey := notice("C-2026-000001", "notice:1:r@example.org")
	withSurvey.Invite = &store.SurveyInvite{TokenHash: strings.Repeat("ab", 32), CaseRef: "C-2026-000001", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	n, err := db.RecordNotices(ctx, 0, 2, []store.PendingNotice{withSurvey, notice("C-2026-000002", "notice:2:r@example.org")}, now)
	if err != nil || n != 2 {
		t.Fatalf("recorded %d, %v", n, err)
	}
	if cur, err := db.NotifyCursor(ctx); err != nil || cur != 2 {
		t.Fatalf("cursor %d, %v; want 2", cur, err)
	}
	if inv, err := db.SurveyInviteByHash(ctx, strings.Repeat("ab", 32)); err != nil || inv.CaseRef != "C-2026-000001" {
		t.Fatalf("invitation %+v, %v", inv, err)
	}

	// A relay that read the cursor at 0 is too late: nothing it decided
	// is saved.
	late := notice("C-2026-000001", "notice:99:r@example.org")
	if _, err := db.RecordNotices(ctx, 0, 3, []store.PendingNotice{late}, now); complaint.ErrorCode(err) != complaint.Conflict {
		t.Fatalf("a stale cursor: %v", err)
	}
	if ms, err := db.Outbox(ctx, "C-2026-000001"); err != nil {
		t.Fatal(err)
	} else if len(ms) != 1 {
		t.Fatalf("the stale relay's message was saved: %d messages", len(ms))
	}

	// A replay of a queued notice queues nothing and stores no second
	// invitation; a new one is queued; an invalid one saves nothing,
	// the cursor included.
	again := notice("C-2026-000001", "notice:1:r@example.org")
	again.Invite = &store.SurveyInvite{TokenHash: strings.Repeat("cd", 32), CaseRef: "C-2026-000001", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	bad := notice("C-2026-000002", "notice:4:r@example.org")
	bad.Message.To = "not an address"
	if _, err := db.RecordNotices(ctx, 2, 4, []store.PendingNotice{again, notice("C-2026-000002", "notice:3:r@example.org"), bad}, now); complaint.ErrorCode(err) != complaint.Invalid {
		t.Fatalf("an invalid notice: %v", err)
	}
	if cur, err := db.NotifyCursor(ctx); err != nil || cur != 2 {
		t.Fatalf("cursor %d, %v after a failed batch; want 2", cur, err)
	}
	n, err = db.RecordNotices(ctx, 2, 4, []store.PendingNotice{again, notice("C-2026-000002", "notice:3:r@example.org")}, now)
	if err != nil || n != 1 {
		t.Fatalf("recorded %d, %v; want the new one only", n, err)
	}
	if _, err := db.SurveyInviteByHash(ctx, strings.Repeat("cd", 32)); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("the replayed notice stored an invitation: %v", err)
	}
	if ms, err := db.Outbox(ctx, "C-2026-000002"); err != nil {
		t.Errorf("case 2's messages: %v", err)
	} else if len(ms) != 2 {
		t.Errorf("case 2 has %d messages, want 2", len(ms))
	}
	if _, err := db.RecordNotices(ctx, 4, 3, nil, now); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("moving the cursor back: %v", err)
	}
	noKey := notice("C-2026-000002", "")
	if _, err := db.RecordNotices(ctx, 4, 4, []store.PendingNotice{noKey}, now); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a notice without a dedupe key: %v", err)
	}
	if err := db.SetNotifyCursor(ctx, 1, now); err != nil {
		t.Fatal(err)
	}
	if cur, err := db.NotifyCursor(ctx); err != nil || cur != 1 {
		t.Errorf("cursor %d, %v after setting it to 1", cur, err)
	}
}

func TestEnqueueNewCountsOnlyNewMessages(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	digest := func(to string) store.OutboundMessage {
		return store.OutboundMessage{To: to, Subject: "Due today", TextBody: "Nothing much", Kind: "digest", DedupeKey: "digest:2026-12-01:" + to}
	}
	n, err := db.EnqueueNew(ctx, []store.OutboundMessage{digest("a@example.org"), digest("b@example.org")}, now)
	if err != nil || n != 2 {
		t.Fatalf("queued %d, %v", n, err)
	}
	n, err = db.EnqueueNew(ctx, []store.OutboundMessage{digest("a@example.org"), digest("c@example.org")}, now)
	if err != nil || n != 1 {
		t.Fatalf("queued %d, %v; want c's only", n, err)
	}
	ms, err := db.ClaimDue(ctx, now, 100, time.Minute)
	if err != nil || len(ms) != 3 {
		t.Fatalf("%d messages in the outbox, %v", len(ms), err)
	}
}

// TestNotifyCursorStartsAtTheEndOfAnExistingLog applies the notice
// migration to a database that already holds events: its residents are
// not told of its history.
func TestNotifyCursorStartsAtTheEndOfAnExistingLog(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	sqliteOnly(t, db)
	seed(t, db)
	_, sqls, err := migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	// Take the database back to before the migration, and apply it.
	if _, err := db.w.ExecContext(ctx, `DROP TABLE notify_cursor`); err != nil {
		t.Fatal(err)
	}
	notify, ok := sqls[15]
	if !ok {
		t.Fatal("there is no migration 15, the notice migration")
	}
	if _, err := db.w.ExecContext(ctx, notify); err != nil {
		t.Fatal(err)
	}
	if cur, err := db.NotifyCursor(ctx); err != nil || cur != 4 {
		t.Fatalf("cursor %d, %v; want 4, the last event", cur, err)
	}
}
