// Package sar makes a subject access export (UK GDPR Art. 15): for one
// person, every case that names them, across all cases, with its
// letters, emails, notes, files and events, as one ZIP with an index
// readable in a browser (index.html) and by a program (index.json), and
// their entries in the register of restricted contact.
//
// A case names the person when they are its complainant, its
// representative, a member of its group (or, by name, the group's point
// of contact) or the elected member of a member enquiry, matched by the
// one identifier the person is known by (Subject) on the case as it
// stands or in any version of those details its audit trail recorded.
// Staff are not people the export is about: they act for the landlord,
// and are named as the record names them.
//
// Nothing about anyone else leaves with it (Art. 15(4)): other people's
// details are redacted from every copy the export makes (see redactor),
// and the files that cannot be redacted, letters' PDFs and attachments,
// are copied only from cases that name nobody else; from a case that
// does, a letter is given as its text, redacted, and a file is withheld
// and listed in the index, for a person to review before disclosing it.
//
// Confidential cases are included, since the person is entitled to them,
// so an export is refused to anyone who may not see every case that
// names the person. Every case included records the disclosure on its
// audit trail (complaint.RecordSubjectAccessExport): who made the
// export, and its ZIP's SHA-256.
package sar

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/mail"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// Store is what an export is read from: every case (to find those that
// name the person), and each one's events, letters, files and outbound
// mail, and the restrictions of contact on the person (the register of
// 002 §2.7, which keeps personal data about them apart from any case). It
// is reads only; recording the export is Record's, through the
// caller's own way of applying a command. store.Store satisfies it.
type Store interface {
	ListCases(ctx context.Context, f store.CaseFilter) ([]complaint.Case, string, error)
	CaseEvents(ctx context.Context, ref string) ([]complaint.Event, error)
	Letters(ctx context.Context, ref string) ([]store.Letter, error)
	Letter(ctx context.Context, ref string, id int64) (store.Letter, error)
	Attachments(ctx context.Context, ref string) ([]store.Attachment, error)
	Attachment(ctx context.Context, ref string, id int64) (store.Attachment, error)
	Outbox(ctx context.Context, caseRef string) ([]store.OutboundMessage, error)
	ListRestrictions(ctx context.Context, f store.RestrictionFilter) ([]restriction.Restriction, error)
	RestrictionEvents(ctx context.Context, id int64) ([]restriction.Event, error)
}

// Request says whose export to make, for whom and when.
type Request struct {
	Subject Subject
	// Viewer is who makes the export, for the confidential-case rule: it
	// is refused unless they may see every case that names the person.
	Viewer store.Viewer
	// By names who made it in the index: their email.
	By       string
	Landlord string
	Now      time.Time
}

// Match is a case that names the person, and the parts they play in it.
type Match struct {
	Case  complaint.Case
	Roles []string
}

// Find returns every case that names the subject, oldest first, with the
// roles they play in each, whoever may see them: the caller decides what
// its viewer may be shown (Build refuses rather than leave one out). It
// reads every case, since a group's members are in no search index; a
// subject access request is rare enough to afford it.
func Find(ctx context.Context, st Store, s Subject) ([]Match, error) {
	var out []Match
	f := store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Sort: "oldest", Limit: 500}
	for {
		cases, next, err := st.ListCases(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, c := range cases {
			var roles []string
			for _, p := range partiesOf(c) {
				if s.is(p) && !slices.Contains(roles, p.Role) {
					roles = append(roles, p.Role)
				}
			}
			if len(roles) > 0 {
				out = append(out, Match{Case: c, Roles: roles})
			}
		}
		if next == "" {
			return out, nil
		}
		f.Cursor = next
	}
}

// Export is a built export: the ZIP as it is handed over, its SHA-256,
// and the cases it holds.
type Export struct {
	Zip    []byte
	SHA256 string
	Cases  []Match
	Index  Index
}

