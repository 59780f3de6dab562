package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
)

// Severity grades a compliance finding.
type Severity string

// The severities, most serious first.
const (
	// Breach: the policy is slower than the Code or does what it forbids.
	Breach Severity = "breach"
	// Warning: the policy is silent where the Code requires something, or
	// does something the Ombudsman has criticised; Redress applies the
	// Code, but the document needs a look.
	Warning Severity = "warning"
	// Note: the policy differs from the Code in a way it allows, usually
	// by being faster.
	Note Severity = "note"
)

// Finding is one result of comparing a policy with the Code.
type Finding struct {
	Severity  Severity `json:"severity"`
	Step      string   `json:"step"`
	Policy    string   `json:"policy"`
	Code      string   `json:"code"`
	Provision string   `json:"provision"`
	Message   string   `json:"message"`
}

// codeStep is a timescale of the Code with its provision.
type codeStep struct {
	name      string
	provision string
	step      Step
}

// The Code's timescales (Complaint Handling Code 2024, section 6). These
// are law, not settings, so they live here rather than in a policy file.
var (
	code1Ack     = codeStep{"stage 1 acknowledge", "6.2", Step{Within: 5, Unit: calendar.WorkingDays, From: Received}}
	code1Respond = codeStep{"stage 1 respond", "6.3", Step{Within: 10, Unit: calendar.WorkingDays, From: Acknowledged}}
	code2Ack     = codeStep{"stage 2 acknowledge", "6.11", Step{Within: 5, Unit: calendar.WorkingDays, From: EscalationRequested}}
	code2Respond = codeStep{"stage 2 respond", "6.14", Step{Within: 20, Unit: calendar.WorkingDays, From: Acknowledged}}
)

// The Code's extension caps, in working days, and their provisions.
const (
	codeCap1, codeCap2               = 10, 20
	codeCapProv1, codeCapProv2       = "6.4", "6.15"
	codeOmbudsProv1, codeOmbudsProv2 = "6.5", "6.16"
)

