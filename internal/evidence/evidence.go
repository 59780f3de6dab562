// Package evidence builds the evidence pack for a case: one ZIP that
// hands the Housing Ombudsman the whole case record, so that a reviewer
// needs nothing else. It holds a PDF chronology (every event, each stage's
// dates against its deadlines, extensions and their reasons, decisions
// and remedies), every letter exactly as issued, the notes, the case as
// stored, and the raw events as JSON with their hashes and the result of
// checking them.
//
// The pack is about one resident's case only: linked cases are listed by
// reference and nothing of them is included, so no other resident's data
// leaves with it.
package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/store"
)

// Verification is what the pack says about the integrity of the record.
type Verification struct {
	// Events is how many of the case's events were checked; EventsOK is
	// true when each one's hash matches its content and their numbers run
	// without a gap.
	Events   int  `json:"events"`
	EventsOK bool `json:"events_ok"`
	// Letters is how many letters were checked; LettersOK is true when
	// each PDF's SHA-256 matches the hash stored with it and the hash on
	// its letter_issued event.
	Letters   int  `json:"letters"`
	LettersOK bool `json:"letters_ok"`
	// Attachments is how many files were checked; AttachmentsOK is true
	// when each matches the hash its information_added event recorded.
	Attachments   int  `json:"attachments"`
	AttachmentsOK bool `json:"attachments_ok"`
	// ChainOK is the result of checking the audit hash chain across every
	// case in the database, which also catches deleted events.
	ChainOK  bool     `json:"chain_ok"`
	Problems []string `json:"problems"`
}

// OK reports whether every check passed.
func (v Verification) OK() bool { return v.EventsOK && v.LettersOK && v.AttachmentsOK && v.ChainOK }

// Pack is a built evidence pack.
type Pack struct {
	Reference    string
	Zip          []byte
	Verification Verification
}

// Build reads the case from the store and builds its pack. The landlord
// is named as on its letterhead, or as landlord until one is set; now
// dates the pack.
func Build(ctx context.Context, st store.Store, ref, landlord string, now time.Time) (Pack, error) {
	if lh, ok, err := st.Letterhead(ctx); err != nil {
		return Pack{}, err
	} else if ok {
		landlord = lh.Name
	}
	c, err := st.GetCase(ctx, ref)
	if err != nil {
		return Pack{}, err
	}
	evs, err := st.CaseEvents(ctx, c.Reference)
	if err != nil {
		return Pack{}, err
	}
	listedLetters, err := st.Letters(ctx, c.Reference)
	if err != nil {
		return Pack{}, err
	}
	var letters []store.Letter
	for _, l := range listedLetters {
		full, err := st.Letter(ctx, c.Reference, l.ID)
		if err != nil {
			return Pack{}, err
		}
		letters = append(letters, full)
	}
	listed, err := st.Attachments(ctx, c.Reference)
	if err != nil {
		return Pack{}, err
	}
	var files []store.Attachment
	for _, a := range listed {
		f, err := st.Attachment(ctx, c.Reference, a.ID)
		if err != nil {
			return Pack{}, err
		}
		files = append(files, f)
	}
	audit, err := st.VerifyAudit(ctx)
	if err != nil {
		return Pack{}, err
	}
	v := verify(c, evs, letters, files, audit)

	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, b []byte) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now.UTC()})
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	chron, err := pdfdoc.Render(chronology(c, evs, letters, v, landlord, now))
	if err != nil {
		return Pack{}, fmt.Errorf("chronology: %w", err)
	}
	caseJSON, _ := json.MarshalIndent(c, "", "  ")
	eventsJSON, _ := json.MarshalIndent(evs, "", "  ")
	verifyJSON, _ := json.MarshalIndent(v, "", "  ")
	out := []struct {
		name string
		b    []byte
	}{
		{"README.txt", []byte(readme(c, letters, files, v, landlord, now))},
		{"chronology.pdf", chron},
		{"case.json", caseJSON},
		{"events.json", eventsJSON},
		{"verification.json", verifyJSON},
		{"notes.txt", []byte(notes(evs))},
	}
	for i, l := range letters {
		out = append(out, struct {
			name string
			b    []byte
		}{fmt.Sprintf("letters/%02d-%s-%s.pdf", i+1, calendar.DateOf(l.IssuedAt), l.Kind), l.PDF})
	}
	for i, a := range files {
		out = append(out, struct {
			name string
			b    []byte
		}{fmt.Sprintf("attachments/%02d-%s", i+1, a.Name), a.Data})
	}
	for _, f := range out {
		if err := add(f.name, f.b); err != nil {
			return Pack{}, err
		}
	}
	if err := z.Close(); err != nil {
		return Pack{}, err
	}
	return Pack{Reference: c.Reference, Zip: buf.Bytes(), Verification: v}, nil
}

