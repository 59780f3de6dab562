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
// leaves with it; and a linked case the person asking for the pack may
// not see (a confidential one) is not even named.
//
// The integrity checks are the store's (store.Auditor): the chain across
// every case, and this case rebuilt from its events and compared with the
// case as stored, its letters and files against the hashes their events
// recorded.
package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/money"
	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/store"
)

// Store is what a pack is built from: the case, its events, letters and
// files as stored, the letterhead that names the landlord, the linked
// cases (only to decide which the pack may name), and the store's own
// integrity checks of the case and of the chain. It is reads only, so
// building a pack can never change the record it hands over. store.Store
// (the SQLite and PostgreSQL stores) satisfies it.
type Store interface {
	Letterhead(ctx context.Context) (store.Letterhead, bool, error)
	GetCase(ctx context.Context, ref string) (complaint.Case, error)
	CaseEvents(ctx context.Context, ref string) ([]complaint.Event, error)
	Letters(ctx context.Context, ref string) ([]store.Letter, error)
	Letter(ctx context.Context, ref string, id int64) (store.Letter, error)
	Attachments(ctx context.Context, ref string) ([]store.Attachment, error)
	Attachment(ctx context.Context, ref string, id int64) (store.Attachment, error)
	// VerifyCase and VerifyChain are store.Auditor's checks; the rest of
	// store.Auditor signs and checks checkpoints, which a pack does not.
	VerifyCase(ctx context.Context, ref string) (store.CaseAudit, error)
	VerifyChain(ctx context.Context) (store.AuditReport, error)
}

// Verification is what the pack says about the integrity of the record:
// the store's check of the case (store.CaseAudit, whose fields say what
// each check covers) and its check of the chain across every case. It is
// the store's own result, so that the pack and redress audit verify can
// never describe the same check differently. Problems are the case's,
// without its reference, and those of the chain that this pack may name.
type Verification struct {
	store.CaseAudit
	// ChainOK is the result of checking the audit hash chain across every
	// case in the database, which also catches deleted events. Deleting
	// the newest events, and rewinding the chain's head, is caught only
	// against a checkpoint kept outside the database (redress audit verify
	// --checkpoint).
	ChainOK bool `json:"chain_ok"`
}

// OK reports whether every check passed.
func (v Verification) OK() bool {
	return v.CaseAudit.OK() && v.ChainOK
}

// Pack is a built evidence pack.
type Pack struct {
	Reference    string
	Zip          []byte
	Verification Verification
}

// Build builds the pack for someone who may see no confidential case but
// this one: BuildFor with no viewer. Linked confidential cases are left
// out, so a pack built without saying who asks never names one.
func Build(ctx context.Context, st Store, ref, landlord string, now time.Time) (Pack, error) {
	return BuildFor(ctx, st, ref, landlord, now, store.Viewer{})
}