// Index is index.json: what the export holds and why each thing is in
// it or left out.
type Index struct {
	Person   string    `json:"person"`
	MadeBy   string    `json:"made_by"`
	MadeAt   time.Time `json:"made_at"`
	Landlord string    `json:"landlord"`
	// Redaction says what was taken out of the copies and why.
	Redaction string      `json:"redaction"`
	Cases     []IndexCase `json:"cases"`
	// Restrictions are the person's entries in the register of
	// restricted contact, each with its events.
	Restrictions []IndexFile `json:"restrictions"`
}

// IndexCase is one case in the export.
type IndexCase struct {
	Reference    string    `json:"reference"`
	Kind         string    `json:"kind"`
	Status       string    `json:"status"`
	ReceivedAt   time.Time `json:"received_at"`
	Confidential bool      `json:"confidential"`
	Roles        []string  `json:"roles"`
	Summary      string    `json:"summary"`
	// NamesOthers says the case names someone besides the person and
	// staff, so their details are redacted and files that cannot be
	// redacted are withheld.
	NamesOthers bool        `json:"names_others"`
	Files       []IndexFile `json:"files"`
	Withheld    []Withheld  `json:"withheld,omitempty"`
}

// IndexFile is one file of the export.
type IndexFile struct {
	Path string `json:"path"`
	// What is "case", "events", "notes", "letter", "attachment",
	// "email_sent", "email_received" or "restriction".
	What        string    `json:"what"`
	Description string    `json:"description"`
	At          time.Time `json:"at,omitzero"`
	SHA256      string    `json:"sha256"`
}

// Withheld is a file of a case left out of the export, and why.
type Withheld struct {
	What        string `json:"what"`
	Description string `json:"description"`
	Reason      string `json:"reason"`
}

// redactionStatement is the index's account of what was taken out.
const redactionStatement = "Where a case also names other people (a joint complainant, a representative, the person a representative acts for, a group's other members, an elected member), their names, email addresses, phone numbers, addresses, postcodes and tenancy references are replaced with \"" + Redacted + "\" in every copy in this export: the case record, its events, notes, letters' text and emails. UK GDPR Article 15(4) says the right to a copy must not adversely affect the rights and freedoms of others. Staff are named as the record names them, since they act for the landlord. Letters' PDFs and files sent with such a case cannot be redacted here: a letter is given as its text, and a file is withheld and listed, to be reviewed by a person before it is disclosed. The events' hashes cover what was recorded, so a redacted event no longer matches its hash; the landlord's audit trail is unchanged."

// withheldReason is why a file of a case that names others is left out.
const withheldReason = "This case names other people and this file may too; it cannot be redacted automatically (UK GDPR Article 15(4)). Ask the landlord's data protection officer for a reviewed copy."

