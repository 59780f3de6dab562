package letters

import "github.com/redresshq/redress/internal/report"

// SampleData returns realistic data for a letter of the kind, with every
// optional part filled in: a representative, an escalation window, every
// kind of remedy, actions done and not. The template editor previews with
// it, and ParseTemplate runs every template against it.
func SampleData(kind Kind) Data { return samples(kind)[0] }

// samples returns the full sample for the kind and a bare one with no
// optional parts, so that a template which drops a required element in
// either case is caught.
func samples(kind Kind) []Data {
	full := sampleFull(kind)
	bare := sampleFull(kind)
	bare.Recipient = Recipient{Name: "Ada Lovelace", Address: []string{"Flat 4", "12 Mill Lane", "Riverside Vale", "ZZ1 4AB"}, Email: "ada@example.org"}
	bare.Salutation = "Dear Ada Lovelace"
	bare.Representative = Representative{}
	bare.Group = ""
	bare.OtherReferences = nil
	bare.OutcomesSought = []string{}
	bare.Escalation = Escalation{}
	bare.Extension.PreviousDate = ""
	bare.Extension.Agreed = false
	bare.Landlord.Contact = []string{}
	bare.Description = ""
	bare.Learning = ""
	bare.TrackingCode = ""
	sampleCompliment(kind, &full, &bare)
	if kind == Stage1Response || kind == Stage2Response {
		// A petition whose response goes to every member (003).
		full.Group, full.GroupCopies = "the Mill Lane residents' petition", true
	}
	bare.GroupCopies = false
	switch kind {
	case Stage1Response, Stage2Response:
		bare.Remedies = []Remedy{}
		bare.EarlierActions = []Remedy{}
		bare.OpenActions = []Remedy{}
		bare.DoneActions = []Remedy{}
		bare.Compensation = 0
		for i := range bare.Points {
			bare.Points[i].Outcome, bare.Points[i].Decision = "not_upheld", "not upheld"
		}
	case ActionUpdate:
		bare.DoneActions = []Remedy{}
	case HazardSummary:
		bare.Hazard.Description = ""
		bare.Hazard.NotPracticable = ""
		bare.Hazard.FurtherWorksBy = "2027-01-19"
		bare.Hazard.Law = ""
	}
	return []Data{full, bare}
}