// verify checks the case's events and letters, and takes the chain's
// result from the store's audit.
func verify(c complaint.Case, evs []complaint.Event, letters []store.Letter, files []store.Attachment, audit store.AuditReport) Verification {
	v := Verification{Events: len(evs), EventsOK: true, Letters: len(letters), LettersOK: true, Attachments: len(files), AttachmentsOK: true,
		ChainOK: audit.OK, Problems: []string{}}
	byHash := map[int]string{}  // the SHA-256 each letter_issued event records, by its number
	named := map[int][]string{} // the SHA-256s each information_added event names
	for i, ev := range evs {
		data := string(rawData(ev.Data))
		if want := store.EventHash(ev.PrevHash, c.Reference, ev.Seq, ev.Kind, ev.Actor, ev.At, ev.RecordedAt, data); want != ev.Hash {
			v.EventsOK = false
			v.Problems = append(v.Problems, fmt.Sprintf("event #%d (%s): its content does not match its hash: it was changed after it was recorded", ev.Seq, ev.Kind))
		}
		if ev.Seq != i+1 {
			v.EventsOK = false
			v.Problems = append(v.Problems, fmt.Sprintf("event #%d follows #%d: events are missing", ev.Seq, i))
		}
		if ev.Kind == "information_added" {
			var d complaint.AddInformation
			_ = json.Unmarshal(rawData(ev.Data), &d)
			for _, a := range d.Attachments {
				named[ev.Seq] = append(named[ev.Seq], a.SHA256)
			}
		}
		if ev.Kind == "letter_issued" {
			var d struct {
				SHA256 string `json:"sha256"`
			}
			_ = json.Unmarshal(rawData(ev.Data), &d)
			byHash[ev.Seq] = d.SHA256
		}
	}
	for _, l := range letters {
		sum := sha256.Sum256(l.PDF)
		got := hex.EncodeToString(sum[:])
		if got != l.SHA256 || byHash[l.EventSeq] != l.SHA256 {
			v.LettersOK = false
			v.Problems = append(v.Problems, fmt.Sprintf("letter %d (%s, event #%d): its PDF does not match the hash recorded when it was issued", l.ID, l.Kind, l.EventSeq))
		}
	}
	for _, a := range files {
		sum := sha256.Sum256(a.Data)
		if got := hex.EncodeToString(sum[:]); got != a.SHA256 || !slices.Contains(named[a.EventSeq], got) {
			v.AttachmentsOK = false
			v.Problems = append(v.Problems, fmt.Sprintf("attachment %d (%s, event #%d): its content does not match the hash recorded when it was received", a.ID, a.Name, a.EventSeq))
		}
	}
	if !audit.OK {
		v.Problems = append(v.Problems, fmt.Sprintf("the audit chain across all cases has %d problem(s); run redress audit verify", len(audit.Problems)))
		for _, p := range audit.Problems {
			// Only this case's problems: others name other cases.
			if strings.Contains(p, c.Reference) {
				v.Problems = append(v.Problems, p)
			}
		}
	}
	return v
}

// rawData is an event's data as it was stored.
func rawData(d any) []byte {
	switch d := d.(type) {
	case json.RawMessage:
		return d
	case []byte:
		return d
	}
	b, _ := json.Marshal(d)
	return b
}

