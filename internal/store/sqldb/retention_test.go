package sqldb_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the attacker's own connection to PostgreSQL

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// retentionWorld is a store under test with a clock that the test moves.
type retentionWorld struct {
	t   *testing.T
	db  *sqldb.DB
	dsn string
	p   *policy.Policy
}

func newRetentionWorld(t *testing.T) retentionWorld {
	t.Helper()
	key, err := store.ParseAuditKey(strings.Repeat("5e", 32))
	if err != nil {
		t.Fatal(err)
	}
	dsn := testdb.DSN(t)
	db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p, err := policy.Preset("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	return retentionWorld{t: t, db: db, dsn: dsn, p: p}
}

func (w retentionWorld) env(actor, role string, now time.Time, nr store.NewReference) complaint.Env {
	cal, err := w.p.Calendar(nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return complaint.Env{Now: now, Actor: complaint.Actor{Email: actor, Role: role}, Policy: w.p, Calendar: cal, NewReference: nr}
}

func (w retentionWorld) do(ref, actor, role string, now time.Time, cmd complaint.Command) complaint.Case {
	w.t.Helper()
	c, err := w.db.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, w.env(actor, role, now, nr))
	})
	if err != nil {
		w.t.Fatalf("%T: %v", cmd, err)
	}
	return c
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// resident is whose personal data a test case holds.
type resident struct{ first, last, phone, street, postcode string }

var (
	winifred    = resident{"Winifred", "Oyelaran", "07700 900461", "Quarry Lane", "SR3 3XR"}
	bartholomew = resident{"Bartholomew", "Quince", "07700 900999", "Mill Road", "NE1 4ST"}
)

// tokens are what must not be found once the resident's case is
// anonymised: every value of theirs the case holds includes one.
func (r resident) tokens() []string {
	digits := strings.ReplaceAll(r.phone, " ", "")
	return []string{r.first, r.last, r.phone, digits[1:], r.street, r.postcode, strings.ReplaceAll(r.postcode, " ", "")}
}

// closedCase logs a complaint with personal data in its details, a note,
// an edit, a letter and an attachment, and closes it at closed.
func (w retentionWorld) closedCase(closed time.Time, r resident) complaint.Case {
	t := w.t
	t.Helper()
	ctx := context.Background()
	received := closed.AddDate(0, -1, 0)
	c, err := w.db.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: r.first + " " + r.last, Email: strings.ToLower(r.first+"."+r.last) + "@example.org", Phone: r.phone, Address: "4 " + r.street, Postcode: r.postcode},
			Summary:     "Black mould on " + r.first + "'s ceiling", Description: "There is mould on " + r.first + "'s ceiling", ServiceArea: "repairs", Tenure: "low_cost_rental"},
			w.env("officer@landlord.example", "officer", received, nr))
	})
	if err != nil {
		t.Fatal(err)
	}
	at := func(days int) time.Time { return received.AddDate(0, 0, days) }
	w.do(c.Reference, "officer@landlord.example", "officer", at(1), complaint.Note{Text: r.first + " rang about the mould"})
	name := r.first[:3] + "ie " + r.last
	w.do(c.Reference, "officer@landlord.example", "officer", at(2), complaint.EditDetails{Complainant: &complaint.Person{Name: name, Email: strings.ToLower(r.first+"."+r.last) + "@example.org", Phone: r.phone}})
	photo := []byte(r.first + "-PHOTO-BYTES")
	if _, _, err := w.db.AddInformation(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.AddInformation{Source: "staff", From: r.first + " " + r.last, Text: "A photo of the mould on " + r.first + "'s ceiling",
			Attachments: []complaint.AttachmentRef{{Name: strings.ToLower(r.first) + "-ceiling.jpg", SHA256: sum(photo), Size: int64(len(photo))}}}, w.env("officer@landlord.example", "officer", at(3), nr))
	}, []store.Attachment{{Name: strings.ToLower(r.first) + "-ceiling.jpg", ContentType: "image/jpeg", Data: photo, SHA256: sum(photo), Source: "staff", AddedAt: at(3), AddedBy: "officer@landlord.example"}}); err != nil {
		t.Fatal(err)
	}
	w.do(c.Reference, "officer@landlord.example", "officer", at(4), complaint.Acknowledge{Points: []string{"The mould on " + r.first + "'s ceiling was not treated"}})
	w.do(c.Reference, "officer@landlord.example", "officer", at(10), complaint.Respond{
		Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: r.first + "'s report was not acted on"}},
		Remedies:  []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "For " + r.first + "'s distress", AmountPence: 25000}}})
	pdf := []byte("%PDF-1.7 " + r.first + "-LETTER-BYTES")
	l := store.Letter{Kind: complaint.ResponseLetterKind(1), Title: "Stage 1 response", Stage: 1, IssuedAt: at(10), IssuedBy: "officer@landlord.example",
		Channel: "email", Recipient: strings.ToLower(r.first+"."+r.last) + "@example.org", Subject: "Your complaint", Body: "Dear Mrs " + r.last, PDF: pdf, SHA256: sum(pdf)}
	mail := &store.OutboundMessage{Kind: "letter", CaseRef: c.Reference, To: strings.ToLower(r.first+"."+r.last) + "@example.org", Subject: "Your complaint, Mrs " + r.last, TextBody: "Dear Mrs " + r.last, HTMLBody: "<p>Dear Mrs " + r.last + "</p>", Attachments: []store.OutboundAttachment{{Name: "letter-" + r.last + ".pdf", ContentType: "application/pdf", Data: pdf}}}
	if _, _, err := w.db.IssueLetter(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256}, w.env("officer@landlord.example", "officer", at(10), nr))
	}, l, mail); err != nil {
		t.Fatal(err)
	}
	return w.do(c.Reference, "officer@landlord.example", "officer", closed, complaint.Close{})
}

