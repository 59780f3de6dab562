package complaint

import (
	"slices"
	"strings"
)

// Note adds a note to the case record.
type Note struct {
	Text string `json:"text"`
}

// Link links another case, for recurring issues. The caller checks the
// other case exists and may be seen.
type Link struct {
	Reference string `json:"reference"`
}

func (Note) event() EventKind { return EventNoteAdded }
func (Link) event() EventKind { return EventLinked }

func (cmd Note) decide(d *decision) error {
	checkText(d.fe, "text", cmd.Text, maxText, true)
	return d.fe.err()
}

func (cmd Link) decide(d *decision) error {
	ref := strings.TrimSpace(cmd.Reference)
	checkLine(d.fe, "reference", ref, maxShort, true)
	if err := d.fe.err(); err != nil {
		return err
	}
	if slices.Contains(d.before.References(), ref) {
		return Errorf(Conflict, "a case cannot be linked to itself")
	}
	if slices.Contains(d.before.Links, ref) {
		return Errorf(Conflict, "the case is already linked to %s", ref)
	}
	d.next.Links = append(d.next.Links, ref)
	return nil
}
