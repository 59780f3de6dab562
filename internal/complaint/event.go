package complaint

import (
	"encoding/json"
	"fmt"
	"reflect"
)

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
	EventDefinitionAmended     EventKind = "definition_amended"
	EventRemedySuperseded      EventKind = "remedy_superseded"
	EventInformationRead       EventKind = "resident_information_read"
	// The Ombudsman stage (ombudsman.go).
	EventOmbudsmanReferred          EventKind = "ombudsman_referred"
	EventOmbudsmanEvidenceRequested EventKind = "ombudsman_evidence_requested"
	EventOmbudsmanResponseApproved  EventKind = "ombudsman_response_approved"
	EventOmbudsmanEvidenceSent      EventKind = "ombudsman_evidence_sent"
	EventOmbudsmanDetermined        EventKind = "ombudsman_determined"
	EventOmbudsmanCompliance        EventKind = "ombudsman_compliance"
	EventSignOffRecorded            EventKind = "sign_off_recorded"
	EventSignOffWaived              EventKind = "sign_off_waived"
	EventMediationRecorded          EventKind = "mediation_recorded"
	EventAdditionalComplaint        EventKind = "additional_complaint_logged"
	EventResponseMethodAgreed       EventKind = "response_method_agreed"
	// EventMemberEnquiryAcknowledged: an MP's or councillor's enquiry
	// was acknowledged (002 §3).
	EventMemberEnquiryAcknowledged EventKind = "member_enquiry_acknowledged"
	EventMemberResponseRecorded    EventKind = "member_response_recorded"
	EventComplimentPassedOn        EventKind = "compliment_passed_on"
	EventGroupCopiesSent           EventKind = "group_copies_sent"
	EventGroupRecorded             EventKind = "group_recorded"
	// Retention and erasure (anonymise.go): a manager's legal hold, and
	// the removal of the case's personal data.
	EventLegalHoldPlaced EventKind = "legal_hold_placed"
	EventLegalHoldLifted EventKind = "legal_hold_lifted"
	EventAnonymised      EventKind = "anonymised"
	// EventSubjectAccessExported: a subject access export holding the
	// case was made (subject_access.go), naming its ZIP's hash.
	EventSubjectAccessExported EventKind = "subject_access_exported"
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
	EventAccommodationRecorded, EventDefinitionAmended, EventRemedySuperseded,
	EventInformationRead,
	EventOmbudsmanReferred, EventOmbudsmanEvidenceRequested, EventOmbudsmanResponseApproved,
	EventOmbudsmanEvidenceSent, EventOmbudsmanDetermined, EventOmbudsmanCompliance,
	EventSignOffRecorded, EventSignOffWaived, EventMediationRecorded,
	EventAdditionalComplaint, EventResponseMethodAgreed,
	EventMemberEnquiryAcknowledged, EventMemberResponseRecorded,
	EventComplimentPassedOn, EventGroupCopiesSent, EventGroupRecorded,
	EventTenancyConfirmed,
	EventImported,
	EventLegalHoldPlaced, EventLegalHoldLifted, EventAnonymised,
	EventSubjectAccessExported,
}

// replayed holds, for each kind an event may be replayed from, a zero
// value of the command that records it. Beside EventKinds, it is the one
// list a new command joins, so that storage's rebuild can decode every
// kind through DecodeCommand rather than keep its own list. The created
// event is not here: a case is created by NewCase, from Create; nor is
// the imported event, from which NewImportedCase creates a case.
var replayed = map[EventKind]Command{
	EventAcknowledged: Acknowledge{}, EventAssigned: Assign{}, EventExtended: Extend{},
	EventDecisionsRecorded: Respond{}, EventResponded: LegacyRespond{}, EventEscalated: Escalate{},
	EventClosed: Close{}, EventWithdrawn: Withdraw{}, EventRefused: Refuse{}, EventConverted: Convert{},
	EventNoteAdded: Note{}, EventLinked: Link{}, EventRemedyDone: CompleteRemedy{},
	EventLetterIssued: RecordLetter{}, EventInformationAdded: AddInformation{},
	EventDetailsEdited: EditDetails{}, EventMilestoneMet: RecordMilestone{},
	EventSafetyFlagSet: FlagHealthAndSafety{}, EventSafetyAcknowledged: AcknowledgeHealthAndSafety{},
	EventHazardClassified: ClassifyHazard{}, EventHazardStep: RecordHazardStep{},
	EventAccommodationRecorded: RecordAccommodation{}, EventDefinitionAmended: AmendDefinition{},
	EventRemedySuperseded: SupersedeRemedy{}, EventInformationRead: MarkRead{},
	EventOmbudsmanReferred: ReferToOmbudsman{}, EventOmbudsmanEvidenceRequested: RequestOmbudsmanEvidence{},
	EventOmbudsmanResponseApproved: ApproveOmbudsmanResponse{}, EventOmbudsmanEvidenceSent: SendOmbudsmanEvidence{},
	EventOmbudsmanDetermined: RecordOmbudsmanDetermination{}, EventOmbudsmanCompliance: RecordOmbudsmanCompliance{},
	EventSignOffRecorded: RecordSignOff{}, EventSignOffWaived: WaiveSignOff{}, EventMediationRecorded: RecordMediation{},
	EventAdditionalComplaint:       LogAdditionalComplaint{},
	EventResponseMethodAgreed:      AgreeResponseMethod{},
	EventMemberEnquiryAcknowledged: AcknowledgeMemberEnquiry{},
	EventMemberResponseRecorded:    RecordMemberResponse{},
	EventComplimentPassedOn:        PassOnCompliment{}, EventGroupCopiesSent: RecordGroupCopies{},
	EventGroupRecorded: RecordGroup{}, EventTenancyConfirmed: ConfirmTenancy{},
	EventLegalHoldPlaced: PlaceLegalHold{}, EventLegalHoldLifted: LiftLegalHold{}, EventAnonymised: Anonymise{},
	EventSubjectAccessExported: RecordSubjectAccessExport{},
}

// DecodeCommand reads a stored event's data back into the command that
// recorded it, for Decide to replay. It returns an error for the created
// event, which NewCase replays, and for a kind this version does not
// know.
func DecodeCommand(kind EventKind, data []byte) (Command, error) {
	zero, ok := replayed[kind]
	if !ok {
		return nil, fmt.Errorf("is of a kind this version of Redress cannot replay")
	}
	v := reflect.New(reflect.TypeOf(zero))
	if err := json.Unmarshal(data, v.Interface()); err != nil {
		return nil, fmt.Errorf("does not decode: %v", err)
	}
	return v.Elem().Interface().(Command), nil
}
