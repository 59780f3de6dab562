package sqldb_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/demo"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// landlordOnSQLite makes a SQLite store holding the demo landlord and,
// beside the demo's cases, letters and users, the rows the demo does not
// make: a file a resident sent, a session, a health-and-safety alert with
// its email (outbox and attachment), and survey answers. It returns the
// store, its path and its audit key.
func landlordOnSQLite(t *testing.T) (*sqldb.DB, string, store.AuditKey) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "landlord.db")
	key, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqldb.Open(ctx, path, sqldb.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.KeyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := policy.Open(policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(calendar.BuiltIn())
	if err != nil {
		t.Fatal(err)
	}
	now := clock.Wall().UTC()
	// The demo's staff need passwords, not costly ones.
	hash := func(string) (string, error) { return "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", nil }
	if err := demo.Seed(ctx, demo.Config{Store: st, Policy: p, Calendar: cal, Now: func() time.Time { return now }, HashPassword: hash}); err != nil {
		t.Fatal(err)
	}
	cases, _, err := st.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Limit: 500})
	if err != nil || len(cases) < 5 {
		t.Fatalf("the demo has %d cases (%v)", len(cases), err)
	}
	c := cases[0]
	env := func(nr store.NewReference) complaint.Env {
		return complaint.Env{Now: now, Actor: complaint.Actor{Email: "resident", Role: "resident"}, Policy: p, Calendar: cal, NewReference: nr}
	}
	// Not valid UTF-8, and a NUL: a blob copied as text would change.
	photo := []byte("\xff\xd8\xff\x00\xfe a photo \x80\x81")
	sum := sha256.Sum256(photo)
	sha := hex.EncodeToString(sum[:])
	if _, _, err := st.AddInformation(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.AddInformation{Source: "portal", From: "Ada", Text: "A photo of the damp",
			Attachments: []complaint.AttachmentRef{{Name: "damp.jpg", SHA256: sha, Size: int64(len(photo))}}}, env(nr))
	}, []store.Attachment{{Name: "damp.jpg", ContentType: "image/jpeg", Data: photo, SHA256: sha, Source: "portal", AddedAt: now, AddedBy: "Ada"}}); err != nil {
		t.Fatal(err)
	}
	users, err := st.ListUsers(ctx)
	if err != nil || len(users) == 0 {
		t.Fatalf("users: %d, %v", len(users), err)
	}
	if err := st.CreateSession(ctx, store.Session{IDHash: []byte("\x00\x01session\xff"), UserID: users[0].ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	flags, err := st.PendingSafetyFlags(ctx, 10)
	if err != nil || len(flags) == 0 {
		t.Fatalf("the demo has %d health-and-safety flags waiting (%v)", len(flags), err)
	}
	alert := store.OutboundMessage{CaseRef: flags[0].CaseRef, To: "safety@example.org", Subject: "Health and safety", TextBody: "A case was flagged",
		Kind: "safety_alert", DedupeKey: "safety-" + flags[0].CaseRef,
		Attachments: []store.OutboundAttachment{{Name: "case.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7\x00\xff")}}}
	if _, err := st.RecordSafetyAlerts(ctx, []int64{flags[0].ID}, []store.OutboundMessage{alert}, now); err != nil {
		t.Fatal(err)
	}
	var answered bool
	for _, c := range cases {
		if st.RecordSurveyAnswers(ctx, c.Reference, store.SurveyAnswers{Handling: "very_satisfied", Outcome: "fairly_satisfied", Comment: "Thank you"}, now) == nil {
			answered = true
			break
		}
	}
	if !answered {
		t.Fatal("no demo case took survey answers")
	}
	return st, path, key
}