func readme(c complaint.Case, letters []store.Letter, files []store.Attachment, v Verification, landlord string, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Evidence pack for case %s\n", c.Reference)
	fmt.Fprintf(&b, "Prepared by %s on %s (London time) from its complaints system, Redress.\n\n", landlord, now.In(calendar.London).Format("2 January 2006 at 15:04"))
	b.WriteString("What is in this pack\n")
	b.WriteString("- chronology.pdf: the case, each stage's dates against its deadlines, extensions and their reasons, decisions, remedies, and every event in order.\n")
	fmt.Fprintf(&b, "- letters/: the %d letter(s) sent to the resident, exactly as issued.\n", len(letters))
	fmt.Fprintf(&b, "- attachments/: the %d file(s) sent with the case, exactly as received.\n", len(files))
	b.WriteString("- notes.txt: the notes recorded on the case.\n")
	b.WriteString("- case.json: the case as stored.\n")
	b.WriteString("- events.json: every event as stored, with the hash chaining it to the event before it.\n")
	b.WriteString("- verification.json: the result of checking those hashes and the letters' hashes.\n\n")
	if v.OK() {
		fmt.Fprintf(&b, "Verification: passed. All %d events match their hashes, all %d letters and %d attachments match the hashes recorded when they were issued or received, and the audit chain across the whole database is unbroken.\n", v.Events, v.Letters, v.Attachments)
	} else {
		b.WriteString("Verification: FAILED. The record may have been changed after it was made:\n")
		for _, p := range v.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	if len(c.Links) > 0 {
		fmt.Fprintf(&b, "\nThis case is linked to %s. Those cases are other residents' and are not included.\n", strings.Join(c.Links, ", "))
	}
	return b.String()
}

func notes(evs []complaint.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		if ev.Kind != "note_added" {
			continue
		}
		var n complaint.Note
		_ = json.Unmarshal(rawData(ev.Data), &n)
		fmt.Fprintf(&b, "%s, %s (event #%d):\n%s\n\n", ev.At.In(calendar.London).Format("2 January 2006 15:04"), ev.Actor, ev.Seq, n.Text)
	}
	if b.Len() == 0 {
		return "No notes were recorded on this case.\n"
	}
	return b.String()
}

