package complaint

import (
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
)

// EventImported is the first event of a case brought in from a
// landlord's earlier complaints log: it names the file's SHA-256, so that
// the audit trail says where the case came from, and it carries every
// date of the log's row, from which the case is rebuilt.
const EventImported EventKind = "imported"

// ImportActor is who the events of an imported case are recorded by. It
// is no user: staff pages show it as is, and the late-entry rule (issue
// 12) leaves its events out, since an import is recorded long after the
// dates it carries by its nature, not by a late hand.
const ImportActor = "redress import cases"

// Imported marks a case brought in from an earlier complaints log, so
// that staff can tell it from one Redress handled and find it by the
// reference the landlord knew it by.
type Imported struct {
	// OriginalRef is the log's reference, kept beside the case's own; a
	// re-import matches rows to cases by it.
	OriginalRef string `json:"original_ref"`
	// FileSHA256 is the SHA-256 of the file the case came from.
	FileSHA256 string `json:"file_sha256"`
	// Line is the row's line in that file.
	Line int `json:"line"`
	// RowSHA256 fingerprints the row as read, so that a re-import tells
	// a row unchanged since from one that has been edited.
	RowSHA256 string `json:"row_sha256"`
	// ImportedAt is when the import was recorded.
	ImportedAt time.Time `json:"imported_at"`
}

// ImportCase brings in one complaint from an earlier complaints log: the
// dates of each stage as the log gives them, and the outcome, compensation
// and descriptive fields. It is recorded whole as the case's first
// event; NewImportedCase builds the case from it, deriving deadlines and
// working days exactly as for a case handled in Redress, so that the
// case counts in the reports for its years.
type ImportCase struct {
	OriginalRef string `json:"original_ref"`
	FileSHA256  string `json:"file_sha256"`
	Line        int    `json:"line"`
	RowSHA256   string `json:"row_sha256"`

	Received           calendar.Date `json:"received"`
	Acknowledged       calendar.Date `json:"acknowledged,omitzero"`
	Responded          calendar.Date `json:"responded,omitzero"`
	Escalated          calendar.Date `json:"escalated,omitzero"`
	Stage2Acknowledged calendar.Date `json:"stage2_acknowledged,omitzero"`
	Stage2Responded    calendar.Date `json:"stage2_responded,omitzero"`
	// Outcome is the decision of the final response; "" if the log does
	// not say.
	Outcome Outcome `json:"outcome,omitempty"`
	// CompensationPence is the compensation paid, 0 for none.
	CompensationPence int64  `json:"compensation_pence,omitempty"`
	Tenure            Tenure `json:"tenure,omitempty"`
	// Channel is how the complaint reached the landlord; "" where the
	// log does not say.
	Channel     Channel  `json:"channel,omitempty"`
	ServiceArea string   `json:"service_area,omitempty"`
	Categories  []string `json:"categories,omitempty"`
	Complainant Person   `json:"complainant"`
}

func (ImportCase) event() EventKind { return EventImported }

// decide refuses: an imported case is created by NewImportedCase, never
// decided on one that exists.
func (cmd ImportCase) decide(*decision) error {
	return Errorf(Internal, "unknown command %T", cmd)
}

// importedPoint is the one point an imported stage is decided on: a log
// records an outcome for the complaint, not its points.
const importedPoint = "The complaint as recorded in the earlier complaints log"

// The other texts an imported case is given in place of what the log does
// not record. They hold nothing personal (the original reference is the
// landlord's), so anonymising leaves them as they are: a replay of the
// anonymised import makes them again (see importedText).
const (
	importedSummary      = "Imported from the earlier complaints log as "
	importedReasons      = "As recorded in the earlier complaints log"
	importedCompensation = "Compensation as recorded in the earlier complaints log"
)

// importedText reports whether s is one of the texts NewImportedCase
// writes itself.
func importedText(s string) bool {
	return s == importedPoint || s == importedReasons || s == importedCompensation || strings.HasPrefix(s, importedSummary)
}