func TestCopyStoreMovesALandlordToPostgreSQLUnchanged(t *testing.T) {
	ctx := context.Background()
	src, path, key := landlordOnSQLite(t)
	dsn := testdb.PostgresDSN(t)
	var progressed []string
	rep, err := sqldb.CopyStore(ctx, path, dsn, key, func(table string, done, total int64) {
		if done == total {
			progressed = append(progressed, table)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Audit.OK || rep.Audit.Events != rep.Events || rep.Events == 0 {
		t.Fatalf("audit after the copy: %+v (the source has %d events)", rep.Audit, rep.Events)
	}
	for _, want := range []string{"cases", "events", "letters", "attachments", "users", "sessions", "outbox", "outbox_attachments",
		"survey_answers", "stage_facts", "safety_flags", "tsm_days", "policy_days", "case_search", "audit_head", "audit_chain"} {
		i := slices.IndexFunc(rep.Tables, func(c sqldb.CopiedTable) bool { return c.Name == want })
		if i < 0 {
			t.Errorf("the report has no %s: %+v", want, rep.Tables)
			continue
		}
		if tb := rep.Tables[i]; tb.Source != tb.Target || tb.Target == 0 {
			t.Errorf("%s: %+v", want, tb)
		}
	}
	for _, skipped := range []string{"cases_fts", "cases_contact_fts", "schema_migrations", "sqlite_sequence"} {
		if slices.ContainsFunc(rep.Tables, func(c sqldb.CopiedTable) bool { return strings.HasPrefix(c.Name, skipped) }) {
			t.Errorf("copied SQLite's own %s", skipped)
		}
	}
	if !slices.Contains(progressed, "cases") || !slices.Contains(progressed, "case_search") {
		t.Errorf("progress reported the end of %v", progressed)
	}

	dst, err := sqldb.Open(ctx, dsn, sqldb.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	compareStores(t, src, dst)

	// A new row takes an id after the copied ones.
	u, err := dst.CreateUser(ctx, store.User{Email: "new@example.org", Name: "New", Role: "officer"})
	if err != nil {
		t.Fatalf("a user added after the copy: %v", err)
	}
	users, _ := src.ListUsers(ctx)
	for _, old := range users {
		if u.ID <= old.ID {
			t.Errorf("a new user took id %d, not after the copied %d", u.ID, old.ID)
		}
	}
}

// compareStores checks that the target reads as the source does: every
// case, its events, letters and files, the reports and search.
func compareStores(t *testing.T, src, dst *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	all := store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Limit: 500}
	cases, _, err := src.ListCases(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	copied, _, err := dst.ListCases(ctx, all)
	if err != nil || len(copied) != len(cases) {
		t.Fatalf("the target lists %d cases, the source %d (%v)", len(copied), len(cases), err)
	}
	var letters, files int
	for _, c := range cases {
		got, err := dst.GetCase(ctx, c.Reference)
		if err != nil || !reflect.DeepEqual(got, c) {
			t.Errorf("case %s differs (%v)", c.Reference, err)
		}
		want, _ := src.CaseEvents(ctx, c.Reference)
		evs, err := dst.CaseEvents(ctx, c.Reference)
		if err != nil || !reflect.DeepEqual(evs, want) {
			t.Errorf("case %s's events differ (%v)", c.Reference, err)
		}
		ls, _ := src.Letters(ctx, c.Reference)
		for _, l := range ls {
			a, _ := src.Letter(ctx, c.Reference, l.ID)
			b, err := dst.Letter(ctx, c.Reference, l.ID)
			if err != nil || len(a.PDF) == 0 || !bytes.Equal(a.PDF, b.PDF) {
				t.Errorf("case %s letter %d: the PDF differs (%v)", c.Reference, l.ID, err)
			}
			letters++
		}
		fs, _ := src.Attachments(ctx, c.Reference)
		for _, f := range fs {
			a, _ := src.Attachment(ctx, c.Reference, f.ID)
			b, err := dst.Attachment(ctx, c.Reference, f.ID)
			if err != nil || !bytes.Equal(a.Data, b.Data) {
				t.Errorf("case %s file %d differs (%v)", c.Reference, f.ID, err)
			}
			files++
		}
	}
	if letters == 0 || files == 0 {
		t.Errorf("compared %d letters and %d files", letters, files)
	}

	today := calendar.DateOf(clock.Wall())
	yearAgo := today.AddDays(-366)
	for _, f := range []report.Filter{{From: yearAgo, To: today}, {From: yearAgo, To: today, Stage: 1}} {
		want, err := src.ManagementFigures(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := dst.ManagementFigures(ctx, f)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("management figures for %+v differ (%v):\n got %+v\nwant %+v", f, err, got, want)
		}
	}
	want, err := src.TSMCounts(ctx, yearAgo, today)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := dst.TSMCounts(ctx, yearAgo, today); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("TSM counts differ (%v):\n got %+v\nwant %+v", err, got, want)
	}

	first := cases[len(cases)-1]
	queries := []string{"mould", "boiler repair", first.Reference[:6], strings.Fields(first.Complainant.Name)[0]}
	if first.Complainant.Postcode != "" {
		queries = append(queries, strings.ToLower(strings.ReplaceAll(first.Complainant.Postcode, " ", "")))
	}
	if first.Complainant.Email != "" {
		queries = append(queries, first.Complainant.Email[:4])
	}
	found := 0
	for _, q := range queries {
		f := all
		f.Q = q
		want, _, err := src.ListCases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := dst.ListCases(ctx, f)
		if err != nil || !reflect.DeepEqual(refs(got), refs(want)) {
			t.Errorf("searching for %q finds %v in the target, %v in the source (%v)", q, refs(got), refs(want), err)
		}
		found += len(want)
	}
	if found == 0 {
		t.Errorf("no search of %q found a case", queries)
	}

	// The counting triggers, off while the facts were copied, are on
	// again: a case received after the copy counts the same on both.
	pol, err := policy.Open(policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := pol.Calendar(calendar.BuiltIn())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []*sqldb.DB{src, dst} {
		if _, err := st.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "web", Complainant: complaint.Person{Name: "After", Email: "after@example.org"}, Summary: "After the copy"},
				complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: pol, Calendar: cal, NewReference: nr})
		}); err != nil {
			t.Fatal(err)
		}
	}
	want, err = src.TSMCounts(ctx, yearAgo, today)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := dst.TSMCounts(ctx, yearAgo, today); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after a case received on both, TSM counts differ (%v): the target's triggers are still off?\n got %+v\nwant %+v", err, got, want)
	}

	if rep, err := dst.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Errorf("the target's audit: %+v, %v", rep, err)
	}
}