// raw is a connection of one's own to the database, as an attacker or a
// forensic reader has.
func (w retentionWorld) raw() *sql.DB {
	w.t.Helper()
	driver, dsn := "sqlite", "file:"+w.dsn+"?_pragma=busy_timeout(10000)"
	if testdb.Postgres() {
		driver, dsn = "pgx", w.dsn
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		w.t.Fatal(err)
	}
	conn.SetMaxOpenConns(1)
	w.t.Cleanup(func() { conn.Close() })
	return conn
}

func TestRetentionAnonymisesAClosedCaseAndTheRecordStillVerifies(t *testing.T) {
	w := newRetentionWorld(t)
	ctx := context.Background()
	now := time.Date(2033, 6, 1, 9, 0, 0, 0, time.UTC)
	old := w.closedCase(now.AddDate(-7, 0, 0), winifred)
	recent := w.closedCase(now.AddDate(-1, 0, 0), bartholomew)
	if rep, err := w.db.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Fatalf("before: %+v %v", rep, err)
	}

	// The 30-day list names the old case (its six years ran out a year
	// ago), not the recent one, with the assumed rule.
	ended, err := w.db.Ended(ctx)
	if err != nil {
		t.Fatal(err)
	}
	due := store.RetentionSchedule(ended, w.p.Retention, now.AddDate(0, 0, 30))
	if len(due) != 1 || due[0].Reference != old.Reference || due[0].Held != "" || !strings.Contains(due[0].Rule, "6 years") {
		t.Fatalf("due in 30 days: %+v", due)
	}

	dry, err := store.RunRetention(ctx, w.db, w.p.Retention, now, 0, true, nil)
	if err != nil || dry.Anonymised != 1 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if c, _ := w.db.GetCase(ctx, old.Reference); c.Anonymisation != nil {
		t.Fatal("a dry run anonymised the case")
	}
	res, err := store.RunRetention(ctx, w.db, w.p.Retention, now, 10, false, nil)
	if err != nil || res.Anonymised != 1 || res.Failed != 0 || res.References[0] != old.Reference {
		t.Fatalf("run: %+v %v", res, err)
	}
	got, err := w.db.GetCase(ctx, old.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.Anonymisation == nil || got.Anonymisation.Rule == "" || got.Complainant.Name == old.Complainant.Name {
		t.Fatalf("the case after: %+v", got)
	}
	if got.Remedies[0].AmountPence != 25000 || got.Tenure != "low_cost_rental" || got.ServiceArea != "repairs" || got.Status != complaint.StatusClosed {
		t.Errorf("what must be kept was not: %+v", got)
	}
	if again, err := store.RunRetention(ctx, w.db, w.p.Retention, now, 10, false, nil); err != nil || again.Due != 0 {
		t.Errorf("a second run: %+v %v", again, err)
	}

	// No table holds the personal data any more: every column of every
	// row of every table, read through SQL. The recent case's resident
	// is still there, which shows the scan finds what is there.
	conn := w.raw()
	if found := scanTables(t, conn, winifred.tokens()); len(found) > 0 {
		t.Errorf("personal data left after anonymising: %v", found)
	}
	if found := scanTables(t, conn, bartholomew.tokens()); len(found) == 0 {
		t.Error("the scan found nothing of the case that was not anonymised: it cannot see personal data")
	}
	// And, for SQLite, not in the database's files either: free pages,
	// the search index's segments and the write-ahead log.
	if !testdb.Postgres() {
		files, _ := filepath.Glob(w.dsn + "*")
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range winifred.tokens() {
				if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(tok))) {
					i := bytes.Index(bytes.ToLower(b), bytes.ToLower([]byte(tok)))
					t.Errorf("%s still holds %q at page %d: %q", filepath.Base(f), tok, i/4096, b[max(0, i-80):min(len(b), i+40)])
				}
			}
		}
	}

	rep, err := w.db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("audit after anonymising: %q", rep.Problems)
	}
	if len(rep.Anonymised) != 1 || rep.Anonymised[0].Reference != old.Reference || rep.Anonymised[0].Rule != got.Anonymisation.Rule || !rep.Anonymised[0].At.Equal(now) {
		t.Errorf("the audit report's anonymisations: %+v", rep.Anonymised)
	}

	// The evidence pack still builds, verifies and says so.
	pack, err := evidence.Build(ctx, w.db, old.Reference, "Landlord", now)
	if err != nil {
		t.Fatal(err)
	}
	if !pack.Verification.OK() || pack.Verification.Anonymised == nil {
		t.Fatalf("the pack's verification: %+v", pack.Verification)
	}
	readme := zipFile(t, pack.Zip, "README.txt")
	if !strings.Contains(readme, "anonymised on 1 June 2033") || !strings.Contains(readme, got.Anonymisation.Rule) {
		t.Errorf("the pack's README does not show the anonymisation:\n%s", readme)
	}
	for _, p := range winifred.tokens() {
		if strings.Contains(strings.ToLower(zipFile(t, pack.Zip, "case.json")+zipFile(t, pack.Zip, "events.json")), strings.ToLower(p)) {
			t.Errorf("the pack holds %q", p)
		}
	}
	_ = recent
}

