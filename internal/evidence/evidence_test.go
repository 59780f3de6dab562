package evidence_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/poppler"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

var ctx = context.Background()

type world struct {
	t    *testing.T
	st   *sqldb.DB
	path string
	p    *policy.Policy
	cal  *calendar.Calendar
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.London)
	if err != nil {
		panic(err)
	}
	return t
}

func (w world) env(actor, role string, when time.Time, nr store.NewReference) complaint.Env {
	return complaint.Env{Now: at("2027-03-01 09:00"), At: when, Actor: complaint.Actor{Email: actor, Role: role}, Policy: w.p, Calendar: w.cal, NewReference: nr}
}

func (w world) do(ref, actor, when string, cmd complaint.Command) complaint.Case {
	w.t.Helper()
	c, err := w.st.UpdateCase(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, w.env(actor, "officer", at(when), nr))
	})
	if err != nil {
		w.t.Fatalf("%T on %s: %v", cmd, when, err)
	}
	return c
}

func (w world) create(name, email, when string) complaint.Case {
	w.t.Helper()
	recv := at(when)
	c, err := w.st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: name, Email: email, Postcode: "SR3 3XR"}, Summary: "Boiler keeps failing", ServiceArea: "repairs"},
			w.env("officer@example.org", "officer", recv, ref))
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func newWorld(t *testing.T) world {
	t.Helper()
	p, cal := policytest.Code(t)
	path := testdb.DSN(t)
	key, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqldb.Open(ctx, path, sqldb.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return world{t: t, st: st, path: path, p: p, cal: cal}
}

// aCase is a complaint through both stages, extended at stage 1, with a
// note and a letter, linked to another resident's case.
func aCase(w world) (complaint.Case, []byte) {
	w.t.Helper()
	other := w.create("Bernard Neighbour", "bernard@example.org", "2026-11-02 09:00")
	c := w.create("Ada Resident", "ada@example.org", "2026-11-02 10:00")
	ref := c.Reference
	w.do(ref, "officer@example.org", "2026-11-03 10:00", complaint.Acknowledge{Points: []string{"The boiler failed three times"}})
	w.do(ref, "officer@example.org", "2026-11-10 10:00", complaint.Extend{WorkingDays: 5, Reason: "Waiting for the engineer's report", OmbudsmanDetailsGiven: true})
	w.do(ref, "officer@example.org", "2026-11-11 10:00", complaint.Note{Text: "Phoned Ada; engineer booked for Friday"})
	w.do(ref, "officer@example.org", "2026-11-20 10:00", complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "The repairs were not lasting."}},
		Remedies: []complaint.RemedyInput{{Kind: complaint.RemedyAction, Description: "Replace the boiler", Owner: "Repairs", Due: "2026-12-18"}}})
	w.do(ref, "officer@example.org", "2026-11-24 10:00", complaint.Link{Reference: other.Reference})
	pdf, err := pdfdoc.Render(pdfdoc.Document{Title: "Stage 1 response", Created: at("2026-11-25 10:00"), Reference: ref,
		Blocks: []pdfdoc.Block{pdfdoc.Paragraph{Text: "Dear Ada, we uphold your complaint."}}})
	if err != nil {
		w.t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	hash := hex.EncodeToString(sum[:])
	_, _, err = w.st.IssueLetter(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: "stage1_response", Title: "Stage 1 response", Channel: "print", SHA256: hash},
			w.env("officer@example.org", "officer", at("2026-11-25 10:00"), nr))
	}, store.Letter{Kind: "stage1_response", Title: "Stage 1 response", Stage: 1, IssuedAt: at("2026-11-25 10:00"), IssuedBy: "officer@example.org",
		Channel: "print", Recipient: "Ada Resident", Subject: "Your complaint", Body: "Dear Ada", PDF: pdf, SHA256: hash}, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	photo := []byte("\xff\xd8\xff a photo of the boiler")
	psum := sha256.Sum256(photo)
	phash := hex.EncodeToString(psum[:])
	_, _, err = w.st.AddInformation(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "A photo of the boiler",
			Attachments: []complaint.AttachmentRef{{Name: "boiler.jpg", SHA256: phash, Size: int64(len(photo))}}},
			w.env("Ada Resident", "resident", at("2026-11-25 12:00"), nr))
	}, []store.Attachment{{Name: "boiler.jpg", ContentType: "image/jpeg", Data: photo, SHA256: phash, Source: "portal", AddedAt: at("2026-11-25 12:00"), AddedBy: "Ada Resident"}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.do(ref, "officer@example.org", "2026-11-26 10:00", complaint.Escalate{Reason: "The boiler is still not replaced"})
	w.do(ref, "reviewer@example.org", "2026-11-27 10:00", complaint.Acknowledge{Points: []string{"The boiler is still not replaced"}})
	c = w.do(ref, "reviewer@example.org", "2026-12-04 10:00", complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It should have been replaced."}}})
	return c, pdf
}

func TestEvidencePackHoldsTheWholeCaseAndVerifies(t *testing.T) {
	w := newWorld(t)
	c, letter := aCase(w)
	pack, err := evidence.Build(ctx, w.st, c.Reference, "Riverside Vale Homes", at("2027-03-01 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	if !pack.Verification.OK() || pack.Verification.Events != 11 || pack.Verification.Letters != 1 || pack.Verification.Attachments != 1 {
		t.Errorf("verification = %+v", pack.Verification)
	}
	files, err := evidence.Files(pack.Zip)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"README.txt", "chronology.pdf", "case.json", "events.json", "verification.json", "notes.txt", "letters/01-2026-11-25-stage1_response.pdf", "attachments/01-boiler.jpg"}
	if !slices.Equal(files, want) {
		t.Errorf("files = %q, want %q", files, want)
	}
	read := func(name string) []byte {
		b, err := evidence.ReadFile(pack.Zip, name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(read("attachments/01-boiler.jpg"), []byte("\xff\xd8\xff a photo of the boiler")) {
		t.Error("the attachment in the pack is not the file as received")
	}
	if !bytes.Equal(read("letters/01-2026-11-25-stage1_response.pdf"), letter) {
		t.Error("the letter in the pack is not the letter as issued")
	}
	var evs []complaint.Event
	if err := json.Unmarshal(read("events.json"), &evs); err != nil || len(evs) != 11 || evs[0].Hash == "" || evs[1].PrevHash != evs[0].Hash {
		t.Errorf("events.json: %d events, %v", len(evs), err)
	}
	readme := string(read("README.txt"))
	for _, s := range []string{"Evidence pack for case " + c.Reference, "Verification: passed. All 11 events", "Those cases are other residents' and are not included."} {
		if !strings.Contains(readme, s) {
			t.Errorf("README does not say %q:\n%s", s, readme)
		}
	}
	if !strings.Contains(string(read("notes.txt")), "Phoned Ada; engineer booked for Friday") {
		t.Error("notes.txt lacks the note")
	}
	// No other resident's data in any file, the PDFs' text included.
	poppler.Need(t, "pdftotext")
	for _, name := range files {
		text := string(read(name))
		if strings.HasSuffix(name, ".pdf") {
			text = poppler.Text(t, read(name))
		}
		if strings.Contains(text, "Bernard") || strings.Contains(text, "bernard@example.org") {
			t.Errorf("%s contains the other resident's details", name)
		}
	}
	chron := poppler.Text(t, read("chronology.pdf"))
	for _, s := range []string{"Case " + c.Reference, "Ada Resident", "Stage 1 against its deadlines", "Waiting for the engineer's report",
		"The repairs were not lasting.", "Replace the boiler", "Every event, in order", "letter issued", "all 11 events match their hashes", "Page 1 of"} {
		if !strings.Contains(chron, s) {
			t.Errorf("the chronology does not contain %q", s)
		}
	}
}

// A change made directly in the database, past the application, shows in
// the pack's verification.
func TestEvidencePackReportsTampering(t *testing.T) {
	w := newWorld(t)
	c, _ := aCase(w)
	if _, err := testdb.Raw(t, w.path).Exec(`UPDATE events SET data = replace(data, 'Phoned Ada', 'Never phoned Ada') WHERE kind = 'note_added'`); err != nil {
		t.Fatal(err)
	}
	pack, err := evidence.Build(ctx, w.st, c.Reference, "Riverside Vale Homes", at("2027-03-01 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	v := pack.Verification
	if v.OK() || v.EventsOK || !v.LettersOK || v.ChainOK {
		t.Errorf("verification after tampering = %+v", v)
	}
	joined := strings.Join(v.Problems, "\n")
	if !strings.Contains(joined, "event #4 (note_added): its content does not match its hash") {
		t.Errorf("problems = %q", v.Problems)
	}
	readme, err := evidence.ReadFile(pack.Zip, "README.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "Verification: FAILED") {
		t.Errorf("README:\n%s", readme)
	}
}

// Editing the stored case in the database, past the application, fails
// the pack's verification, though every event still matches its hash.
func TestEditingAStoredCaseIsCaughtByTheEvidencePack(t *testing.T) {
	// Each edit is statements run in order, in SQLite's SQL and in
	// PostgreSQL's; a ? is the case's reference.
	for _, tt := range []struct {
		name             string
		sqlite, postgres []string
		want             string
	}{
		{"summary",
			[]string{`UPDATE cases SET data = json_set(data, '$.summary', 'Nothing much') WHERE reference = ?`},
			[]string{`UPDATE cases SET data = jsonb_set(data::jsonb, '{summary}', '"Nothing much"')::text WHERE reference = ?`},
			"summary differ"},
		{"status",
			[]string{`UPDATE cases SET status = 'closed', data = json_set(data, '$.status', 'closed') WHERE reference = ?`},
			[]string{`UPDATE cases SET status = 'closed', data = jsonb_set(data::jsonb, '{status}', '"closed"')::text WHERE reference = ?`},
			`status (stored "closed", events "acknowledged")`}, // stage 2's decisions are a draft: no letter has gone
		{"confidential",
			[]string{`UPDATE cases SET confidential = 1, data = json_set(data, '$.confidential', json('true')) WHERE reference = ?`},
			[]string{`UPDATE cases SET confidential = 1, data = jsonb_set(data::jsonb, '{confidential}', 'true')::text WHERE reference = ?`},
			"confidential (stored true, events false)"},
		{"a letter",
			[]string{`DROP TRIGGER letters_never_change`, `UPDATE letters SET pdf = x'00' WHERE case_id = (SELECT id FROM cases WHERE reference = ?)`},
			[]string{`ALTER TABLE letters DISABLE TRIGGER letters_never_change`, `ALTER TABLE letters DISABLE TRIGGER letters_anonymised`, `UPDATE letters SET pdf = decode('00', 'hex') WHERE case_id = (SELECT id FROM cases WHERE reference = ?)`},
			"its PDF does not match the hash recorded when it was issued"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			c, _ := aCase(w)
			raw := testdb.Raw(t, w.path)
			edit := tt.sqlite
			if sqldb.IsPostgres(w.path) {
				edit = tt.postgres
			}
			for _, q := range edit {
				var args []any
				if strings.Contains(q, "?") {
					args = append(args, c.Reference)
				}
				if _, err := raw.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			pack, err := evidence.Build(ctx, w.st, c.Reference, "Riverside Vale Homes", at("2027-03-01 09:00"))
			if err != nil {
				t.Fatal(err)
			}
			v := pack.Verification
			if v.OK() || !v.EventsOK || !v.ChainOK || !strings.Contains(strings.Join(v.Problems, "\n"), tt.want) {
				t.Errorf("verification after editing the %s: %+v, want %q", tt.name, v, tt.want)
			}
			readme, err := evidence.ReadFile(pack.Zip, "README.txt")
			if err != nil || !strings.Contains(string(readme), "Verification: FAILED") {
				t.Errorf("README: %s, %v", readme, err)
			}
		})
	}
}

// A linked case the person asking may not see (a confidential one) is
// named nowhere in the pack: not in the README, the case, the events or
// the chronology.
func TestTheEvidencePackNamesNoLinkedCaseTheRequesterMayNotSee(t *testing.T) {
	poppler.Need(t, "pdftotext")
	w := newWorld(t)
	recv := at("2026-11-02 08:00")
	secret, err := w.st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &recv, Confidential: true,
			Complainant: complaint.Person{Name: "Carol Staff", Email: "carol@example.org"}, Summary: "About an officer"},
			w.env("manager@example.org", "manager", recv, ref))
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := aCase(w)
	visible := c.Links[0]
	c = w.do(c.Reference, "officer@example.org", "2026-12-05 10:00", complaint.Link{Reference: secret.Reference})

	for _, tt := range []struct {
		name   string
		viewer store.Viewer
		named  bool
	}{
		{"an officer", store.Viewer{Email: "officer@example.org"}, false},
		{"no one in particular", store.Viewer{}, false},
		{"whoever logged it", store.Viewer{Email: "MANAGER@example.org"}, true},
		{"a manager", store.Viewer{Email: "boss@example.org", AllConfidential: true}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pack, err := evidence.BuildFor(ctx, w.st, c.Reference, "Riverside Vale Homes", at("2027-03-01 09:00"), tt.viewer)
			if err != nil {
				t.Fatal(err)
			}
			files, err := evidence.Files(pack.Zip)
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, name := range files {
				b, err := evidence.ReadFile(pack.Zip, name)
				if err != nil {
					t.Fatal(err)
				}
				if name == "chronology.pdf" {
					all.WriteString(poppler.Text(t, b))
					continue
				}
				all.Write(b)
			}
			if got := strings.Contains(all.String(), secret.Reference); got != tt.named {
				t.Errorf("the pack names the confidential case: %v, want %v", got, tt.named)
			}
			if !strings.Contains(all.String(), visible) {
				t.Errorf("the pack does not name the visible linked case %s", visible)
			}
			if !pack.Verification.OK() {
				t.Errorf("verification: %+v", pack.Verification)
			}
		})
	}
}

// Deleting a case's newest events and rewinding the chain's head leaves a
// chain that is whole; the pack of the server that signed a checkpoint
// before the deletion still catches it.
func TestDeletingTheNewestEventsIsCaughtByThePackOfTheServerThatCheckpointed(t *testing.T) {
	w := newWorld(t)
	c, _ := aCase(w)
	w.do(c.Reference, "reviewer@example.org", "2026-12-05 10:00", complaint.Note{Text: "Boiler replaced"})
	if _, err := w.st.AuditCheckpoint(ctx, at("2026-12-05 11:00")); err != nil {
		t.Fatal(err)
	}
	raw := testdb.Raw(t, w.path)
	rewind := `UPDATE cases SET version = version - 1, data = json_set(data, '$.version', version - 1,
			'$.last_event_at', (SELECT at FROM events WHERE case_id = cases.id ORDER BY seq DESC LIMIT 1)) WHERE reference = '` + c.Reference + `'`
	if sqldb.IsPostgres(w.path) {
		rewind = `UPDATE cases SET version = version - 1, data = jsonb_set(jsonb_set(data::jsonb, '{version}', to_jsonb(version - 1)),
			'{last_event_at}', to_jsonb((SELECT at FROM events WHERE case_id = cases.id ORDER BY seq DESC LIMIT 1)))::text WHERE reference = '` + c.Reference + `'`
	}
	for _, q := range []string{
		`DELETE FROM events WHERE id = (SELECT max(id) FROM events)`,
		rewind,
		`UPDATE audit_head SET count = (SELECT count(*) FROM events), hash = (SELECT hash FROM events ORDER BY id DESC LIMIT 1)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	pack, err := evidence.Build(ctx, w.st, c.Reference, "Riverside Vale Homes", at("2027-03-01 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	v := pack.Verification
	if v.OK() || v.ChainOK || !v.EventsOK || !v.CaseOK || !strings.Contains(strings.Join(v.Problems, "\n"), "the newest events were deleted") {
		t.Errorf("verification after deleting the newest event: %+v", v)
	}
}