// BuildFor reads the case from the store and builds its pack for viewer,
// who has been allowed to see the case itself. Linked cases the viewer
// may not see are not named anywhere in the pack. The landlord is named
// as on its letterhead, or as landlord until one is set; now dates the
// pack.
func BuildFor(ctx context.Context, st Store, ref, landlord string, now time.Time, viewer store.Viewer) (Pack, error) {
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
	chain, err := st.VerifyChain(ctx)
	if err != nil {
		return Pack{}, err
	}
	ca, err := st.VerifyCase(ctx, c.Reference)
	if err != nil {
		return Pack{}, err
	}
	v := verify(c, ca, chain)
	hidden, err := hiddenLinks(ctx, st, c, viewer)
	if err != nil {
		return Pack{}, err
	}
	c, evs = withoutLinks(c, evs, hidden)

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
		{"README.txt", []byte(readme(c, letters, files, v, landlord, now, len(hidden) > 0))},
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

// verify takes the store's checks of the case and of the chain. Of the
// chain's problems only those naming this case, or naming no case, are
// repeated: the others name other cases, which may be confidential.
func verify(c complaint.Case, ca store.CaseAudit, chain store.AuditReport) Verification {
	v := Verification{CaseAudit: ca, ChainOK: chain.OK}
	v.Problems = []string{}
	for _, p := range ca.Problems {
		v.Problems = append(v.Problems, strings.TrimPrefix(p, "case "+c.Reference+": "))
	}
	if !chain.OK {
		v.Problems = append(v.Problems, fmt.Sprintf("the audit chain across all cases has %d problem(s); run redress audit verify", len(chain.Problems)))
		for _, p := range chain.Problems {
			if !namesACase.MatchString(p) || slices.ContainsFunc(c.References(), func(ref string) bool { return strings.Contains(p, ref+" ") || strings.Contains(p, ref+":") }) {
				v.Problems = append(v.Problems, p)
			}
		}
	}
	return v
}

// namesACase finds a case reference (store.FormatReference) in a problem.
var namesACase = regexp.MustCompile(`\b[A-Z]+-\d{4}-\d{6}\b`)

// hiddenLinks returns the linked cases viewer may not see, by the rule
// the rest of Redress uses (auth.Sees): a confidential case is seen
// only by the people it names (its handlers, whoever logged it and its
// line manager) and those who see every confidential case; a viewer with
// no email sees none. A link
// to a case that no longer exists is hidden too.
func hiddenLinks(ctx context.Context, st Store, c complaint.Case, viewer store.Viewer) (map[string]bool, error) {
	hidden := map[string]bool{}
	for _, ref := range c.Links {
		other, err := st.GetCase(ctx, ref)
		if complaint.ErrorCode(err) == complaint.NotFound {
			hidden[ref] = true
			continue
		}
		if err != nil {
			return nil, err
		}
		if !auth.Sees(viewer.AllConfidential, viewer.Email, &other) {
			hidden[ref] = true
		}
	}
	return hidden, nil
}

// withheld stands in a linked event for a reference the viewer may not
// see.
const withheld = "withheld: a case you may not see"

// withoutLinks takes the hidden references out of the case and out of
// the events that made the links.
func withoutLinks(c complaint.Case, evs []complaint.Event, hidden map[string]bool) (complaint.Case, []complaint.Event) {
	if len(hidden) == 0 {
		return c, evs
	}
	c.Links = slices.DeleteFunc(slices.Clone(c.Links), func(ref string) bool { return hidden[ref] })
	evs = slices.Clone(evs)
	for i, ev := range evs {
		if ev.Kind != complaint.EventLinked {
			continue
		}
		var l complaint.Link
		if json.Unmarshal(store.EventData(ev), &l) == nil && hidden[strings.TrimSpace(l.Reference)] {
			evs[i].Data = complaint.Link{Reference: withheld}
		}
	}
	return c, evs
}

func readme(c complaint.Case, letters []store.Letter, files []store.Attachment, v Verification, landlord string, now time.Time, withheldLinks bool) string {
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
	b.WriteString("- verification.json: the result of checking those hashes, the case against its events, and the letters' and files' hashes.\n\n")
	if a := v.Anonymised; a != nil {
		why := "under the retention rule " + a.Rule
		if a.Request != "" {
			why = "on the erasure request " + a.Request
		}
		fmt.Fprintf(&b, "This case was anonymised on %s %s (by %s): the resident's personal data and the free text were removed from the case and from the %d events listed by its anonymisation event, and the letters' and files' contents were deleted. "+
			"Each of those events keeps the hash it was chained with; its anonymised data is checked against the SHA-256 its anonymisation recorded, which is itself chained like any other event.\n\n",
			a.At.In(calendar.London).Format("2 January 2006"), why, a.By, a.Events)
	}
	if v.OK() {
		fmt.Fprintf(&b, "Verification: passed. All %d events match their hashes, the case as stored is the case they record, all %d letters and %d attachments match the hashes recorded when they were issued or received, and the audit chain across the whole database is unbroken.\n", v.Events, v.Letters, v.Attachments)
	} else {
		b.WriteString("Verification: FAILED. The record may have been changed after it was made:\n")
		for _, p := range v.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	if len(c.Links) > 0 {
		fmt.Fprintf(&b, "\nThis case is linked to %s. Those cases are other residents' and are not included.\n", strings.Join(c.Links, ", "))
	}
	if withheldLinks {
		fmt.Fprintf(&b, "\nWhere this case is linked to a case that is not named here, events.json shows the link's reference as %q, so that event no longer matches its hash.\n", withheld)
	}
	return b.String()
}

func notes(evs []complaint.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		if ev.Kind != complaint.EventNoteAdded {
			continue
		}
		var n complaint.Note
		_ = json.Unmarshal(store.EventData(ev), &n)
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
		add(pdfdoc.Paragraph{Text: fmt.Sprintf("Integrity: all %d events match their hashes, the case as stored is the case they record, all %d letters match the hashes recorded when they were issued, and the audit chain is unbroken.", v.Events, v.Letters)})
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
	add(hazardBlocks(c, now)...)
	if len(c.Remedies) > 0 {
		t := pdfdoc.Table{Caption: "Remedies and actions", Header: []string{"Stage", "Kind", "Description", "Amount", "Due", "Done"}}
		for _, r := range c.Remedies {
			amount := ""
			if r.AmountPence > 0 {
				amount = money.Pence(r.AmountPence).Fixed()
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
		t.Rows = append(t.Rows, []string{fmt.Sprint(ev.Seq), day(ev.At), ev.Actor, strings.ReplaceAll(string(ev.Kind), "_", " "), details(ev)})
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
	if err := json.Unmarshal(store.EventData(ev), &m); err != nil {
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
