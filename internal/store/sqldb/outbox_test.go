package sqldb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

var outboxNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// outboxCase makes a case to hang messages on and returns its reference.
func outboxCase(t *testing.T, db *DB) string {
	t.Helper()
	p, cal := policytest.Code(t)
	c, err := db.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "email",
			Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: "damp"},
			complaint.Env{Now: outboxNow, Actor: complaint.Actor{Email: "o@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Reference
}

func letter(subject string) store.OutboundMessage {
	return store.OutboundMessage{To: "Resident <r@example.org>", Subject: subject, TextBody: "Dear resident,\n\nThank you.", Kind: "letter"}
}

func enqueue(t *testing.T, db *DB, m store.OutboundMessage, at time.Time) int64 {
	t.Helper()
	id, err := db.Enqueue(context.Background(), m, at)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func claim(t *testing.T, db *DB, now time.Time, limit int) []store.OutboundMessage {
	t.Helper()
	ms, err := db.ClaimDue(context.Background(), now, limit, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func ids(ms []store.OutboundMessage) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestOutboxKeepsAQueuedMessageAcrossARestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "redress.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ref := outboxCase(t, db)
	pdf := bytes.Repeat([]byte("%PDF-1.7 \x00\xff"), 1000)
	m := letter("Your complaint " + ref)
	m.CaseRef = ref
	m.HTMLBody = "<p>Dear resident,</p>"
	m.Attachments = []store.OutboundAttachment{
		{Name: "letter.pdf", ContentType: "application/pdf", Data: pdf},
		{Name: "notes.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("notes")},
	}
	id := enqueue(t, db, m, outboxNow)
	// Enqueue returns after the commit: another handle on the file sees
	// the message at once, and so does the database reopened.
	other, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if list, err := other.Outbox(ctx, ref); err != nil || len(list) != 1 {
		t.Fatalf("another handle sees %d messages (%v), want 1", len(list), err)
	}
	other.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	list, err := db.Outbox(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("Outbox(%s) = %d messages, want 1", ref, len(list))
	}
	got := list[0]
	if got.ID != id || got.Status != store.OutboxQueued || got.Subject != m.Subject || got.To != m.To || got.HTMLBody != m.HTMLBody ||
		got.Kind != "letter" || got.CaseRef != ref || !got.QueuedAt.Equal(outboxNow) || !got.NextAttempt.Equal(outboxNow) || !got.SentAt.IsZero() {
		t.Errorf("listed message = %+v", got)
	}
	if len(got.Attachments) != 2 || got.Attachments[0].Name != "letter.pdf" || got.Attachments[0].Size != int64(len(pdf)) ||
		got.Attachments[0].Data != nil || got.Attachments[1].ContentType != "text/plain; charset=utf-8" {
		t.Errorf("listed attachments = %+v, want names and sizes without data", got.Attachments)
	}

	claimed := claim(t, db, outboxNow, 10)
	if len(claimed) != 1 || len(claimed[0].Attachments) != 2 || !bytes.Equal(claimed[0].Attachments[0].Data, pdf) || string(claimed[0].Attachments[1].Data) != "notes" {
		t.Fatalf("claimed = %d messages, attachments not intact", len(claimed))
	}
	if c := claimed[0]; c.Status != store.OutboxSending || c.Attempts != 1 || c.TextBody != m.TextBody {
		t.Errorf("claimed message = %+v", c)
	}
}

func TestOutboxListsACaseByAnyReferenceAndRefusesUnknownCases(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	ref := outboxCase(t, db)
	other := outboxCase(t, db)
	m := letter("first")
	m.CaseRef = ref
	enqueue(t, db, m, outboxNow)
	m.Subject = "second"
	enqueue(t, db, m, outboxNow.Add(time.Second))
	m.CaseRef = other
	enqueue(t, db, m, outboxNow)
	enqueue(t, db, letter("digest, no case"), outboxNow)
	// A stage 2 reference names the same case.
	var caseID int64
	if err := db.w.QueryRow(`SELECT case_id FROM case_refs WHERE reference = ?`, ref).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(`INSERT INTO case_refs (reference, case_id) VALUES ('S2-2026-000001', ?)`, caseID); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{ref, "S2-2026-000001"} {
		list, err := db.Outbox(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, m := range list {
			subjects = append(subjects, m.Subject)
		}
		if !slices.Equal(subjects, []string{"first", "second"}) {
			t.Errorf("Outbox(%s) = %q, want first and second", r, subjects)
		}
	}
	if _, err := db.Outbox(ctx, "C-2026-999999"); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("Outbox of an unknown case: %v, want not found", err)
	}
	m.CaseRef = "C-2026-999999"
	if _, err := db.Enqueue(ctx, m, outboxNow); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("Enqueue for an unknown case: %v, want not found", err)
	}
}

func TestOutboxClaimsDueMessagesOldestDueFirst(t *testing.T) {
	db := openTemp(t)
	var want []int64
	// Queued in one order, due in another; two are not due yet.
	for _, minutes := range []int{30, -10, 0, -20, 5, -20} {
		m := letter(fmt.Sprintf("due %+d", minutes))
		m.NextAttempt = outboxNow.Add(time.Duration(minutes) * time.Minute)
		id := enqueue(t, db, m, outboxNow.Add(-time.Hour))
		if minutes <= 0 {
			want = append(want, id)
		}
	}
	// want is in queue order; due order is -20 (ids 4, 6), -10 (2), 0 (3).
	want = []int64{want[2], want[3], want[0], want[1]}
	first := claim(t, db, outboxNow, 3)
	rest := claim(t, db, outboxNow, 3)
	if got := append(ids(first), ids(rest)...); !slices.Equal(got, want) {
		t.Errorf("claimed %v then %v, want %v", ids(first), ids(rest), want)
	}
	if more := claim(t, db, outboxNow, 10); len(more) != 0 {
		t.Errorf("claimed %v again within the lease", ids(more))
	}
	if later := claim(t, db, outboxNow.Add(6*time.Minute), 10); len(later) != 1 || later[0].Subject != "due +5" {
		t.Errorf("at +6 min claimed %v, want only the message due at +5", ids(later))
	}
}

func TestOutboxClaimComesBackAfterItsLease(t *testing.T) {
	db := openTemp(t)
	id := enqueue(t, db, letter("crash"), outboxNow)
	first := claim(t, db, outboxNow, 10) // the sender crashes holding it
	if len(first) != 1 || first[0].ID != id || !first[0].NextAttempt.Equal(outboxNow.Add(10*time.Minute)) {
		t.Fatalf("first claim = %+v", first)
	}
	if again := claim(t, db, outboxNow.Add(10*time.Minute-time.Nanosecond), 10); len(again) != 0 {
		t.Fatalf("claimed again before the lease ended: %v", ids(again))
	}
	again := claim(t, db, outboxNow.Add(10*time.Minute), 10)
	if len(again) != 1 || again[0].ID != id || again[0].Attempts != 2 {
		t.Fatalf("after the lease: %+v, want message %d on attempt 2", again, id)
	}
	if err := db.MarkSent(context.Background(), id, "<1.a@example.org>", outboxNow.Add(11*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if later := claim(t, db, outboxNow.Add(time.Hour), 10); len(later) != 0 {
		t.Errorf("a sent message was claimed: %v", ids(later))
	}
}

func TestOutboxMarkSentRecordsTheMessageIDOnce(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	ref := outboxCase(t, db)
	m := letter("sent")
	m.CaseRef = ref
	id := enqueue(t, db, m, outboxNow)
	claim(t, db, outboxNow, 1)
	sentAt := outboxNow.Add(time.Minute)
	if err := db.MarkSent(ctx, id, "<42.abc@landlord.example>", sentAt); err != nil {
		t.Fatal(err)
	}
	// Repeating the same report is harmless; a different one conflicts.
	if err := db.MarkSent(ctx, id, "<42.abc@landlord.example>", sentAt.Add(time.Minute)); err != nil {
		t.Errorf("MarkSent repeated: %v", err)
	}
	if err := db.MarkSent(ctx, id, "<43.abc@landlord.example>", sentAt); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("MarkSent with another Message-ID: %v, want conflict", err)
	}
	if err := db.MarkFailed(ctx, id, "late failure", sentAt, false); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("MarkFailed after sent: %v, want conflict", err)
	}
	if err := db.MarkSent(ctx, 999, "<1.a@example.org>", sentAt); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("MarkSent of an unknown message: %v, want not found", err)
	}
	if err := db.MarkFailed(ctx, 999, "x", sentAt, false); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("MarkFailed of an unknown message: %v, want not found", err)
	}
	if err := db.MarkSent(ctx, id, "no brackets@example.org", sentAt); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("MarkSent with a malformed Message-ID: %v, want invalid", err)
	}
	list, err := db.Outbox(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("Outbox(%s) = %d messages, want 1", ref, len(list))
	}
	if got := list[0]; got.Status != store.OutboxSent || got.MessageID != "<42.abc@landlord.example>" || !got.SentAt.Equal(sentAt) {
		t.Errorf("after MarkSent: %+v", got)
	}
}