// scanTables reads every text and blob column of every row of every
// table and returns the personal values found in rows about ref (or in
// rows that name no case, which must not hold them either).
func scanTables(t *testing.T, conn *sql.DB, tokens []string) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if testdb.Postgres() {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
	}
	tables, err := conn.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	var found []string
	for _, table := range names {
		rows, err := conn.Query(`SELECT * FROM ` + table)
		if err != nil {
			continue // an FTS5 table read without a MATCH, say
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var text string
				switch x := v.(type) {
				case string:
					text = x
				case []byte:
					text = string(x)
				default:
					continue
				}
				for _, tok := range tokens {
					if strings.Contains(strings.ToLower(text), strings.ToLower(tok)) {
						found = append(found, table+"."+cols[i]+": "+tok)
					}
				}
			}
		}
		rows.Close()
	}
	return found
}

func zipFile(t *testing.T, b []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(f)
	return string(out)
}

// TestTamperingWithAnAnonymisedCaseIsCaught changes what anonymising
// leaves, as someone with write access to the database would: each
// change must fail the audit, though the anonymised events are no longer
// checked against their original hashes.
func TestTamperingWithAnAnonymisedCaseIsCaught(t *testing.T) {
	for _, tt := range []struct {
		name, sql, want string
	}{
		{"an anonymised event's remaining data", `UPDATE events SET data = replace(data, 'repairs', 'gas repairs') WHERE seq = 1`,
			"does not match the hash its anonymisation recorded of it"},
		{"an anonymised event's actor", `UPDATE events SET actor = 'someone-else@landlord.example' WHERE seq = 2`,
			"its data, actor, time or kind was changed after"},
		{"the data and the recorded hash together", `UPDATE events SET data = replace(data, 'repairs', 'gas repairs') WHERE seq = 1;
			UPDATE anonymised_events SET anonymised_event_sha256 = 'x' || anonymised_event_sha256 WHERE event_id = (SELECT id FROM events WHERE seq = 1)`,
			"the record of its anonymisation differs from what the anonymisation event lists"},
		{"the record of an anonymised event deleted", `DELETE FROM anonymised_events WHERE event_id = (SELECT id FROM events WHERE seq = 2)`,
			"the record of anonymised events has lost it"},
		{"the anonymisation event itself", `UPDATE events SET data = replace(data, '6 years', '1 year') WHERE kind = 'anonymised'`,
			"its content does not match its keyed hash"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newRetentionWorld(t)
			ctx := context.Background()
			now := time.Date(2033, 6, 1, 9, 0, 0, 0, time.UTC)
			c := w.closedCase(now.AddDate(-7, 0, 0), winifred)
			if res, err := store.RunRetention(ctx, w.db, w.p.Retention, now, 0, false, nil); err != nil || res.Anonymised != 1 {
				t.Fatalf("run: %+v %v", res, err)
			}
			if rep, err := w.db.VerifyAudit(ctx); err != nil || !rep.OK {
				t.Fatalf("before tampering: %+v %v", rep, err)
			}
			conn := w.raw()
			for _, q := range strings.Split(tt.sql, ";") {
				if _, err := conn.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			rep, err := w.db.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), tt.want) {
				t.Errorf("audit: %q, want %q", rep.Problems, tt.want)
			}
			pack, err := evidence.Build(ctx, w.db, c.Reference, "Landlord", now)
			if err != nil {
				t.Fatal(err)
			}
			if pack.Verification.OK() {
				t.Error("the evidence pack of the tampered case verifies")
			}
		})
	}
}

