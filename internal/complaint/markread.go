package complaint

import "time"

// MarkRead records that someone working the case has read what the
// resident sent since it was last marked read, clearing the case's "new
// from resident" tag (Case.UnreadFromResident). It is its own event,
// rather than a side effect of opening the case page, so that the record
// shows who took in the resident's information and when: a page view is
// not proof anyone read it, and a manager looking over the case should
// not clear the tag for its handler.
//
// Anyone who may act on the case may give it; the surfaces check the
// role. It is allowed in any status, a closed case included, because a
// resident may write after the case has closed. With nothing unread it is
// refused, so that the record holds no empty readings.
type MarkRead struct {
	// Since is filled in by Decide, never by the caller: when the oldest
	// information it marks read arrived, for the audit trail.
	Since time.Time `json:"since,omitzero"`
}

func (MarkRead) event() EventKind { return EventInformationRead }

func (cmd MarkRead) decide(d *decision) error {
	since := d.before.UnreadFromResident
	if since.IsZero() {
		return Errorf(Conflict, "there is nothing new from the resident to mark read")
	}
	d.next.UnreadFromResident = time.Time{}
	cmd.Since = since
	d.recorded = cmd
	return nil
}
