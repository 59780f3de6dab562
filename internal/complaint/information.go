package complaint

import (
	"fmt"
	"slices"
	"strings"
)

// AddInformation records information a resident (or someone for them)
// sends about a case after it was made: through the resident's pages, by
// email, or handed to staff. Files come with it as attachments, stored
// beside the case; the event names each with its SHA-256.
type AddInformation struct {
	// Source is how it came: portal, email or staff.
	Source string `json:"source"`
	// From is who sent it, as they gave it: a name or an email address.
	From        string          `json:"from"`
	Text        string          `json:"text"`
	Attachments []AttachmentRef `json:"attachments,omitempty"`
}

// AttachmentRef names a file stored with a case.
type AttachmentRef struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// InformationSources are where added information may come from.
var InformationSources = []string{"portal", "email", "staff"}

func (AddInformation) event() EventKind { return EventInformationAdded }

func (cmd AddInformation) decide(d *decision) error {
	fe := d.fe
	if !slices.Contains(InformationSources, cmd.Source) {
		fe.add("source", "must be one of: %s", strings.Join(InformationSources, ", "))
	}
	checkLine(fe, "from", cmd.From, maxShort, false)
	checkText(fe, "text", cmd.Text, maxText, len(cmd.Attachments) == 0)
	if len(cmd.Attachments) > maxList {
		fe.add("attachments", "at most %d files at once", maxList)
	}
	for i, a := range cmd.Attachments {
		f := fmt.Sprintf("attachments[%d]", i)
		if fe.blank(a.Name) || len(a.SHA256) != 64 || a.Size <= 0 {
			fe.add(f, "needs a name, a size and its SHA-256")
		}
		if !d.env.Replay {
			checkLine(fe, f+".name", a.Name, maxShort, false)
		}
	}
	if err := fe.err(); err != nil {
		return err
	}
	// Information from outside waits for the handler to read it; what
	// staff add themselves they have already seen. The oldest unread is
	// kept, so the tag says how long the resident has been waiting.
	if cmd.Source != "staff" && d.next.UnreadFromResident.IsZero() {
		d.next.UnreadFromResident = d.at
	}
	return nil
}