// TestAHeldCaseIsNotAnonymised puts a legal hold on one case past its
// date and refers another to the Ombudsman: retention counts both as
// held and anonymises neither, and anonymising either directly is
// refused.
func TestAHeldCaseIsNotAnonymised(t *testing.T) {
	w := newRetentionWorld(t)
	ctx := context.Background()
	now := time.Date(2033, 6, 1, 9, 0, 0, 0, time.UTC)
	c := w.closedCase(now.AddDate(-7, 0, 0), winifred)
	w.do(c.Reference, "manager@landlord.example", "manager", now.AddDate(0, 0, -1), complaint.PlaceLegalHold{Reason: "county court claim"})
	ended, err := w.db.Ended(ctx)
	if err != nil {
		t.Fatal(err)
	}
	due := store.RetentionSchedule(ended, w.p.Retention, now)
	if len(due) != 1 || !strings.Contains(due[0].Held, "county court claim") {
		t.Fatalf("the schedule: %+v", due)
	}
	res, err := store.RunRetention(ctx, w.db, w.p.Retention, now, 0, false, nil)
	if err != nil || res.Held != 1 || res.Anonymised != 0 {
		t.Fatalf("run: %+v %v", res, err)
	}
	if _, err := w.db.AnonymiseCase(ctx, c.Reference, store.AnonymiseRequest{Rule: "r", By: "x", Now: now}); complaint.ErrorCode(err) != complaint.Conflict {
		t.Fatalf("anonymising a held case: %v", err)
	}
	w.do(c.Reference, "manager@landlord.example", "manager", now, complaint.LiftLegalHold{Reason: "claim struck out"})
	res, err = store.RunRetention(ctx, w.db, w.p.Retention, now, 0, false, nil)
	if err != nil || res.Held != 0 || res.Anonymised != 1 {
		t.Fatalf("run after the hold is lifted: %+v %v", res, err)
	}
	if rep, err := w.db.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Fatalf("audit: %+v %v", rep, err)
	}
}