// Check compares p with the Complaint Handling Code (2024) and returns its
// findings, breaches first. A landlord may be faster than the Code, never
// slower; where its document is silent Redress applies the Code and says
// so.
func Check(p *Policy) []Finding {
	var fs []Finding
	add := func(sev Severity, step, pol, code, prov, format string, args ...any) {
		fs = append(fs, Finding{Severity: sev, Step: step, Policy: pol, Code: code, Provision: prov, Message: fmt.Sprintf(format, args...)})
	}

	timed := func(s Step, c codeStep) {
		switch {
		case s.Assumed:
			add(Warning, c.name, s.String(), c.step.String(), c.provision,
				"the document sets no timescale; Redress applies the Code's")
		case !fasterOrEqual(s, c):
			add(Breach, c.name, s.String(), c.step.String(), c.provision,
				"slower than the Code allows")
		case s.From != c.step.From:
			add(Note, c.name, s.String(), c.step.String(), c.provision,
				"counts from %s rather than %s: faster than the Code", s.From, c.step.From)
		case s.Within != c.step.Within || s.Unit != c.step.Unit:
			add(Note, c.name, s.String(), c.step.String(), c.provision, "faster than the Code")
		}
	}
	// Awaab's Law: the regulations' times are the longest allowed.
	for _, t := range p.HazardRules().times() {
		pol := fmt.Sprintf("%d %s", t.value, t.unit)
		law := fmt.Sprintf("%d %s", t.law, t.unit)
		switch {
		case t.value > t.law:
			add(Breach, t.step, pol, law, "Awaab's Law", "slower than the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025 allow")
		case t.value < t.law:
			add(Note, t.step, pol, law, "Awaab's Law", "faster than the regulations")
		}
	}
	timed(p.Stage1.Acknowledge, code1Ack)
	timed(p.Stage1.Respond, code1Respond)
	timed(p.Stage2.Acknowledge, code2Ack)
	timed(p.Stage2.Respond, code2Respond)

	extension := func(stage int, e Extension, codeCap int, capProv, ombProv string) {
		name := fmt.Sprintf("stage %d extension", stage)
		pol := fmt.Sprintf("%d working days without agreement", e.CapWorkingDays)
		code := fmt.Sprintf("%d working days without good reason", codeCap)
		switch {
		case e.Assumed:
			add(Warning, name, pol, code, capProv,
				"the document sets no limit on extensions; Redress applies the Code's and asks for the resident's agreement beyond it")
		case e.CapWorkingDays > codeCap:
			add(Breach, name, pol, code, capProv, "allows longer extensions than the Code")
		case e.CapWorkingDays < codeCap:
			add(Note, name, pol, code, capProv, "stricter than the Code: longer extensions need the resident's agreement")
		}
		switch e.OmbudsmanDetails {
		case OmbudsmanWhenNotAgreed:
			add(Breach, name, "Ombudsman details only when an extension is not agreed", "Ombudsman details with every extension", ombProv,
				"the Code requires the Ombudsman's contact details whenever the resident is told of an extension; Redress requires them on every extension")
		case OmbudsmanNotStated:
			add(Warning, name, "Ombudsman details not mentioned", "Ombudsman details with every extension", ombProv,
				"the document does not say the Ombudsman's details are given with an extension; Redress requires them on every extension")
		}
	}
	extension(1, p.Stage1.Extension, codeCap1, codeCapProv1, codeOmbudsProv1)
	extension(2, p.Stage2.Extension, codeCap2, codeCapProv2, codeOmbudsProv2)

	esc := p.Escalation
	if esc.Window != nil {
		add(Note, "escalation window", esc.Window.String(), "no time limit", "6.10",
			"the Code sets no limit; Redress accepts a later request with a recorded reason rather than refusing it")
	}
	if esc.RequiresReasons {
		add(Breach, "escalation", "residents must give reasons", "no reasons required", "6.12",
			"residents must not be required to explain their reasons for asking for stage 2")
	}
	for _, g := range esc.RefusalGrounds {
		add(Breach, "escalation", g, "escalate unless an exclusion ground applies", "6.10",
			"a request for stage 2 may be refused only on an exclusion ground, in writing, with the right to go to the Ombudsman")
	}

	for _, x := range p.ExtraStages {
		switch x.Position {
		case "after_stage2":
			add(Breach, "stages", x.Name, "exactly two stages", "5.3", "a process with more than two stages is not acceptable")
		default:
			add(Breach, "stages", x.Name, "exactly two stages", "5.2", "no extra named stage, such as a stage 0 or an informal complaint, is allowed")
		}
	}

	for _, k := range p.Kinds {
		if k.Kind != KindServiceRequest {
			continue
		}
		name := fmt.Sprintf("%q (service request)", k.Name)
		target := "no target"
		if k.ResolveWithin != nil {
			target = "resolve within " + k.ResolveWithin.Duration().String()
		}
		if !k.ConvertsOnRequest {
			add(Breach, name, target+"; complaint only when unresolved", "a complaint whenever the resident asks", "5.2, 1.4",
				"residents must be able to have it treated as a complaint when they ask, or it works as an informal stage")
			continue
		}
		if k.HandlesDissatisfaction {
			add(Warning, name, target, "no informal stage", "5.2, 1.4",
				"expressions of dissatisfaction handled before a complaint is logged risk an informal stage; Redress records a service request, and dissatisfaction with it must be logged at stage 1 straight away, even while the request goes on")
		}
	}

	var assumed []string
	for _, x := range p.Exclusions {
		step := "exclusion " + x.Code
		if x.Assumed {
			assumed = append(assumed, x.Code)
		}
		switch x.Ground {
		case GroundTimeLimit:
			if x.Months < 12 {
				add(Breach, step, fmt.Sprintf("%d months", x.Months), "12 months", "2.3",
					"complaints must be accepted within twelve months of the issue or of the resident becoming aware of it")
			}
		case GroundOther:
			add(Warning, step, x.Reason, "the Code's examples: over 12 months, legal proceedings, already considered", "2.2, 2.5",
				"not one of the Code's examples: it must be fair and reasonable, and never applied as a blanket exclusion")
		}
	}
	switch {
	case len(p.Exclusions) == 0:
		add(Warning, "exclusions", "none", "exclusions set out in the policy", "2.2",
			"the policy sets out no exclusions, so no complaint can be refused")
	case len(assumed) > 0:
		add(Warning, "exclusions", "not listed: "+strings.Join(assumed, ", "), "exclusions set out in the policy", "2.2",
			"the document does not set these out; Redress assumes the Code's examples so that refusals cite a ground")
	}

	order := map[Severity]int{Breach: 0, Warning: 1, Note: 2}
	slices.SortStableFunc(fs, func(a, b Finding) int { return order[a.Severity] - order[b.Severity] })
	return fs
}

// HasBreach reports whether any finding is a breach.
func HasBreach(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Breach {
			return true
		}
	}
	return false
}

// fasterOrEqual reports whether s always ends no later than the Code's
// step c from the same events. Validation allows only anchors at or before
// the Code's, so comparing lengths is enough. A step of n calendar days
// (or hours, rounded up to days) ends no later than m working days if n is
// at most the shortest span m working days can cover: from a Sunday, m
// plus two days for every full week after the first five, that is
// m + 2*floor((m-1)/5). Holidays only lengthen the span.
func fasterOrEqual(s Step, c codeStep) bool {
	m := c.step.Within
	switch s.Unit {
	case calendar.WorkingDays:
		return s.Within <= m
	case calendar.Hours:
		return (s.Within+23)/24 <= m+2*((m-1)/5)
	}
	return s.Within <= m+2*((m-1)/5)
}