func TestOutboxMarkFailedRetriesAtNextOrGivesUp(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	retry := enqueue(t, db, letter("retry"), outboxNow)
	give := enqueue(t, db, letter("give up"), outboxNow)
	claim(t, db, outboxNow, 10)
	next := outboxNow.Add(2 * time.Minute)
	if err := db.MarkFailed(ctx, retry, "dial tcp 127.0.0.1:25: connection refused", next, false); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 3000)
	if err := db.MarkFailed(ctx, give, "550 5.1.1 no such user "+long, time.Time{}, true); err != nil {
		t.Fatal(err)
	}
	if early := claim(t, db, next.Add(-time.Second), 10); len(early) != 0 {
		t.Errorf("claimed before its next attempt: %v", ids(early))
	}
	due := claim(t, db, next, 10)
	if len(due) != 1 || due[0].ID != retry || due[0].Attempts != 2 || due[0].LastError != "dial tcp 127.0.0.1:25: connection refused" {
		t.Fatalf("at the next attempt claimed %+v, want only the retry on attempt 2 with its last error", due)
	}
	if err := db.MarkFailed(ctx, give, "again", next, false); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("MarkFailed of a failed message: %v, want conflict", err)
	}
	var status, lastErr string
	if err := db.r.QueryRow(`SELECT status, last_error FROM outbox WHERE id = ?`, give).Scan(&status, &lastErr); err != nil {
		t.Fatal(err)
	}
	if status != store.OutboxFailed || len(lastErr) > 2000 || !strings.HasPrefix(lastErr, "550 5.1.1") || !strings.HasSuffix(lastErr, "é") {
		t.Errorf("failed message: status %s, last error of %d bytes %.20q", status, len(lastErr), lastErr)
	}
	if later := claim(t, db, outboxNow.Add(72*time.Hour), 10); slices.Contains(ids(later), give) {
		t.Error("a permanently failed message was claimed")
	}
}