func refs(cs []complaint.Case) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Reference)
	}
	return out
}

func TestCopyStoreRefusesATargetThatHoldsData(t *testing.T) {
	ctx := context.Background()
	_, path, key := landlordOnSQLite(t)
	dsn := testdb.PostgresDSN(t)
	if _, err := sqldb.CopyStore(ctx, path, dsn, key, nil); err != nil {
		t.Fatal(err)
	}
	raw := testdb.Raw(t, dsn)
	before := tableCounts(t, raw)
	_, err := sqldb.CopyStore(ctx, path, dsn, key, nil)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "cases") {
		t.Fatalf("copying into a target holding a landlord: %v", err)
	}
	if errors.Is(err, sqldb.ErrCopyMismatch) {
		t.Errorf("a refusal reported as a mismatch: %v", err)
	}
	if after := tableCounts(t, raw); !reflect.DeepEqual(after, before) {
		t.Errorf("the refused target changed: %v, was %v", after, before)
	}
}

func TestCopyStoreLeavesTheTargetEmptyWhenTheCopyDoesNotMatch(t *testing.T) {
	ctx := context.Background()
	_, path, key := landlordOnSQLite(t)
	// A count the source's triggers did not keep: the target's triggers,
	// counting the copied stage_facts, disagree with it.
	if _, err := testdb.Raw(t, path).ExecContext(ctx, `UPDATE tsm_days SET n = n + 1 WHERE (day, measure, stage, flag, tenure) = (SELECT day, measure, stage, flag, tenure FROM tsm_days WHERE n > 0 LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	dsn := testdb.PostgresDSN(t)
	_, err := sqldb.CopyStore(ctx, path, dsn, key, nil)
	if !errors.Is(err, sqldb.ErrCopyMismatch) || !strings.Contains(err.Error(), "tsm_days") {
		t.Fatalf("copying a source whose counts are wrong: %v", err)
	}
	if n := tableCounts(t, testdb.Raw(t, dsn)); n["cases"] != 0 || n["events"] != 0 || n["tsm_days"] != 0 {
		t.Errorf("a failed copy left rows in the target: %v", n)
	}
}

func TestCopyStoreRefusesTargetsThatAreNotPostgreSQL(t *testing.T) {
	_, path, key := landlordOnSQLite(t)
	if _, err := sqldb.CopyStore(context.Background(), path, filepath.Join(t.TempDir(), "other.db"), key, nil); err == nil {
		t.Error("copied into a SQLite file")
	}
}

// tableCounts counts the rows of the tables a landlord's data is in.
func tableCounts(t *testing.T, raw *sql.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tb := range []string{"cases", "events", "users", "outbox", "letters", "attachments", "stage_facts", "tsm_days", "safety_flags", "case_search"} {
		var n int64
		if err := raw.QueryRowContext(context.Background(), `SELECT count(*) FROM `+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	var head string
	if err := raw.QueryRowContext(context.Background(), `SELECT hash FROM audit_head`).Scan(&head); err != nil {
		t.Fatal(err)
	}
	out["head "+head] = 1
	return out
}