// Build finds every case that names the subject and builds the export.
// It refuses (forbidden) if the viewer may not see one of them, and is
// not_found if no case names the subject.
func Build(ctx context.Context, st Store, req Request) (Export, error) {
	matches, err := Find(ctx, st, req.Subject)
	if err != nil {
		return Export{}, err
	}
	if len(matches) == 0 {
		return Export{}, complaint.Errorf(complaint.NotFound, "no case names %s", req.Subject.Key())
	}
	for _, m := range matches {
		if !auth.Sees(req.Viewer.AllConfidential, req.Viewer.Email, &m.Case) {
			return Export{}, complaint.Errorf(complaint.Forbidden, "this person is named on a confidential case you may not see, so the export must be made by someone who may see every case that names them")
		}
	}

	// Everyone named, as the cases stand and as their events recorded
	// them, split into the person and everyone else.
	type caseData struct {
		events []complaint.Event
		own    []party
		others []party
	}
	data := make([]caseData, len(matches))
	var own, others []party
	for i, m := range matches {
		evs, err := st.CaseEvents(ctx, m.Case.Reference)
		if err != nil {
			return Export{}, err
		}
		data[i].events = evs
		for _, p := range append(partiesOf(m.Case), recordedParties(evs)...) {
			if req.Subject.is(p) {
				data[i].own = append(data[i].own, p)
			}
		}
		for _, p := range append(partiesOf(m.Case), recordedParties(evs)...) {
			if !req.Subject.is(p) && !nameOnlyOwn(p, data[i].own) {
				data[i].others = append(data[i].others, p)
			}
		}
		own = append(own, data[i].own...)
		others = append(others, data[i].others...)
	}
	red := newRedactor(own, others)
	emails := subjectEmails(req.Subject, own)

	idx := Index{Person: req.Subject.Key(), MadeBy: req.By, MadeAt: req.Now.UTC(), Landlord: req.Landlord, Redaction: redactionStatement}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, b []byte) (string, error) {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: req.Now.UTC()})
		if err != nil {
			return "", err
		}
		if _, err := w.Write(b); err != nil {
			return "", err
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:]), nil
	}
	for i, m := range matches {
		c := m.Case
		ic := IndexCase{Reference: c.Reference, Kind: string(c.Kind), Status: string(c.Status), ReceivedAt: c.ReceivedAt,
			Confidential: c.Confidential, Roles: m.Roles, Summary: red.text(c.Summary), NamesOthers: len(data[i].others) > 0}
		dir := "cases/" + c.Reference + "/"
		file := func(name, what, desc string, at time.Time, b []byte) error {
			sum, err := add(dir+name, b)
			if err != nil {
				return err
			}
			ic.Files = append(ic.Files, IndexFile{Path: dir + name, What: what, Description: desc, At: at, SHA256: sum})
			return nil
		}
		caseJSON, err := red.json(c)
		if err != nil {
			return Export{}, err
		}
		if err := file("case.json", "case", "The case as stored", c.LastEventAt, caseJSON); err != nil {
			return Export{}, err
		}
		evs := data[i].events
		eventsJSON, err := red.json(evs)
		if err != nil {
			return Export{}, err
		}
		if err := file("events.json", "events", fmt.Sprintf("The case's audit trail: %d events", len(evs)), time.Time{}, eventsJSON); err != nil {
			return Export{}, err
		}
		if err := file("notes.txt", "notes", "The notes staff recorded on the case", time.Time{}, []byte(red.text(notes(evs)))); err != nil {
			return Export{}, err
		}
		n := 0
		for _, ev := range evs {
			if ev.Kind != complaint.EventInformationAdded {
				continue
			}
			var info complaint.AddInformation
			_ = json.Unmarshal(store.EventData(ev), &info)
			if info.Source != "email" || !sentTo(info.From, emails) {
				continue
			}
			n++
			body := fmt.Sprintf("Received by email on %s\nFrom: %s\n\n%s\n", londonTime(ev.At), info.From, info.Text)
			for _, a := range info.Attachments {
				body += fmt.Sprintf("\nWith the file %s (SHA-256 %s)\n", a.Name, a.SHA256)
			}
			if err := file(fmt.Sprintf("emails/received-%02d.txt", n), "email_received", red.text("Email received from "+info.From), ev.At, []byte(red.text(body))); err != nil {
				return Export{}, err
			}
		}
		out, err := st.Outbox(ctx, c.Reference)
		if err != nil {
			return Export{}, err
		}
		n = 0
		for _, msg := range out {
			if !sentTo(msg.To, emails) {
				continue
			}
			n++
			at := msg.SentAt
			if at.IsZero() {
				at = msg.QueuedAt
			}
			body := fmt.Sprintf("To: %s\nSubject: %s\nQueued: %s\nStatus: %s\n", msg.To, msg.Subject, londonTime(msg.QueuedAt), msg.Status)
			if !msg.SentAt.IsZero() {
				body += "Sent: " + londonTime(msg.SentAt) + "\n"
			}
			for _, a := range msg.Attachments {
				body += "Attached: " + a.Name + "\n"
			}
			body += "\n" + msg.TextBody + "\n"
			if err := file(fmt.Sprintf("emails/sent-%02d.txt", n), "email_sent", red.text("Email sent: "+msg.Subject), at, []byte(red.text(body))); err != nil {
				return Export{}, err
			}
		}
		ls, err := st.Letters(ctx, c.Reference)
		if err != nil {
			return Export{}, err
		}
		for j, l := range ls {
			name := fmt.Sprintf("letters/%02d-%s-%s", j+1, calendar.DateOf(l.IssuedAt), safeName(l.Kind))
			desc := red.text(fmt.Sprintf("Letter: %s, issued %s to %s", l.Title, londonTime(l.IssuedAt), l.Recipient))
			if !ic.NamesOthers {
				full, err := st.Letter(ctx, c.Reference, l.ID)
				if err != nil {
					return Export{}, err
				}
				if err := file(name+".pdf", "letter", desc+", exactly as issued", l.IssuedAt, full.PDF); err != nil {
					return Export{}, err
				}
				continue
			}
			text := fmt.Sprintf("%s\nIssued %s by %s, by %s, to %s\nSubject: %s\n\n%s\n", l.Title, londonTime(l.IssuedAt), l.IssuedBy, l.Channel, l.Recipient, l.Subject, l.Body)
			if err := file(name+".txt", "letter", desc+", its text redacted (the PDF as issued names other people)", l.IssuedAt, []byte(red.text(text))); err != nil {
				return Export{}, err
			}
		}
		as, err := st.Attachments(ctx, c.Reference)
		if err != nil {
			return Export{}, err
		}
		for j, a := range as {
			desc := red.text(fmt.Sprintf("File %s, added %s (%s)", a.Name, londonTime(a.AddedAt), a.Source))
			if ic.NamesOthers {
				ic.Withheld = append(ic.Withheld, Withheld{What: "attachment", Description: desc, Reason: withheldReason})
				continue
			}
			full, err := st.Attachment(ctx, c.Reference, a.ID)
			if err != nil {
				return Export{}, err
			}
			if err := file(fmt.Sprintf("attachments/%02d-%s", j+1, safeName(a.Name)), "attachment", desc+", exactly as received", a.AddedAt, full.Data); err != nil {
				return Export{}, err
			}
		}
		idx.Cases = append(idx.Cases, ic)
	}
	if idx.Restrictions, err = restrictions(ctx, st, req.Subject, red, add); err != nil {
		return Export{}, err
	}
	indexJSON, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return Export{}, err
	}
	if _, err := add("index.json", indexJSON); err != nil {
		return Export{}, err
	}
	var page bytes.Buffer
	if err := indexPage.Execute(&page, idx); err != nil {
		return Export{}, fmt.Errorf("index.html: %w", err)
	}
	if _, err := add("index.html", page.Bytes()); err != nil {
		return Export{}, err
	}
	if err := z.Close(); err != nil {
		return Export{}, err
	}
	sum := sha256.Sum256(buf.Bytes())
	return Export{Zip: buf.Bytes(), SHA256: hex.EncodeToString(sum[:]), Cases: matches, Index: idx}, nil
}

