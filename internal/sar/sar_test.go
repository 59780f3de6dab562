package sar_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/poppler"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/sar"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

var ctx = context.Background()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.London)
	if err != nil {
		panic(err)
	}
	return t
}

// now is when the world's commands are recorded and the export made: a
// fixed moment after every event, so the test passes on any date.
var now = at("2027-03-01 09:00")

type world struct {
	t   testing.TB
	st  *sqldb.DB
	p   *policy.Policy
	cal *calendar.Calendar
}

func newWorld(t testing.TB) world {
	t.Helper()
	p, cal := policytest.Code(t)
	key, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	st := testdb.Open(t, sqldb.Options{AuditKey: key})
	return world{t: t, st: st, p: p, cal: cal}
}

func (w world) env(actor string, when time.Time, nr store.NewReference) complaint.Env {
	return complaint.Env{Now: now, At: when, Actor: complaint.Actor{Email: actor, Role: "officer"}, Policy: w.p, Calendar: w.cal, NewReference: nr}
}

func (w world) create(cmd complaint.Create, when string) complaint.Case {
	w.t.Helper()
	recv := at(when)
	cmd.Kind, cmd.Channel, cmd.ReceivedAt, cmd.ServiceArea = complaint.KindComplaint, "phone", &recv, "repairs"
	c, err := w.st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, w.env("officer@example.org", recv, ref))
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w world) do(ref, when string, cmd complaint.Command) {
	w.t.Helper()
	if _, err := w.st.UpdateCase(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, w.env("officer@example.org", at(when), nr))
	}); err != nil {
		w.t.Fatalf("%T on %s: %v", cmd, ref, err)
	}
}

func hexSum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// letter issues a letter whose PDF says text.
func (w world) letter(ref, when, recipient, text string) []byte {
	w.t.Helper()
	pdf, err := pdfdoc.Render(pdfdoc.Document{Title: "Stage 1 response", Created: at(when), Reference: ref,
		Blocks: []pdfdoc.Block{pdfdoc.Paragraph{Text: text}}})
	if err != nil {
		w.t.Fatal(err)
	}
	sum := hexSum(pdf)
	if _, _, err := w.st.IssueLetter(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: "acknowledgement", Title: "Acknowledgement", Channel: "print", SHA256: sum},
			w.env("officer@example.org", at(when), nr))
	}, store.Letter{Kind: "acknowledgement", Title: "Acknowledgement", Stage: 1, IssuedAt: at(when), IssuedBy: "officer@example.org",
		Channel: "print", Recipient: recipient, Subject: "Your complaint " + ref, Body: text, PDF: pdf, SHA256: sum}, nil); err != nil {
		w.t.Fatal(err)
	}
	return pdf
}

// received records an email from someone, with a file.
func (w world) received(ref, when, from, text, file string, data []byte) {
	w.t.Helper()
	sum := hexSum(data)
	if _, _, err := w.st.AddInformation(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.AddInformation{Source: "email", From: from, Text: text,
			Attachments: []complaint.AttachmentRef{{Name: file, SHA256: sum, Size: int64(len(data))}}},
			w.env(from, at(when), nr))
	}, []store.Attachment{{Name: file, ContentType: "image/jpeg", Data: data, SHA256: sum, Source: "email", AddedAt: at(when), AddedBy: from}}); err != nil {
		w.t.Fatal(err)
	}
}

func (w world) sent(ref, to, subject, body string) {
	w.t.Helper()
	if _, err := w.st.Enqueue(ctx, store.OutboundMessage{CaseRef: ref, To: to, Subject: subject, TextBody: body, Kind: "letter"}, at("2027-01-10 09:00")); err != nil {
		w.t.Fatal(err)
	}
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = data
	}
	return files
}

var (
	ada = complaint.Person{Name: "Ada Lovelace", Email: "ada.lovelace@example.org", Phone: "07700 900123", Postcode: "SW1A 1AA", Address: "1 Analytical Row"}
	ber = complaint.Person{Name: "Bertram Quill", Email: "bertram.quill@example.net", Phone: "0161 496 0777", Postcode: "M1 1AE", Address: "9 Inkwell Lane", TenancyRef: "TQ-99881"}
)

