package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestTheDailyRetentionJobAnonymisesWhatIsDueAndLogsOnlyCounts starts
// the job on a store with a compliment closed three years before the
// app's clock (compliments are kept two): the job anonymises it, and its
// log line gives counts, never the reference or the resident.
func TestTheDailyRetentionJobAnonymisesWhatIsDueAndLogsOnlyCounts(t *testing.T) {
	ctx := context.Background()
	var logged lockedBuffer
	a, err := New(ctx, Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey()}, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	now := time.Date(2031, 3, 10, 12, 0, 0, 0, time.UTC)
	a.now = func() time.Time { return now }
	recv := now.AddDate(-3, 0, -7)
	env := complaint.Env{Now: recv, Actor: complaint.Actor{Email: "o@example.org"}, Policy: a.Policy, Calendar: a.Cal}
	c, err := a.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		env.NewReference = ref
		return complaint.NewCase(complaint.Create{Kind: complaint.KindCompliment, Channel: "email", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Happy Resident", Email: "happy@example.org"}, Summary: "Thanks to the repairs team"}, env)
	})
	if err != nil {
		t.Fatal(err)
	}
	env.At, env.Now = recv.AddDate(0, 0, 1), recv.AddDate(0, 0, 1)
	if _, err := a.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, _ store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Close{}, env)
	}); err != nil {
		t.Fatal(err)
	}

	jobCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); a.retention(jobCtx, time.Hour) }()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for !strings.Contains(logged.String(), "retention run") {
		select {
		case <-deadline.C:
			t.Fatalf("the job did not run; log:\n%s", logged.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	got, err := a.Store.GetCase(ctx, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.Anonymisation == nil || got.Complainant.Name == "Happy Resident" || !strings.Contains(got.Anonymisation.Rule, "compliment: 2 years") || !got.Anonymisation.At.Equal(now) {
		t.Errorf("anonymised: %+v %+v", got.Complainant, got.Anonymisation)
	}
	stop()
	<-done
	log := logged.String()
	if !strings.Contains(log, "retention run") || !strings.Contains(log, "anonymised=1") {
		t.Errorf("the log does not count the run:\n%s", log)
	}
	if strings.Contains(log, c.Reference) || strings.Contains(log, "Happy") || strings.Contains(log, "happy@") {
		t.Errorf("the log names the case or the resident:\n%s", log)
	}
	if rep, err := a.Store.VerifyAudit(ctx); err != nil || !rep.OK || len(rep.Anonymised) != 1 {
		t.Errorf("audit: %+v, %v", rep, err)
	}
}
