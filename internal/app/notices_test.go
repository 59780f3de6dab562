package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestServeMakesInAppNoticesWithoutAMailServer: with no mail server (and
// email notices turned off too), a case assigned while Redress serves
// gives its new handler an in-app notice within a few of the processor's
// intervals, made by Serve's own background work.
func TestServeMakesInAppNoticesWithoutAMailServer(t *testing.T) {
	ctx := context.Background()
	a, err := New(ctx, Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), NoNotices: true}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ann, err := a.Store.CreateUser(ctx, store.User{Email: "ann@example.org", Name: "Ann", Role: "officer"})
	if err != nil {
		t.Fatal(err)
	}
	serve(t, a)
	now := a.now()
	env := complaint.Env{Now: now, Actor: complaint.Actor{Email: "boss@example.org", Role: "manager"}, Policy: a.Policy, Calendar: a.Cal}
	c, err := a.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		env.NewReference = ref
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &now,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "Leaking roof"}, env)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		env.NewReference = nr
		return complaint.Decide(c, complaint.Assign{Handler: ann.Email, HandlerRole: "officer"}, env)
	}); err != nil {
		t.Fatal(err)
	}
	// Waiting, not timing: the bound is generous for a loaded machine.
	for waited := time.Duration(0); ; waited += 100 * time.Millisecond {
		ns, err := a.Store.StaffNotices(ctx, ann.ID, store.Viewer{Email: ann.Email}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) == 1 && ns[0].Kind == store.NoticeAssigned && ns[0].CaseRef == c.Reference {
			return
		}
		if len(ns) > 1 || waited > 6*NoticeInterval {
			t.Fatalf("after %s ann has notices %+v, want one of %s assigned", waited, ns, c.Reference)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