// berDetails are every detail of Bertram's that the world holds, each
// as it might be written; none may appear in Ada's export.
var berDetails = []string{"Bertram", "Quill", "bertram.quill@example.net", "0161 496 0777", "01614960777", "1614960777", "M1 1AE", "9 Inkwell Lane", "TQ-99881",
	"Cyril Member", "cyril@example.com", "0161 496 0555", "01614960555"}

type fixture struct {
	w                        world
	own, shared, secret, grp complaint.Case
	bersOwn                  complaint.Case
	letter                   []byte
	photo                    []byte
}

// build makes two people and their cases: Ada's own (with a note, a
// letter, an email sent to her, an email received from her with a
// photo), Bertram's in which Ada is his representative (with notes and a
// letter naming him, an email sent to him and a file from him), Ada's
// confidential case, a group complaint Ada is a member of with another
// member, and Bertram's own case that does not name Ada at all.
func build(t *testing.T) fixture {
	t.Helper()
	w := newWorld(t)
	f := fixture{w: w}
	f.own = w.create(complaint.Create{Complainant: ada, Summary: "Damp in the bedroom"}, "2026-11-02 10:00")
	w.do(f.own.Reference, "2026-11-03 10:00", complaint.Note{Text: "Ada says the damp is worse after rain"})
	f.letter = w.letter(f.own.Reference, "2026-11-04 10:00", "Ada Lovelace", "Dear Ms Lovelace, we have your complaint about damp.")
	f.photo = []byte("\xff\xd8\xff Ada's photo of the damp wall")
	w.received(f.own.Reference, "2026-11-05 10:00", ada.Email, "Here is a photo of the wall", "damp-wall.jpg", f.photo)
	w.sent(f.own.Reference, "Ada Lovelace <ada.lovelace@example.org>", "Your complaint "+f.own.Reference, "We will visit on Tuesday to inspect the damp.")

	rep := ada
	berBefore := ber
	berBefore.Phone = "0161 496 0555"
	f.shared = w.create(complaint.Create{Complainant: berBefore, Summary: "Leaking gutter over the door",
		Representative: &complaint.Representative{Name: ada.Name, Relationship: "advocate", ConsentRecorded: true, Email: ada.Email, Phone: rep.Phone}}, "2026-11-06 10:00")
	w.do(f.shared.Reference, "2026-11-07 10:00", complaint.Note{Text: "Spoke to Bertram Quill on 0161 496 0777; Ada Lovelace, his advocate, was on the call"})
	w.do(f.shared.Reference, "2026-11-08 10:00", complaint.Note{Text: "Mr Quill moved to 9 Inkwell Lane last year"})
	moved := ber
	w.do(f.shared.Reference, "2026-11-09 10:00", complaint.EditDetails{Complainant: &moved, Reason: "Phone number checked"})
	w.letter(f.shared.Reference, "2026-11-10 10:00", "Bertram Quill", "Dear Mr Quill, we have your complaint about the gutter.")
	w.received(f.shared.Reference, "2026-11-11 10:00", ber.Email, "Photo of the gutter, Bertram", "gutter.jpg", []byte("\xff\xd8\xff Bertram Quill's gutter"))
	w.sent(f.shared.Reference, "Bertram Quill <bertram.quill@example.net>", "Your complaint", "Dear Bertram Quill, about the gutter.")
	w.sent(f.shared.Reference, ada.Email, "The complaint you made for Mr Quill", "Dear Ms Lovelace, the gutter will be fixed for Bertram Quill.")

	secret := complaint.Create{Complainant: ada, Summary: "About a member of staff", Confidential: true}
	f.secret = w.create(secret, "2026-11-12 10:00")

	f.grp = w.create(complaint.Create{Complainant: complaint.Person{Name: "Cyril Member", Email: "cyril@example.com"}, Summary: "The lift in the tower",
		Group: &complaint.Group{Name: "Tower residents", PointOfContact: "Cyril Member", People: []complaint.GroupMember{
			{Name: "Cyril Member", Email: "cyril@example.com"}, {Name: ada.Name, Email: ada.Email}}}}, "2026-11-13 10:00")

	f.bersOwn = w.create(complaint.Create{Complainant: ber, Summary: "Broken gate at number nine"}, "2026-11-14 10:00")

	// A warning about each of them in the register of restricted contact.
	for _, r := range []struct {
		p         complaint.Person
		ref, what string
	}{{ada, f.own.Reference, "Ada's repeated calls"}, {ber, f.bersOwn.Reference, "Bertram's repeated calls"}} {
		if _, err := w.st.CreateRestriction(ctx, func() (restriction.Restriction, restriction.Event, error) {
			return restriction.Start(restriction.Subject{PersonKey: r.p.Key(), PersonName: r.p.Name, CaseRef: r.ref},
				restriction.Warn{Behaviour: r.what, ActionPlan: "One call a week"},
				restriction.Env{Now: now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: w.p})
		}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

var manager = store.Viewer{Email: "manager@example.org", AllConfidential: true}

func TestASubjectAccessExportHoldsEverythingAboutOnePersonAndNothingAboutAnyoneElse(t *testing.T) {
	f := build(t)
	s, err := sar.ParseSubject("email:Ada.Lovelace@Example.org")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := sar.Build(ctx, f.w.st, sar.Request{Subject: s, Viewer: manager, By: "manager@example.org", Landlord: "Riverside Vale Homes", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if ex.SHA256 != hexSum(ex.Zip) {
		t.Errorf("SHA256 = %s, not the ZIP's", ex.SHA256)
	}
	files := unzip(t, ex.Zip)
	// Kept for a person to open and read (go test -artifacts).
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "ada-subject-access.zip"), ex.Zip, 0o600); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		t.Helper()
		b, ok := files[name]
		if !ok {
			t.Fatalf("the export has no %s; it has %q", name, keys(files))
		}
		return string(b)
	}

	// Every case naming Ada, in each of her roles, and no other.
	var refs []string
	for _, m := range ex.Cases {
		refs = append(refs, m.Case.Reference+"="+strings.Join(m.Roles, "+"))
	}
	wantRefs := []string{f.own.Reference + "=complainant", f.shared.Reference + "=representative", f.secret.Reference + "=complainant", f.grp.Reference + "=group member"}
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("cases = %q, want %q", refs, wantRefs)
	}
	for _, c := range []complaint.Case{f.own, f.shared, f.secret, f.grp} {
		caseJSON := read("cases/" + c.Reference + "/case.json")
		if !strings.Contains(caseJSON, c.Summary) || !strings.Contains(caseJSON, ada.Email) {
			t.Errorf("%s/case.json lacks the case's summary or Ada's email:\n%s", c.Reference, caseJSON)
		}
		var evs []complaint.Event
		if err := json.Unmarshal([]byte(read("cases/"+c.Reference+"/events.json")), &evs); err != nil {
			t.Fatal(err)
		}
		stored, err := f.w.st.CaseEvents(ctx, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != len(stored) || len(evs) == 0 || evs[len(evs)-1].Hash != stored[len(stored)-1].Hash {
			t.Errorf("%s/events.json holds %d events, want the %d stored", c.Reference, len(evs), len(stored))
		}
	}
	// Ada's own case: her note, the letter and the photo exactly as
	// issued and received, the email sent to her and the one from her.
	own := "cases/" + f.own.Reference + "/"
	if !strings.Contains(read(own+"notes.txt"), "Ada says the damp is worse after rain") {
		t.Error("the note on Ada's case is missing")
	}
	if !bytes.Equal([]byte(read(own+"letters/01-2026-11-04-acknowledgement.pdf")), f.letter) {
		t.Error("the letter to Ada is not the PDF as issued")
	}
	if !bytes.Equal([]byte(read(own+"attachments/01-damp-wall.jpg")), f.photo) {
		t.Error("Ada's photo is not the file as received")
	}
	if got := read(own + "emails/sent-01.txt"); !strings.Contains(got, "We will visit on Tuesday to inspect the damp.") {
		t.Errorf("the email sent to Ada is missing:\n%s", got)
	}
	if got := read(own + "emails/received-01.txt"); !strings.Contains(got, "Here is a photo of the wall") {
		t.Errorf("the email from Ada is missing:\n%s", got)
	}
	// The case Ada is a representative on: the notes and the letter's
	// text, redacted; the email to her but not the one to Bertram; his
	// file and the letter's PDF withheld.
	shared := "cases/" + f.shared.Reference + "/"
	if got := read(shared + "notes.txt"); !strings.Contains(got, "Spoke to "+sar.Redacted+" on "+sar.Redacted+"; Ada Lovelace, his advocate, was on the call") ||
		!strings.Contains(got, "Mr "+sar.Redacted+" moved to "+sar.Redacted+" last year") {
		t.Errorf("the shared case's notes are not there redacted:\n%s", got)
	}
	if got := read(shared + "letters/01-2026-11-10-acknowledgement.txt"); !strings.Contains(got, "Dear Mr "+sar.Redacted+", we have your complaint about the gutter.") {
		t.Errorf("the shared case's letter is not there as redacted text:\n%s", got)
	}
	if got := read(shared + "emails/sent-01.txt"); !strings.Contains(got, "Dear Ms Lovelace, the gutter will be fixed for "+sar.Redacted+".") {
		t.Errorf("the email to Ada on the shared case is not there redacted:\n%s", got)
	}
	if _, ok := files[shared+"emails/sent-02.txt"]; ok {
		t.Error("the email to Bertram is in Ada's export")
	}
	if _, ok := files[shared+"emails/received-01.txt"]; ok {
		t.Error("the email from Bertram is in Ada's export as an email of hers")
	}

	// Nothing of Bertram's, nor of the group's other member, in any file:
	// every byte of every file, and (where poppler is installed) the
	// text of every PDF.
	others := append(berDetails, f.bersOwn.Reference, f.bersOwn.Summary)
	for name, b := range files {
		for _, d := range others {
			if strings.Contains(strings.ToLower(string(b)), strings.ToLower(d)) {
				t.Errorf("%s contains %q, which is another person's", name, d)
			}
		}
	}
	t.Run("the PDFs' text", func(t *testing.T) {
		poppler.Need(t, "pdftotext")
		for name, b := range files {
			if !strings.HasSuffix(name, ".pdf") {
				continue
			}
			text := poppler.Text(t, b)
			for _, d := range others {
				if strings.Contains(strings.ToLower(text), strings.ToLower(d)) {
					t.Errorf("%s contains %q, which is another person's", name, d)
				}
			}
		}
	})
	if bytes.Contains(ex.Zip, []byte("Bertram")) || bytes.Contains(ex.Zip, []byte(f.bersOwn.Reference)) {
		t.Error("the ZIP's own bytes (names, headers) name Bertram or his case")
	}

	// The index lists every file in the ZIP, with its hash, and the file
	// withheld; index.html links each.
	var idx sar.Index
	if err := json.Unmarshal([]byte(read("index.json")), &idx); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{"index.json": true, "index.html": true}
	page := read("index.html")
	for _, c := range idx.Cases {
		for _, file := range c.Files {
			listed[file.Path] = true
			if hexSum(files[file.Path]) != file.SHA256 {
				t.Errorf("index: %s has hash %s, not the file's", file.Path, file.SHA256)
			}
			if !strings.Contains(page, `href="`+file.Path+`"`) {
				t.Errorf("index.html does not link %s", file.Path)
			}
		}
	}
	if len(idx.Restrictions) != 1 || !strings.Contains(read(idx.Restrictions[0].Path), "Ada's repeated calls") || !strings.Contains(page, idx.Restrictions[0].Path) {
		t.Errorf("index restrictions = %+v, want Ada's warning, linked", idx.Restrictions)
	}
	for _, r := range idx.Restrictions {
		listed[r.Path] = true
	}
	for name := range files {
		if !listed[name] {
			t.Errorf("%s is in the ZIP but not in the index", name)
		}
	}
	if len(listed) != len(files) {
		t.Errorf("the index lists %d files, the ZIP holds %d", len(listed), len(files))
	}
	if len(idx.Cases) != 4 || len(idx.Cases[1].Withheld) != 1 || !idx.Cases[1].NamesOthers || idx.Cases[0].NamesOthers {
		t.Errorf("index cases = %+v", idx.Cases)
	}
	if !strings.Contains(page, "Article 15(4)") || !strings.Contains(idx.Redaction, "Article 15(4)") {
		t.Error("the index does not say what was redacted and why")
	}

	// Recorded: an event on each included case naming the ZIP's hash and
	// who made it, and the audit trail still verifies; none on
	// Bertram's own case.
	apply := sar.StoreApply(f.w.st, complaint.Actor{Email: "manager@example.org", Role: "manager"}, func() time.Time { return now })
	if err := sar.Record(ctx, ex, apply); err != nil {
		t.Fatal(err)
	}
	for _, c := range []complaint.Case{f.own, f.shared, f.secret, f.grp, f.bersOwn} {
		evs, err := f.w.st.CaseEvents(ctx, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		var d complaint.RecordSubjectAccessExport
		_ = json.Unmarshal(store.EventData(last), &d)
		recorded := last.Kind == complaint.EventSubjectAccessExported && last.Actor == "manager@example.org" && d.SHA256 == ex.SHA256 && d.Cases == 4
		if want := c.Reference != f.bersOwn.Reference; recorded != want {
			t.Errorf("case %s: last event %s by %s naming %q; want recorded = %v", c.Reference, last.Kind, last.Actor, d.SHA256, want)
		}
	}
	if rep, err := f.w.st.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Errorf("the audit trail after recording the export: %+v, %v", rep, err)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestASubjectAccessExportIsRefusedToWhoeverMayNotSeeEveryCase: Ada's
// confidential case is hers, so the export holds it; someone it does not
// name, who sees no confidential case, may not make the export at all,
// rather than be handed one that silently leaves it out.
func TestASubjectAccessExportIsRefusedToWhoeverMayNotSeeEveryCase(t *testing.T) {
	f := build(t)
	s, _ := sar.ParseSubject(ada.Email)
	_, err := sar.Build(ctx, f.w.st, sar.Request{Subject: s, Viewer: store.Viewer{Email: "other.manager@example.org"}, Now: now})
	if complaint.ErrorCode(err) != complaint.Forbidden {
		t.Fatalf("export by someone who may not see the confidential case: %v, want forbidden", err)
	}
	// Whoever logged the confidential case is named by it, and may.
	if _, err := sar.Build(ctx, f.w.st, sar.Request{Subject: s, Viewer: store.Viewer{Email: "officer@example.org"}, Now: now}); err != nil {
		t.Errorf("export by the officer the case names: %v", err)
	}
}

// TestASubjectIsFoundByTheSearchesNormalisation: a person is found by
// their phone number however it is written and by their tenancy
// reference however spaced, as the people search finds them.
func TestASubjectIsFoundByTheSearchesNormalisation(t *testing.T) {
	f := build(t)
	for _, tt := range []struct {
		key  string
		want []string
	}{
		{"phone:+44 7700 900123", []string{f.own.Reference, f.shared.Reference, f.secret.Reference}},
		{"phone:07700900123", []string{f.own.Reference, f.shared.Reference, f.secret.Reference}},
		{"tenancy:tq-99881", []string{f.shared.Reference, f.bersOwn.Reference}},
		{"CYRIL@example.com", []string{f.grp.Reference}},
	} {
		s, err := sar.ParseSubject(tt.key)
		if err != nil {
			t.Fatalf("%s: %v", tt.key, err)
		}
		ms, err := sar.Find(ctx, f.w.st, s)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.Case.Reference)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s finds %q, want %q", tt.key, got, tt.want)
		}
	}
	s, _ := sar.ParseSubject("nobody@example.org")
	if _, err := sar.Build(ctx, f.w.st, sar.Request{Subject: s, Viewer: manager, Now: now}); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("export for someone no case names: %v, want not_found", err)
	}
}

func TestParseSubjectNamesWhatIsWrong(t *testing.T) {
	for _, bad := range []string{"", "not an email", "phone:12", "tenancy:", "fax:0123456", "phone:07700 900123 ext 4"} {
		_, err := sar.ParseSubject(bad)
		var e *complaint.Error
		if complaint.ErrorCode(err) != complaint.Invalid || !errors.As(err, &e) || e.Fields["person"] == "" {
			t.Errorf("ParseSubject(%q) = %v, want invalid naming person", bad, err)
		}
	}
}