func TestOutboxDedupeKeyQueuesOnce(t *testing.T) {
	db := openTemp(t)
	m := letter("Your daily digest")
	m.Kind = "digest"
	m.DedupeKey = "digest:o@example.org:2026-11-23"
	first := enqueue(t, db, m, outboxNow)
	m.Subject = "Your daily digest, run again"
	if again := enqueue(t, db, m, outboxNow.Add(time.Hour)); again != first {
		t.Errorf("second enqueue with the same key = %d, want %d", again, first)
	}
	m.DedupeKey = "digest:o@example.org:2026-11-24"
	if next := enqueue(t, db, m, outboxNow.Add(24*time.Hour)); next == first {
		t.Error("a new key reused the old message")
	}
	// Messages without a key never collide with each other.
	a := enqueue(t, db, letter("a"), outboxNow)
	b := enqueue(t, db, letter("b"), outboxNow)
	if a == b {
		t.Error("two messages without keys shared an id")
	}
	got := claim(t, db, outboxNow.Add(48*time.Hour), 10)
	if len(got) != 4 {
		t.Errorf("claimed %d messages, want 4 with the first digest kept as queued", len(got))
	} else if got[0].Subject != "Your daily digest" {
		t.Errorf("claimed 4 messages (first %q), want the first digest kept as queued", got[0].Subject)
	}
}