func sampleFull(kind Kind) Data {
	d := Data{
		Kind: kind,
		Landlord: Landlord{
			Name:    "Riverside Vale Homes",
			Address: []string{"Riverside House", "1 Quay Street", "Riverside Vale", "ZZ1 1AA"},
			Contact: []string{"Telephone 0300 123 4567", "Email complaints@riversidevale.example", "www.riversidevale.example/complaints"},
		},
		Recipient:       Recipient{Name: "Claire Pemberton", Address: []string{"3 Orchard Row", "Riverside Vale", "ZZ1 9QT"}, Email: "claire.pemberton@example.org"},
		Salutation:      "Dear Claire Pemberton",
		Resident:        "Margaret Pemberton",
		Representative:  Representative{Name: "Claire Pemberton", Relationship: "daughter"},
		Reference:       "C-2026-000123",
		Date:            "2027-01-05",
		Stage:           1,
		Received:        "2026-12-21",
		Acknowledged:    "2026-12-23",
		Summary:         "Boiler keeps breaking down and engineers have missed three appointments",
		Description:     "My mum's boiler has broken down three times in two months and the engineer did not turn up three times.",
		RespondBy:       "2027-01-11",
		Ombudsman:       "Housing Ombudsman Service, PO Box 1484, Unit D, Preston, PR2 0ET.\nTelephone 0300 111 3000. Email info@housing-ombudsman.org.uk.\nWebsite www.housing-ombudsman.org.uk.",
		TrackingCode:    "7KQ2M-XR4TD",
		CodeDefinition:  report.ComplaintDefinition,
		OutcomesSought:  []string{"A new boiler", "All appointments arranged through Claire"},
		EarlierActions:  []Remedy{},
		OtherReferences: nil,
		Points: []Point{
			{Number: 1, Text: "Repeated boiler breakdowns leaving Mrs Pemberton without heating and hot water"},
			{Number: 2, Text: "Three missed engineer appointments"},
			{Number: 3, Text: "Appointments arranged with Mrs Pemberton rather than her daughter"},
		},
		Escalation: Escalation{Window: "15 working days", By: "2027-01-26"},
	}
	apology := Remedy{Number: 1, Stage: 1, Kind: "apology", KindName: "Apology", Description: "We apologise for leaving Mrs Pemberton without heating."}
	compensation := Remedy{Number: 2, Stage: 1, Kind: "compensation", KindName: "Compensation", Description: "£30 for each of the three missed appointments", Amount: 9000, CompensationKind: "time and trouble"}
	open := Remedy{Number: 3, Stage: 1, Kind: "action", KindName: "Action", Description: "Replace the boiler, arranging the date with Claire", Owner: "Heating Contracts Manager", Due: "2027-01-29"}
	done := Remedy{Number: 4, Stage: 1, Kind: "action", KindName: "Action", Description: "Add the contact preferences to the repairs system", Owner: "Repairs Team Leader", Due: "2027-01-08", Done: true, DoneOn: "2027-01-07"}
	decide := func() {
		outcomes := []struct{ code, reasons string }{
			{"partly_upheld", "The boiler has had three faults in eight weeks, so it will be replaced ahead of the planned programme. It passed its annual service, so we do not agree it should have been replaced sooner."},
			{"upheld", "Our contractor's records confirm three missed appointments."},
			{"not_upheld", "Our records show Claire was the named contact from 2 December, and every appointment since was arranged with her."},
		}
		for i, o := range outcomes {
			d.Points[i].Outcome, d.Points[i].Decision, d.Points[i].Reasons = o.code, inWords(o.code), o.reasons
		}
	}

	switch kind {
	case Acknowledgement:
		d.Date = "2026-12-23"
		d.Escalation = Escalation{}
	case Extension:
		d.Date = "2027-01-08"
		d.Escalation = Escalation{}
		d.Extension = ExtensionData{WorkingDays: 5, Reason: "We are waiting for our heating contractor's report on the boiler.", NewDate: "2027-01-18", PreviousDate: "2027-01-11", Agreed: true}
		d.RespondBy = "2027-01-18"
	case Stage1Response:
		decide()
		d.Remedies = []Remedy{apology, compensation, open, done}
		d.OpenActions = []Remedy{open}
		d.DoneActions = []Remedy{done}
		d.Compensation = compensation.Amount
		d.Learning = "Residents' contact preferences now go to the repairs system."
	case Stage2Acknowledgement, Stage2Response, EscalationRefusal:
		d.Stage = 2
		d.Reference = "C-2027-000045"
		d.OtherReferences = []string{"C-2026-000123"}
		d.Received = "2027-01-11"
		d.Acknowledged = "2027-01-13"
		d.RespondBy = "2027-02-10"
		d.Date = "2027-01-13"
		d.Points = []Point{{Number: 1, Text: "The compensation offered at stage 1 is too low"}}
		d.OutcomesSought = []string{"Compensation of £300"}
		d.Escalation = Escalation{Reason: "The compensation does not cover the cost of running heaters."}
		if kind == Stage2Response {
			d.Date = "2027-02-03"
			d.Points[0].Outcome, d.Points[0].Decision = "partly_upheld", "partly upheld"
			d.Points[0].Reasons = "Our compensation policy allows for the extra cost of heating, which stage 1 did not consider."
			extra := Remedy{Number: 5, Stage: 2, Kind: "compensation", KindName: "Compensation", Description: "Towards the cost of running electric heaters", Amount: 6000, CompensationKind: "financial loss"}
			review := Remedy{Number: 6, Stage: 2, Kind: "action", KindName: "Action", Description: "Review how missed appointments are reported to us", Owner: "Repairs Manager", Due: "2027-03-31"}
			d.Remedies = []Remedy{extra, review}
			d.EarlierActions = []Remedy{open}
			d.OpenActions = []Remedy{open, review}
			d.DoneActions = []Remedy{done}
			d.Compensation = extra.Amount
		}
		if kind == EscalationRefusal {
			d.Acknowledged = ""
			d.Points = []Point{}
			d.OutcomesSought = []string{}
			d.Exclusion = Exclusion{Code: "legal_proceedings", Reason: "Legal proceedings have started, meaning details of a claim have been filed at court.", Explanation: "Your solicitor has filed a disrepair claim about the boiler at the county court, so the court will decide these matters."}
		}
	case Refusal:
		d.Date = "2026-12-23"
		d.Acknowledged = ""
		d.Points = []Point{}
		d.OutcomesSought = []string{}
		d.Escalation = Escalation{}
		d.Exclusion = Exclusion{Code: "older_than_12_months", Reason: "The issue giving rise to the complaint happened more than twelve months ago.", Explanation: "The breakdowns you describe were in the winter of 2024, and you told us about them at the time."}
	case Withdrawal:
		d.Date = "2026-12-30"
		d.Escalation = Escalation{}
		d.WithdrawalReason = "Claire rang to say the boiler was fixed and Mrs Pemberton is happy, and asked us to withdraw the complaint."
	case ActionUpdate:
		d.Date = "2027-01-20"
		decide()
		d.Remedies = []Remedy{apology, compensation, open, done}
		d.OpenActions = []Remedy{open}
		d.DoneActions = []Remedy{done}
	case HazardSummary:
		d.Date = "2027-01-13"
		d.Summary = "Black mould in my son's bedroom"
		d.Hazard = HazardData{
			Description:  "Black mould on the outside wall of the back bedroom, where a child with asthma sleeps",
			Aware:        "2026-12-29",
			Investigated: "2027-01-12",
			Findings:     "The extractor fan in the bathroom has failed and the cavity wall insulation has slipped, so the back bedroom wall stays cold and damp.",
			// The safety work is due 5 working days after the
			// investigation; the further works were found not reasonably
			// practicable in that time, so begin within 12 weeks.
			SafetyWorksBy:  "2027-01-19",
			FurtherWorksBy: "2027-04-06",
			NotPracticable: "the insulation must be replaced by a specialist contractor, whose first date is in March.",
			Law:            "the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025 (SI 2025/1042)",
		}
		d.Hazard.late(d.Date)
	case MemberResponse, MemberResponseCopy:
		sampleMember(&d, kind)
	case ComplimentThanks:
		d.Stage = 0
		d.Date = "2026-12-22"
		d.Points = []Point{}
		d.OutcomesSought = []string{}
		d.RespondBy = ""
		d.Escalation = Escalation{}
		d.Summary = "Thank you to Dave, the plumber, who fixed my boiler on Christmas Eve"
	}
	if d.Remedies == nil {
		d.Remedies = []Remedy{}
	}
	// Actions due before the letter's date are overdue, as NewData marks
	// them, so that the preview shows how a late action is worded.
	for _, rs := range [][]Remedy{d.Remedies, d.EarlierActions, d.OpenActions} {
		for i := range rs {
			rs[i].Overdue = overdue(rs[i], d.Date)
		}
	}
	if d.OpenActions == nil {
		d.OpenActions, d.DoneActions = []Remedy{}, []Remedy{}
	}
	d.Restriction = sampleRestriction(kind) // restriction.go
	return d
}