// NewImportedCase checks an imported complaint and returns the case and
// its import event, dated on the day the complaint was received and
// recorded now. Each date is taken as the start of its day in London,
// so that the case's facts fall on the log's dates.
func NewImportedCase(cmd ImportCase, env Env) (Case, Event, error) {
	fe := newFieldErrors(env)
	checkLine(fe, "original_ref", cmd.OriginalRef, 64, true)
	if len(cmd.FileSHA256) != 64 || strings.Trim(cmd.FileSHA256, "0123456789abcdef") != "" {
		fe.add("file_sha256", "must be the file's SHA-256 in lower-case hex")
	}
	today := calendar.DateOf(env.Now)
	dates := []struct {
		field    string
		d, after calendar.Date
		needs    string
	}{
		{"received", cmd.Received, calendar.Date{}, ""},
		{"acknowledged", cmd.Acknowledged, cmd.Received, ""},
		{"responded", cmd.Responded, latest(cmd.Received, cmd.Acknowledged), ""},
		{"escalated", cmd.Escalated, cmd.Responded, "responded"},
		{"stage2_acknowledged", cmd.Stage2Acknowledged, cmd.Escalated, "escalated"},
		{"stage2_responded", cmd.Stage2Responded, latest(cmd.Escalated, cmd.Stage2Acknowledged), "escalated"},
	}
	for _, x := range dates {
		switch {
		case x.field == "received" && x.d.IsZero():
			fe.add(x.field, "is required")
		case x.d.IsZero():
		case x.d.Year() < 2000:
			fe.add(x.field, "%s is before the year 2000", x.d)
		case x.d.After(today):
			fe.add(x.field, "%s is in the future", x.d)
		case x.needs != "" && x.after.IsZero():
			fe.add(x.field, "is given without %s", x.needs)
		case !x.after.IsZero() && x.d.Before(x.after):
			fe.add(x.field, "%s is before %s", x.d, x.after)
		}
	}
	final := cmd.Responded
	if !cmd.Escalated.IsZero() {
		final = cmd.Stage2Responded
	}
	if cmd.Outcome != "" {
		if _, err := enum.Parse(string(cmd.Outcome), Outcomes, "an outcome"); err != nil {
			fe.add("outcome", "%v", err)
		} else if final.IsZero() {
			fe.add("outcome", "is given, and the final stage has no response date")
		}
	}
	if cmd.CompensationPence < 0 || cmd.CompensationPence > 100_000_000 {
		fe.add("compensation_pence", "must be 0 to 100000000")
	} else if cmd.CompensationPence > 0 && final.IsZero() {
		fe.add("compensation_pence", "is given, and the final stage has no response date")
	}
	if cmd.Tenure != "" {
		if _, err := enum.Parse(string(cmd.Tenure), Tenures, "a tenure"); err != nil {
			fe.add("tenure", "%v", err)
		}
	}
	if cmd.Channel != "" {
		if _, err := enum.Parse(string(cmd.Channel), Channels, "a channel"); err != nil {
			fe.add("channel", "%v", err)
		}
	}
	checkLine(fe, "service_area", cmd.ServiceArea, maxShort, false)
	if len(cmd.Categories) > maxList {
		fe.add("categories", "has more than %d entries", maxList)
	}
	for i, s := range cmd.Categories {
		checkLine(fe, fmt.Sprintf("categories[%d]", i), s, maxShort, true)
	}
	// A log may hold no personal data at all, so the complainant is
	// checked only for what it gives.
	checkLine(fe, "complainant.name", cmd.Complainant.Name, maxShort, false)
	checkEmail(fe, "complainant.email", cmd.Complainant.Email)
	checkLine(fe, "complainant.phone", cmd.Complainant.Phone, maxShort, false)
	checkLine(fe, "complainant.postcode", cmd.Complainant.Postcode, maxShort, false)
	if err := fe.err(); err != nil {
		return fail(err)
	}

	at := func(d calendar.Date) time.Time {
		if d.IsZero() {
			return time.Time{}
		}
		return d.Start()
	}
	received := at(cmd.Received)
	ref, err := env.NewReference(cmd.Received.Year())
	if err != nil {
		return fail(err)
	}
	c := Case{
		Reference: ref, Kind: KindComplaint, Channel: cmd.Channel, Stage: 1, Status: StatusReceived,
		Policy: env.Policy.Name, CreatedBy: env.Actor.Email, ReceivedAt: received,
		Complainant: trimPerson(cmd.Complainant),
		Summary:     importedSummary + strings.TrimSpace(cmd.OriginalRef),
		ServiceArea: strings.TrimSpace(cmd.ServiceArea), Categories: nonNil(trimAll(cmd.Categories)), Tenure: cmd.Tenure,
		Adjustments: []string{}, Vulnerabilities: []string{}, Remedies: []Remedy{}, Links: []string{},
		Imported: &Imported{
			OriginalRef: strings.TrimSpace(cmd.OriginalRef), FileSHA256: cmd.FileSHA256, Line: cmd.Line,
			RowSHA256: cmd.RowSHA256, ImportedAt: env.Now,
		},
	}
	stage := func(n int, recv, ack, resp calendar.Date) error {
		st := Stage{Stage: n, Reference: ref, ReceivedAt: at(recv), AcknowledgedAt: at(ack), RespondedAt: at(resp),
			Handlers: []string{}, Extensions: []Extension{}}
		if !ack.IsZero() {
			st.Points = []string{importedPoint}
		}
		c.Stages = append(c.Stages, st)
		c.Stage = n
		c.LastEventAt = latestTime(c.LastEventAt, st.ReceivedAt, st.AcknowledgedAt, st.RespondedAt)
		switch {
		case !resp.IsZero():
			c.Status = StatusResponded
		case !ack.IsZero():
			c.Status = StatusAcknowledged
		default:
			c.Status = StatusReceived
		}
		return deadlines(&c, env)
	}
	if err := stage(1, cmd.Received, cmd.Acknowledged, cmd.Responded); err != nil {
		return fail(err)
	}
	if !cmd.Escalated.IsZero() {
		if err := stage(2, cmd.Escalated, cmd.Stage2Acknowledged, cmd.Stage2Responded); err != nil {
			return fail(err)
		}
	}
	if !final.IsZero() {
		// The final response ends the complaint: the log is a record
		// of what was, and nothing is left to do on it.
		st := c.Current()
		if cmd.Outcome != "" {
			if len(st.Points) == 0 {
				st.Points = []string{importedPoint}
			}
			st.Decisions = []Decision{{Point: 1, Outcome: cmd.Outcome, Reasons: importedReasons}}
		}
		if cmd.CompensationPence > 0 {
			c.Remedies = append(c.Remedies, Remedy{
				ID: 1, Stage: c.Stage, Kind: RemedyCompensation, AmountPence: cmd.CompensationPence,
				Description: importedCompensation, Done: true, DoneAt: st.RespondedAt,
			})
		}
		c.Status, c.ClosedAt = StatusClosed, st.RespondedAt
	}
	return c, Event{Kind: EventImported, Actor: env.Actor.Email, At: received, RecordedAt: env.Now, Data: cmd}, nil
}

func latest(a, b calendar.Date) calendar.Date {
	if b.After(a) {
		return b
	}
	return a
}

func latestTime(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
