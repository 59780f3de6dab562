package policy

import (
	"fmt"
)

// Hazards are the landlord's timescales for hazards in a social rented
// home under Awaab's Law: section 10A of the Landlord and Tenant Act
// 1985, inserted by section 42 of the Social Housing (Regulation) Act
// 2023, and the Hazards in Social Housing (Prescribed Requirements)
// (England) Regulations 2025 (SI 2025/1042), in force from 27 October
// 2025. The regulations set the longest times allowed; a landlord may
// promise faster, never slower, and Check says which. A zero field is the
// regulations' time.
//
// The times, as the government's guidance for social landlords and
// Shelter's summary of the regulations set them out (the text of SI
// 2025/1042 itself was not in reach when this was written; check it
// before relying on a regulation number):
//   - an emergency hazard (an imminent and significant risk of harm, one a
//     reasonable landlord would make safe within 24 hours) is investigated
//     and made safe within 24 hours of the landlord becoming aware of it,
//     counted in hours, weekends and bank holidays included;
//   - a significant hazard (in the first phase, damp and mould) is
//     investigated within 10 working days of the landlord becoming aware;
//     the tenant is given a written summary of the findings within 3
//     working days of the investigation ending; the safety work is done
//     within 5 working days of it ending; and any further (supplementary
//     preventative) work is begun within 5 working days, or where that is
//     not reasonably practicable as soon as it is and within 12 weeks.
type Hazards struct {
	Emergency   EmergencyHazard   `yaml:"emergency,omitempty" json:"emergency"`
	Significant SignificantHazard `yaml:"significant,omitempty" json:"significant"`
	// Source cites the landlord's document where it promises faster.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// EmergencyHazard is how fast an emergency hazard is investigated and
// made safe, in hours from awareness.
type EmergencyHazard struct {
	MakeSafeHours int `yaml:"make_safe_within_hours,omitempty" json:"make_safe_within_hours"`
}

// SignificantHazard is how fast a significant hazard is dealt with, in
// working days: the investigation from awareness, the rest from the day
// the investigation ended.
type SignificantHazard struct {
	InvestigateWorkingDays       int `yaml:"investigate_within_working_days,omitempty" json:"investigate_within_working_days"`
	SummaryWorkingDays           int `yaml:"summary_within_working_days,omitempty" json:"summary_within_working_days"`
	SafetyWorksWorkingDays       int `yaml:"safety_works_within_working_days,omitempty" json:"safety_works_within_working_days"`
	PreventativeBeginWorkingDays int `yaml:"preventative_works_begin_within_working_days,omitempty" json:"preventative_works_begin_within_working_days"`
	// PreventativeLatestWeeks is the latest the further works may begin
	// where beginning them within PreventativeBeginWorkingDays is not
	// reasonably practicable.
	PreventativeLatestWeeks int `yaml:"preventative_works_begin_at_latest_weeks,omitempty" json:"preventative_works_begin_at_latest_weeks"`
}

// StatutoryHazards are the regulations' own times (SI 2025/1042), the
// longest a policy may set.
func StatutoryHazards() Hazards {
	return Hazards{
		Emergency: EmergencyHazard{MakeSafeHours: 24},
		Significant: SignificantHazard{InvestigateWorkingDays: 10, SummaryWorkingDays: 3, SafetyWorksWorkingDays: 5,
			PreventativeBeginWorkingDays: 5, PreventativeLatestWeeks: 12},
		Source: "the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025 (SI 2025/1042)",
	}
}

// HazardRules returns the policy's hazard times, each left unset taken
// from the regulations.
func (p *Policy) HazardRules() Hazards {
	h, law := p.Hazards, StatutoryHazards()
	fill := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&h.Emergency.MakeSafeHours, law.Emergency.MakeSafeHours)
	fill(&h.Significant.InvestigateWorkingDays, law.Significant.InvestigateWorkingDays)
	fill(&h.Significant.SummaryWorkingDays, law.Significant.SummaryWorkingDays)
	fill(&h.Significant.SafetyWorksWorkingDays, law.Significant.SafetyWorksWorkingDays)
	fill(&h.Significant.PreventativeBeginWorkingDays, law.Significant.PreventativeBeginWorkingDays)
	fill(&h.Significant.PreventativeLatestWeeks, law.Significant.PreventativeLatestWeeks)
	if h.Source == "" {
		h.Source = law.Source
	}
	return h
}

// hazardTimes lists each hazard time with the regulations' own, for
// validation and the compliance check.
func (h Hazards) times() []hazardTime {
	law := StatutoryHazards()
	return []hazardTime{
		{"hazards.emergency.make_safe_within_hours", "emergency hazard: investigate and make safe", h.Emergency.MakeSafeHours, law.Emergency.MakeSafeHours, "hours"},
		{"hazards.significant.investigate_within_working_days", "significant hazard: investigate", h.Significant.InvestigateWorkingDays, law.Significant.InvestigateWorkingDays, "working days from awareness"},
		{"hazards.significant.summary_within_working_days", "significant hazard: written summary", h.Significant.SummaryWorkingDays, law.Significant.SummaryWorkingDays, "working days from the investigation"},
		{"hazards.significant.safety_works_within_working_days", "significant hazard: safety work", h.Significant.SafetyWorksWorkingDays, law.Significant.SafetyWorksWorkingDays, "working days from the investigation"},
		{"hazards.significant.preventative_works_begin_within_working_days", "significant hazard: begin further works", h.Significant.PreventativeBeginWorkingDays, law.Significant.PreventativeBeginWorkingDays, "working days from the investigation"},
		{"hazards.significant.preventative_works_begin_at_latest_weeks", "significant hazard: begin further works at the latest", h.Significant.PreventativeLatestWeeks, law.Significant.PreventativeLatestWeeks, "weeks from the investigation"},
	}
}

type hazardTime struct {
	field, step string
	value, law  int
	unit        string
}

// validateHazards refuses a negative time. A time slower than the
// regulations' is not refused here: Check reports it as a breach, so that
// `policy check` explains it and `serve` starts only with it acknowledged.
func (h Hazards) validate() []FieldError {
	var errs []FieldError
	for _, t := range h.times() {
		if t.value < 0 {
			errs = append(errs, FieldError{Field: t.field, Message: fmt.Sprintf("%d is negative", t.value)})
		}
	}
	return errs
}