// TestAnErasureRequestAnonymisesThePersonsCasesThatAreNotHeld: a request
// to erase Winifred's data, granted, anonymises her case that is not held
// and records the request as the anonymisation's; her held case is
// counted and kept; the request keeps her key only as its hash. A
// refusal needs its ground.
func TestAnErasureRequestAnonymisesThePersonsCasesThatAreNotHeld(t *testing.T) {
	w := newRetentionWorld(t)
	ctx := context.Background()
	now := time.Date(2030, 6, 1, 9, 0, 0, 0, time.UTC)
	first := w.closedCase(now.AddDate(-1, 0, 0), winifred)
	held := w.closedCase(now.AddDate(0, -2, 0), winifred)
	other := w.closedCase(now.AddDate(0, -2, 0), bartholomew)
	w.do(held.Reference, "manager@landlord.example", "manager", now.AddDate(0, 0, -1), complaint.PlaceLegalHold{Reason: "county court claim"})

	if _, err := store.NewErasureRequest(complaint.Person{Name: "W"}, store.ErasureKind, "", "m@x", now); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a request with no key and no reason: %v", err)
	}
	req, err := store.NewErasureRequest(first.Complainant, store.ErasureKind, "Asked by letter to erase her data", "manager@landlord.example", now)
	if err != nil {
		t.Fatal(err)
	}
	if req, err = w.db.AddErasureRequest(ctx, req); err != nil {
		t.Fatal(err)
	}
	refused, err := w.db.AddErasureRequest(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.DecideErasure(ctx, w.db, refused.ID, store.ErasureDecision{Grant: false, By: "manager@landlord.example", Now: now}); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a refusal without a ground: %v", err)
	}
	if r, err := store.DecideErasure(ctx, w.db, refused.ID, store.ErasureDecision{Grant: false, Reason: "Art. 17(3)(e): a claim is open", By: "manager@landlord.example", Now: now}); err != nil || r.Status != store.ErasureRefused {
		t.Errorf("refusal: %+v %v", r, err)
	}

	got, err := store.DecideErasure(ctx, w.db, req.ID, store.ErasureDecision{Grant: true, By: "manager@landlord.example", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ErasureErased || got.CasesErased != 1 || got.CasesHeld != 1 || !strings.HasPrefix(got.PersonKey, "sha256:") {
		t.Errorf("the decision: %+v", got)
	}
	stored, err := w.db.ErasureRequest(ctx, req.ID)
	if err != nil || stored.Status != store.ErasureErased || strings.Contains(stored.PersonKey, "example.org") {
		t.Errorf("the request as stored: %+v %v", stored, err)
	}
	if _, err := store.DecideErasure(ctx, w.db, req.ID, store.ErasureDecision{Grant: true, By: "m", Now: now}); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("deciding twice: %v", err)
	}
	for ref, want := range map[string]bool{first.Reference: true, held.Reference: false, other.Reference: false} {
		c, err := w.db.GetCase(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if (c.Anonymisation != nil) != want {
			t.Errorf("%s anonymised: %v, want %v", ref, c.Anonymisation != nil, want)
		}
		if want && c.Anonymisation.Request != req.Name() {
			t.Errorf("%s anonymised under %+v", ref, c.Anonymisation)
		}
	}
	rep, err := w.db.VerifyAudit(ctx)
	if err != nil || !rep.OK || len(rep.Anonymised) != 1 || rep.Anonymised[0].Request != req.Name() {
		t.Errorf("audit: %+v %v", rep, err)
	}
}
