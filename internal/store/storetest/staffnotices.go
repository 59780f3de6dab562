package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// RunStaffNotices is the conformance suite of store.StaffNoticeStore,
// the staff's in-app notices (issue 22, item 2). It is run beside Run,
// from a test of its own, so that it can be added without touching
// Run's table. open must return a new, empty store for each call.
func RunStaffNotices(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"AreStoredOnceByKeyAndReadByTheirUserOnly", testStaffNoticesOnceAndRead},
		{"CursorMovesOnlyFromWhereItWasWithItsNotices", testStaffNoticeCursor},
		{"AboutAConfidentialCaseAreHiddenFromWhoCannotSeeIt", testStaffNoticesConfidential},
		{"BadNoticesAreRefusedNamingTheField", testStaffNoticesInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// noticeUser creates a user for the notices' tests.
func noticeUser(t *testing.T, s store.Store, email, role string) store.User {
	t.Helper()
	u, err := s.CreateUser(ctx, store.User{Email: email, Name: email, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func testStaffNoticesOnceAndRead(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Damp in the bedroom")
	ann := noticeUser(t, s, "ann@example.org", "officer")
	bob := noticeUser(t, s, "bob@example.org", "officer")
	due := calendar.DateOf(w.now).AddDays(1)
	ns := []store.StaffNotice{
		{UserID: ann.ID, CaseRef: c.Reference, Kind: store.NoticeAssigned, EventID: 2, Key: "event:2:ann"},
		{UserID: ann.ID, CaseRef: c.Reference, Kind: store.NoticeDueTomorrow, Due: due, Key: "due:ann"},
		{UserID: bob.ID, CaseRef: c.Reference, Kind: store.NoticeNewInformation, EventID: 3, Key: "event:3:bob"},
	}
	added, err := s.AddStaffNotices(ctx, ns, w.now)
	if err != nil || added != 3 {
		t.Fatalf("adding three notices: %d added, %v", added, err)
	}
	// Again, and with one new among them: only the new one is added.
	again := append(slices.Clone(ns), store.StaffNotice{UserID: bob.ID, CaseRef: c.Reference, Kind: store.NoticeStage2Requested, EventID: 4, Key: "event:4:bob"})
	if added, err := s.AddStaffNotices(ctx, again, w.now.Add(time.Minute)); err != nil || added != 1 {
		t.Fatalf("adding the same notices and one more: %d added, %v; want 1", added, err)
	}
	everyone := store.Viewer{Email: ann.Email}
	got, err := s.StaffNotices(ctx, ann.ID, everyone, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Kind != store.NoticeDueTomorrow || got[1].Kind != store.NoticeAssigned {
		t.Fatalf("ann's notices, newest first: %+v", got)
	}
	if got[0].Due != due || got[0].CaseRef != c.Reference || !got[0].CreatedAt.Equal(w.now) || !got[0].ReadAt.IsZero() || got[1].EventID != 2 {
		t.Errorf("the due notice read back as %+v", got[0])
	}
	if n, err := s.UnreadStaffNotices(ctx, ann.ID, everyone); err != nil || n != 2 {
		t.Fatalf("ann has %d unread (%v), want 2", n, err)
	}
	// Opening one marks it read, once: opening it again keeps the first
	// time.
	opened := w.now.Add(time.Hour)
	n, err := s.ReadStaffNotice(ctx, ann.ID, got[1].ID, opened)
	if err != nil || !n.ReadAt.Equal(opened) || n.CaseRef != c.Reference {
		t.Fatalf("opening ann's notice: %+v, %v", n, err)
	}
	if n, err := s.ReadStaffNotice(ctx, ann.ID, got[1].ID, opened.Add(time.Hour)); err != nil || !n.ReadAt.Equal(opened) {
		t.Errorf("opening it again: %+v, %v; want it read at %v still", n, err, opened)
	}
	if n, err := s.UnreadStaffNotices(ctx, ann.ID, everyone); err != nil || n != 1 {
		t.Errorf("ann has %d unread after opening one (%v), want 1", n, err)
	}
	// Bob cannot open Ann's notice, nor mark it read.
	if _, err := s.ReadStaffNotice(ctx, bob.ID, got[0].ID, opened); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("bob opening ann's notice: %v, want not found", err)
	}
	if n, err := s.UnreadStaffNotices(ctx, ann.ID, everyone); err != nil || n != 1 {
		t.Errorf("ann has %d unread after bob tried hers (%v), want 1", n, err)
	}
	// Mark all read: Ann's only.
	if n, err := s.ReadAllStaffNotices(ctx, ann.ID, opened); err != nil || n != 1 {
		t.Errorf("marking all ann's read marked %d (%v), want 1", n, err)
	}
	if n, err := s.UnreadStaffNotices(ctx, ann.ID, everyone); err != nil || n != 0 {
		t.Errorf("ann has %d unread after marking all read (%v), want 0", n, err)
	}
	if n, err := s.UnreadStaffNotices(ctx, bob.ID, store.Viewer{Email: bob.Email}); err != nil || n != 2 {
		t.Errorf("bob has %d unread after ann marked hers read (%v), want 2", n, err)
	}
	if _, err := s.StaffNotices(ctx, ann.ID, everyone, 0); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a limit of 0: %v, want invalid", err)
	}
}

func testStaffNoticeCursor(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Noise from next door")
	ann := noticeUser(t, s, "ann@example.org", "officer")
	// A new database's cursor is where the migration started it: at the
	// newest event then, none.
	from, err := s.StaffNoticeCursor(ctx)
	if err != nil || from != 0 {
		t.Fatalf("a new database's cursor is %d (%v), want 0", from, err)
	}
	n := store.StaffNotice{UserID: ann.ID, CaseRef: c.Reference, Kind: store.NoticeAssigned, EventID: 1, Key: "event:1:ann"}
	if added, err := s.RecordStaffNotices(ctx, 0, 1, []store.StaffNotice{n}, w.now); err != nil || added != 1 {
		t.Fatalf("recording: %d added, %v", added, err)
	}
	if at, err := s.StaffNoticeCursor(ctx); err != nil || at != 1 {
		t.Fatalf("the cursor is at %d (%v), want 1", at, err)
	}
	// A processor that read the cursor at 0 has been overtaken: nothing
	// it decided is saved, the cursor stays.
	late := store.StaffNotice{UserID: ann.ID, CaseRef: c.Reference, Kind: store.NoticeStage2Requested, EventID: 1, Key: "late"}
	if _, err := s.RecordStaffNotices(ctx, 0, 1, []store.StaffNotice{late}, w.now); complaint.ErrorCode(err) != complaint.Conflict {
		t.Fatalf("recording from a cursor moved on: %v, want conflict", err)
	}
	if got, _ := s.StaffNotices(ctx, ann.ID, store.Viewer{Email: ann.Email}, 10); len(got) != 1 {
		t.Errorf("after the refused batch ann has %d notices, want 1", len(got))
	}
	// The same notice again, with the cursor moved on: not a second one.
	if added, err := s.RecordStaffNotices(ctx, 1, 5, []store.StaffNotice{n}, w.now); err != nil || added != 0 {
		t.Errorf("recording a stored notice again: %d added, %v; want 0", added, err)
	}
	if at, _ := s.StaffNoticeCursor(ctx); at != 5 {
		t.Errorf("the cursor is at %d, want 5", at)
	}
	if _, err := s.RecordStaffNotices(ctx, 5, 4, nil, w.now); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("moving the cursor back: %v, want invalid", err)
	}
}

func testStaffNoticesConfidential(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	cmd := complaintCmd("About a member of staff", w.now)
	cmd.Confidential = true
	secret := w.create(t, s, cmd) // logged by officer@example.org, so it names them
	plain := w.create(t, s, complaintCmd("Ordinary", w.now))
	ann := noticeUser(t, s, "ann@example.org", "officer")
	ns := []store.StaffNotice{
		{UserID: ann.ID, CaseRef: secret.Reference, Kind: store.NoticeStage2Requested, Key: "secret"},
		{UserID: ann.ID, CaseRef: plain.Reference, Kind: store.NoticeStage2Requested, Key: "plain"},
	}
	if _, err := s.AddStaffNotices(ctx, ns, w.now); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		v    store.Viewer
		want []string
	}{
		{store.Viewer{Email: ann.Email}, []string{plain.Reference}},
		{store.Viewer{Email: "ANN@example.org"}, []string{plain.Reference}},
		{store.Viewer{Email: officer}, []string{plain.Reference, secret.Reference}},
		{store.Viewer{Email: ann.Email, AllConfidential: true}, []string{plain.Reference, secret.Reference}},
	} {
		got, err := s.StaffNotices(ctx, ann.ID, tc.v, 10)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, n := range got {
			refs = append(refs, n.CaseRef)
		}
		if !slices.Equal(refs, tc.want) {
			t.Errorf("as %+v the notices are about %v, want %v", tc.v, refs, tc.want)
		}
		if n, err := s.UnreadStaffNotices(ctx, ann.ID, tc.v); err != nil || n != len(tc.want) {
			t.Errorf("as %+v the unread count is %d (%v), want %d", tc.v, n, err, len(tc.want))
		}
	}
}

func testStaffNoticesInvalid(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Bins not collected")
	ann := noticeUser(t, s, "ann@example.org", "officer")
	good := store.StaffNotice{UserID: ann.ID, CaseRef: c.Reference, Kind: store.NoticeAssigned, Key: "k"}
	for field, bad := range map[string]func(n *store.StaffNotice){
		"notices[1].key":      func(n *store.StaffNotice) { n.Key = "" },
		"notices[1].user_id":  func(n *store.StaffNotice) { n.UserID = 0 },
		"notices[1].case_ref": func(n *store.StaffNotice) { n.CaseRef = "" },
		"notices[1].kind":     func(n *store.StaffNotice) { n.Kind = "gossip" },
		"notices[1].due":      func(n *store.StaffNotice) { n.Kind = store.NoticeDueTomorrow },
	} {
		n := good
		n.Key = "other"
		bad(&n)
		_, err := s.AddStaffNotices(ctx, []store.StaffNotice{good, n}, w.now)
		var ce *complaint.Error
		if !errors.As(err, &ce) || ce.Code != complaint.Invalid || len(ce.Fields) != 1 || ce.Fields[field] == "" {
			t.Errorf("a notice with %s bad: %v, want invalid naming %s", field, err, field)
		}
	}
	if got, _ := s.StaffNotices(ctx, ann.ID, store.Viewer{Email: ann.Email}, 10); len(got) != 0 {
		t.Errorf("refused batches stored %d notices, want none", len(got))
	}
}