// restrictions adds the person's entries in the register of restricted
// contact, each with its events, redacted as the cases are. The register
// names a person by Person.Key(), so an entry is theirs when its key
// reads as the same subject (a phone number however written).
func restrictions(ctx context.Context, st Store, s Subject, red *redactor, add func(string, []byte) (string, error)) ([]IndexFile, error) {
	all, err := st.ListRestrictions(ctx, store.RestrictionFilter{})
	if err != nil {
		return nil, err
	}
	out := []IndexFile{}
	for _, r := range all {
		if k, err := ParseSubject(r.PersonKey); err != nil || k != s {
			continue
		}
		evs, err := st.RestrictionEvents(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		b, err := red.json(struct {
			Restriction restriction.Restriction `json:"restriction"`
			Events      []restriction.Event     `json:"events"`
		}{r, evs})
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("restrictions/%d.json", r.ID)
		sum, err := add(name, b)
		if err != nil {
			return nil, err
		}
		out = append(out, IndexFile{Path: name, What: "restriction", SHA256: sum, At: r.UpdatedAt,
			Description: fmt.Sprintf("Restriction of contact %d (%s), arising on case %s, with its %d events", r.ID, strings.ReplaceAll(string(r.Status), "_", " "), r.CaseRef, len(evs))})
	}
	return out, nil
}

// nameOnlyOwn reports whether p, known only by name (a group's point of
// contact), is the person by one of the names their own records give.
func nameOnlyOwn(p party, own []party) bool {
	if p.Email != "" || p.Phone != "" || p.Tenancy != "" {
		return false
	}
	return slices.ContainsFunc(own, func(o party) bool {
		return o.Name != "" && strings.EqualFold(strings.TrimSpace(o.Name), strings.TrimSpace(p.Name))
	})
}

// subjectEmails are the addresses the person's mail went to: the one
// they are known by, or else those their own records on the included
// cases give.
func subjectEmails(s Subject, own []party) []string {
	if s.Email != "" {
		return []string{s.Email}
	}
	var out []string
	for _, p := range own {
		if e := strings.ToLower(strings.TrimSpace(p.Email)); e != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// sentTo reports whether an address (an outbox message's To, an
// email's From) is one of emails.
func sentTo(to string, emails []string) bool {
	a, err := mail.ParseAddress(to)
	if err != nil {
		return false
	}
	return slices.Contains(emails, strings.ToLower(a.Address))
}

func notes(evs []complaint.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		if ev.Kind != complaint.EventNoteAdded {
			continue
		}
		var n complaint.Note
		_ = json.Unmarshal(store.EventData(ev), &n)
		fmt.Fprintf(&b, "%s, %s (event #%d):\n%s\n\n", londonTime(ev.At), ev.Actor, ev.Seq, n.Text)
	}
	if b.Len() == 0 {
		return "No notes were recorded on this case.\n"
	}
	return b.String()
}

func londonTime(t time.Time) string {
	if t.IsZero() {
		return "not yet"
	}
	return t.In(calendar.London).Format("2 January 2006 15:04")
}

// safeName keeps a name given by someone else to one path element of
// the ZIP, so that it cannot climb out of its folder when unzipped.
func safeName(s string) string {
	s = path.Base(strings.ReplaceAll(s, `\`, "/"))
	if s == "." || s == "/" || s == ".." || s == "" {
		return "file"
	}
	return s
}

// Apply applies a command to a case as whoever made the export: the
// staff pages' case work, or the store directly from the command line.
type Apply func(ctx context.Context, ref string, cmd complaint.Command) error

// Record records the export on the audit trail of every case it holds,
// naming the ZIP's hash. The caller records it before handing the ZIP
// over, so that no disclosure goes unrecorded: if recording fails the
// ZIP is not handed over, and a case already recorded names a ZIP that
// never left (the next attempt, made at another moment, has another
// hash).
func Record(ctx context.Context, ex Export, apply Apply) error {
	for _, m := range ex.Cases {
		cmd := complaint.RecordSubjectAccessExport{SHA256: ex.SHA256, Cases: len(ex.Cases), Roles: m.Roles}
		if err := apply(ctx, m.Case.Reference, cmd); err != nil {
			return fmt.Errorf("recording the export on case %s: %w", m.Case.Reference, err)
		}
	}
	return nil
}

// StoreApply applies commands through the store itself, as actor at
// now: for the command line, which has no staff session.
func StoreApply(st interface {
	UpdateCase(ctx context.Context, ref string, ifVersion int, decide store.Decision) (complaint.Case, error)
}, actor complaint.Actor, now func() time.Time) Apply {
	return func(ctx context.Context, ref string, cmd complaint.Command) error {
		_, err := st.UpdateCase(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, cmd, complaint.Env{Now: now(), Actor: actor, NewReference: nr})
		})
		return err
	}
}
