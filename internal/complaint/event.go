package complaint

// EventKind names what an event on a case's audit trail records. The
// strings are stored with every event and read back by the rebuild, the
// notices and the pages, so a kind is never renamed: a new name is a new
// kind. Code outside this package compares kinds only through these
// constants, so that a kind removed or misspelt fails to compile rather
// than silently stopping a notice.
type EventKind string

// The event kinds, one per command.
const (
	EventCreated               EventKind = "created"
	EventAcknowledged          EventKind = "acknowledged"
	EventAssigned              EventKind = "assigned"
	EventExtended              EventKind = "extended"
	EventDecisionsRecorded     EventKind = "decisions_recorded"
	EventResponded             EventKind = "responded" // the legacy response, before decisions were recorded one by one
	EventEscalated             EventKind = "escalated"
	EventClosed                EventKind = "closed"
	EventWithdrawn             EventKind = "withdrawn"
	EventRefused               EventKind = "refused"
	EventConverted             EventKind = "converted"
	EventNoteAdded             EventKind = "note_added"
	EventLinked                EventKind = "linked"
	EventRemedyDone            EventKind = "remedy_done"
	EventLetterIssued          EventKind = "letter_issued"
	EventInformationAdded      EventKind = "information_added"
	EventDetailsEdited         EventKind = "details_edited"
	EventMilestoneMet          EventKind = "milestone_met"
	EventSafetyFlagSet         EventKind = "safety_flag_set"
	EventSafetyAcknowledged    EventKind = "safety_acknowledged"
	EventHazardClassified      EventKind = "hazard_classified"
	EventHazardStep            EventKind = "hazard_step"
	EventAccommodationRecorded EventKind = "accommodation_recorded"
)

// EventKinds lists every event kind, so that storage and notices can
// check that they know each one.
var EventKinds = []EventKind{
	EventCreated, EventAcknowledged, EventAssigned, EventExtended,
	EventDecisionsRecorded, EventResponded, EventEscalated, EventClosed,
	EventWithdrawn, EventRefused, EventConverted, EventNoteAdded,
	EventLinked, EventRemedyDone, EventLetterIssued, EventInformationAdded,
	EventDetailsEdited, EventMilestoneMet, EventSafetyFlagSet,
	EventSafetyAcknowledged, EventHazardClassified, EventHazardStep,
	EventAccommodationRecorded,
}