func TestOutboxRejectsInvalidMessages(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	big := make([]byte, store.MaxOutboundAttachmentBytes/2+1)
	tests := []struct {
		name   string
		edit   func(*store.OutboundMessage)
		fields []string
	}{
		{"no recipient", func(m *store.OutboundMessage) { m.To = "" }, []string{"to"}},
		{"not an address", func(m *store.OutboundMessage) { m.To = "resident at example.org" }, []string{"to"}},
		{"two addresses", func(m *store.OutboundMessage) { m.To = "a@example.org, b@example.org" }, []string{"to"}},
		{"header injection", func(m *store.OutboundMessage) { m.To = "a@example.org\r\nBcc: b@example.org" }, []string{"to"}},
		{"no subject", func(m *store.OutboundMessage) { m.Subject = "  " }, []string{"subject"}},
		{"subject on two lines", func(m *store.OutboundMessage) { m.Subject = "a\r\nBcc: b@example.org" }, []string{"subject"}},
		{"no text", func(m *store.OutboundMessage) { m.TextBody = "" }, []string{"text_body"}},
		{"no kind", func(m *store.OutboundMessage) { m.Kind = "" }, []string{"kind"}},
		{"bad message id", func(m *store.OutboundMessage) { m.MessageID = "abc" }, []string{"message_id"}},
		{"everything at once", func(m *store.OutboundMessage) { m.To, m.Subject, m.Kind = "x", "", "Letter!" }, []string{"kind", "subject", "to"}},
		{"bad attachment", func(m *store.OutboundMessage) {
			m.Attachments = []store.OutboundAttachment{
				{Name: "ok.pdf", ContentType: "application/pdf", Data: []byte("x")},
				{Name: "../etc/passwd", ContentType: "pdf", Data: nil},
			}
		}, []string{"attachments.1.content_type", "attachments.1.data", "attachments.1.name"}},
		{"attachments over 10 MB", func(m *store.OutboundMessage) {
			m.Attachments = []store.OutboundAttachment{
				{Name: "a.pdf", ContentType: "application/pdf", Data: big},
				{Name: "b.pdf", ContentType: "application/pdf", Data: big},
			}
		}, []string{"attachments"}},
		{"too many attachments", func(m *store.OutboundMessage) {
			for i := range store.MaxOutboundAttachments + 1 {
				m.Attachments = append(m.Attachments, store.OutboundAttachment{Name: fmt.Sprint(i), ContentType: "text/plain", Data: []byte("x")})
			}
		}, []string{"attachments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := letter("subject")
			tt.edit(&m)
			_, err := db.Enqueue(ctx, m, outboxNow)
			var e *complaint.Error
			if !errors.As(err, &e) || e.Code != complaint.Invalid {
				t.Fatalf("Enqueue = %v, want invalid", err)
			}
			var fields []string
			for f := range e.Fields {
				fields = append(fields, f)
			}
			slices.Sort(fields)
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("invalid fields %q, want %q", fields, tt.fields)
			}
		})
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d messages were queued from invalid input (%v)", n, err)
	}
	// Exactly 10 MB is allowed.
	m := letter("ten megabytes")
	m.Attachments = []store.OutboundAttachment{{Name: "a.bin", ContentType: "application/octet-stream", Data: make([]byte, store.MaxOutboundAttachmentBytes)}}
	enqueue(t, db, m, outboxNow)
}

func TestOutboxConcurrentClaimsNeverShareAMessage(t *testing.T) {
	db := openTemp(t)
	const n = 60
	for i := range n {
		enqueue(t, db, letter(fmt.Sprint(i)), outboxNow)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for {
				ms, err := db.ClaimDue(context.Background(), outboxNow, 4, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("claimed %d distinct messages, want %d", len(seen), n)
	}
	for id, times := range seen {
		if times != 1 {
			t.Errorf("message %d claimed %d times", id, times)
		}
	}
}

func TestOutboxClaimSearchesTheDueIndex(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	plan := queryPlan(t, db, claimQuery, store.FormatTime(outboxNow), 10)
	if len(plan) != 1 || !strings.HasPrefix(plan[0], "SEARCH outbox USING INDEX outbox_due (next_attempt<?)") {
		t.Errorf("claim query plan = %q, want one search of outbox_due and no sort", plan)
	}
}