// chronology lays the case out for the reviewer.
func chronology(c complaint.Case, evs []complaint.Event, letters []store.Letter, v Verification, landlord string, now time.Time) pdfdoc.Document {
	d := pdfdoc.Document{Title: "Evidence pack: case " + c.Reference, Subject: "Complaint record for the Housing Ombudsman",
		Author: landlord, Created: now, Reference: c.Reference}
	add := func(b ...pdfdoc.Block) { d.Blocks = append(d.Blocks, b...) }
	day := func(t time.Time) string {
		if t.IsZero() {
			return "not yet"
		}
		return t.In(calendar.London).Format("2 January 2006 15:04")
	}
	date := func(x calendar.Date) string {
		if x.IsZero() {
			return "none"
		}
		return x.Start().Format("2 January 2006")
	}
	add(pdfdoc.Heading{Level: 1, Text: "Case " + c.Reference},
		pdfdoc.KeyValues{Pairs: [][2]string{
			{"Landlord", landlord},
			{"Kind", string(c.Kind)},
			{"Status", string(c.Status)},
			{"Received", day(c.ReceivedAt) + " by " + string(c.Channel)},
			{"Resident", c.Complainant.Name},
			{"Summary", c.Summary},
			{"Outcome sought", c.DesiredOutcome},
			{"Adjustments", strings.Join(c.Adjustments, "; ")},
			{"Policy", c.Policy},
			{"Pack prepared", day(now)},
		}})
	if v.OK() {
		add(pdfdoc.Paragraph{Text: fmt.Sprintf("Integrity: all %d events match their hashes, all %d letters match the hashes recorded when they were issued, and the audit chain is unbroken.", v.Events, v.Letters)})
	} else {
		add(pdfdoc.Heading{Level: 2, Text: "Integrity check FAILED"}, pdfdoc.Bullets{Items: v.Problems})
	}
	for _, st := range c.Stages {
		add(pdfdoc.Heading{Level: 2, Text: fmt.Sprintf("Stage %d (%s)", st.Stage, st.Reference)})
		met := func(done time.Time, by calendar.Date) string {
			if done.IsZero() || by.IsZero() {
				return ""
			}
			if calendar.DateOf(done).After(by) {
				return "late"
			}
			return "on time"
		}
		add(pdfdoc.Table{Caption: fmt.Sprintf("Stage %d against its deadlines", st.Stage), Header: []string{"Step", "Due", "Done", ""},
			Rows: [][]string{
				{"Received", "", day(st.ReceivedAt), ""},
				{"Acknowledge", date(st.AcknowledgeBy), day(st.AcknowledgedAt), met(st.AcknowledgedAt, st.AcknowledgeBy)},
				{"Respond", date(st.RespondBy), day(st.RespondedAt), met(st.RespondedAt, st.RespondBy)},
				{"Respond (the Code's timescale)", date(st.CodeRespondBy), day(st.RespondedAt), met(st.RespondedAt, st.CodeRespondBy)},
			}})
		if len(st.Extensions) > 0 {
			t := pdfdoc.Table{Caption: "Extensions", Header: []string{"When", "Working days", "Reason", "Agreed with the resident", "Ombudsman's details given", "New date"}}
			for _, e := range st.Extensions {
				t.Rows = append(t.Rows, []string{day(e.At), fmt.Sprint(e.WorkingDays), e.Reason, yesNo(e.AgreedWithResident), yesNo(e.OmbudsmanDetailsGiven), date(e.NewRespondBy)})
			}
			add(t)
		}
		if len(st.Points) > 0 {
			t := pdfdoc.Table{Caption: "Points of complaint and decisions", Header: []string{"Point", "Decision", "Reasons"}}
			for i, p := range st.Points {
				dec, reasons := "not decided", ""
				for _, x := range st.Decisions {
					if x.Point == i+1 {
						dec, reasons = string(x.Outcome), x.Reasons
					}
				}
				t.Rows = append(t.Rows, []string{fmt.Sprintf("%d. %s", i+1, p), dec, reasons})
			}
			add(t)
		}
		if st.Reason != "" || st.LateReason != "" {
			add(pdfdoc.KeyValues{Pairs: [][2]string{{"Reason for escalating", st.Reason}, {"Reason a late request was accepted", st.LateReason}}})
		}
	}
	if len(c.Remedies) > 0 {
		t := pdfdoc.Table{Caption: "Remedies and actions", Header: []string{"Stage", "Kind", "Description", "Amount", "Due", "Done"}}
		for _, r := range c.Remedies {
			amount := ""
			if r.AmountPence > 0 {
				amount = fmt.Sprintf("£%d.%02d", r.AmountPence/100, r.AmountPence%100)
			}
			done := "no"
			if r.Done {
				done = day(r.DoneAt)
			}
			t.Rows = append(t.Rows, []string{fmt.Sprint(r.Stage), string(r.Kind), r.Description, amount, date(r.Due), done})
		}
		add(pdfdoc.Heading{Level: 2, Text: "Putting things right"}, t)
	}
	if len(letters) > 0 {
		t := pdfdoc.Table{Caption: "Letters issued (in letters/)", Header: []string{"Issued", "Letter", "Sent by", "SHA-256"}}
		for _, l := range letters {
			t.Rows = append(t.Rows, []string{day(l.IssuedAt), l.Title, l.Channel, l.SHA256})
		}
		add(pdfdoc.Heading{Level: 2, Text: "Letters"}, t)
	}
	t := pdfdoc.Table{Caption: "Every event, in order", Header: []string{"#", "When", "Who", "What", "Details"}}
	for _, ev := range evs {
		t.Rows = append(t.Rows, []string{fmt.Sprint(ev.Seq), day(ev.At), ev.Actor, strings.ReplaceAll(ev.Kind, "_", " "), details(ev)})
	}
	add(pdfdoc.Heading{Level: 2, Text: "Chronology"}, t)
	return d
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// details is an event's data as "field: value" lines, for the reader.
func details(ev complaint.Event) string {
	var m map[string]any
	if err := json.Unmarshal(rawData(ev.Data), &m); err != nil {
		return ""
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var lines []string
	for _, k := range keys {
		v := m[k]
		switch v := v.(type) {
		case nil, bool:
			if v == nil || v == false {
				continue
			}
		case string:
			if v == "" {
				continue
			}
		}
		b, _ := json.Marshal(v)
		s := string(b)
		if str, ok := v.(string); ok {
			s = str
		}
		lines = append(lines, strings.ReplaceAll(k, "_", " ")+": "+s)
	}
	out := strings.Join(lines, "\n")
	if len(out) > 2000 {
		out = out[:2000] + "…"
	}
	return out
}

// Files lists the names in a pack, for tests and for the CLI's summary.
func Files(zipBytes []byte) ([]string, error) {
	r, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range r.File {
		out = append(out, f.Name)
	}
	return out, nil
}

// ReadFile returns one file of a pack.
func ReadFile(zipBytes []byte, name string) ([]byte, error) {
	r, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		return nil, err
	}
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
