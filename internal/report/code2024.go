package report

import "slices"

// CodeSection is one section of the Code.
type CodeSection struct {
	Number int
	Title  string
}

// Provision is one numbered provision of the Code: a row of the annual
// self-assessment (Code section 8).
type Provision struct {
	Number      string // "6.2"
	Section     int
	Requirement string // the requirement in our own words, one or two sentences
	Must        bool   // a mandatory "must" (true) or a "should" (false)
}

// ComplaintDefinition is the Code's definition of a complaint (1.2), which
// landlords must use word for word, so it is quoted exactly rather than
// summarised.
const ComplaintDefinition = "an expression of dissatisfaction, however made, about the standard of service, actions or lack of action by the landlord, its own staff, or those acting on its behalf, affecting a resident or group of residents."

// code2024Sections are the nine sections of the Code, titled as the Code
// titles them.
var code2024Sections = []CodeSection{
	{1, "Definition of a complaint"},
	{2, "Exclusions"},
	{3, "Accessibility and awareness"},
	{4, "Complaint handling staff"},
	{5, "The complaint handling process"},
	{6, "Complaints stages"},
	{7, "Putting things right"},
	{8, "Self-assessment, reporting and compliance"},
	{9, "Scrutiny and oversight: continuous learning and improvement"},
}

// code2024 lists the provisions of the Housing Ombudsman's Complaint
// Handling Code, the statutory Code in force from 1 April 2024
// (https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/the-code-2024),
// numbered as that Code numbers them and cross-checked against landlords'
// published 2024/25 self-assessments, which copy the Ombudsman's form
// (Appendix A of the Code). The 2022 Code numbers its provisions
// differently; none of its numbers are used here.
//
// Each Requirement is our summary, not the Code's text, except 1.2, whose
// definition landlords must use verbatim. A summary can lose nuance: where
// it and the Code differ, the Code governs, and a landlord's evidence
// should answer the Code's words.
//
// Paragraph 1.1 is left out: it introduces section 1 and asks nothing of
// landlords, and the Ombudsman's self-assessment form starts at 1.2.
//
// The numbers and substance of 1.2-1.5, 2.1-2.4, 3.1-3.3, 4.1-4.3,
// 5.1-5.6, 6.1-6.6, 6.10-6.13, 7.1-7.4, 9.1-9.3, 9.5 and 9.7 were
// confirmed in at least two sources. The rest follow the Code as best it
// could be read from one source or from the Local Government and Social
// Care Ombudsman's parallel code, and should be checked against the Code
// itself before a self-assessment built on them is published.
var code2024 = []Provision{
	// Section 1: Definition of a complaint.
	{"1.2", 1, "Landlords must use this definition of a complaint word for word: " + ComplaintDefinition, true},
	{"1.3", 1, "Residents need not use the word 'complaint': whenever they express dissatisfaction they must be offered the choice of making one, and a complaint made through a third party or representative is handled under the landlord's policy like any other.", true},
	{"1.4", 1, "The complaints policy must explain how a service request (a resident asking the landlord to act to put something right) differs from a complaint; service requests are not complaints but must still be recorded, monitored and regularly reviewed.", true},
	{"1.5", 1, "When a resident is unhappy with the response to a service request, a complaint must be raised even though the request is still being dealt with, and work on the request must carry on.", true},
	{"1.6", 1, "Dissatisfaction given in a survey is not a complaint, but where possible the person should be told how to complain, and any request for wider feedback on services must say how residents can complain.", true},

	// Section 2: Exclusions.
	{"2.1", 2, "Landlords must accept a complaint unless there is a valid reason not to, must be able to evidence the reason for any refusal, and must consider each complaint on its own merits.", true},
	{"2.2", 2, "The complaints policy must set out, fairly and reasonably, when a matter will not be treated as a complaint or escalated; acceptable exclusions include issues more than twelve months old, matters where legal proceedings have started (a claim filed at court) and matters already considered under the policy.", true},
	{"2.3", 2, "Complaints must be accepted if made within 12 months of the issue happening or of the resident becoming aware of it, unless excluded on other grounds, and landlords must consider using discretion to accept later ones where there is good reason.", true},
	{"2.4", 2, "If a complaint is not accepted, the landlord must explain to the resident why the matter is not suitable for the complaints process and tell them they can take that decision to the Ombudsman.", true},
	{"2.5", 2, "Landlords must not exclude complaints by blanket rule; they must look at the individual circumstances of each one.", true},

	// Section 3: Accessibility and awareness.
	{"3.1", 3, "Landlords must offer more than one channel for complaining, and must consider their Equality Act 2010 duties and anticipate the needs and reasonable adjustments of residents who may need to use the process.", true},
	{"3.2", 3, "Residents must be able to complain in any way and to any member of staff, and every member of staff must know the process well enough to pass a complaint to the right person.", true},
	{"3.3", 3, "A high number of complaints must not be treated as a bad sign, since it can show an accessible, well-publicised process, while a low number may mean residents are unable to complain.", true},
	{"3.4", 3, "The complaints policy must be available to all residents in a clear, accessible format that sets out the two stages, what happens at each and the response timescales, and it must be published on the landlord's website.", true},
	{"3.5", 3, "The policy must say how the landlord will publicise it, including information about the Ombudsman and this Code.", true},
	{"3.6", 3, "Residents must be able to have a representative deal with their complaint for them, and to be represented or accompanied at any meeting with the landlord.", true},
	{"3.7", 3, "Landlords must tell residents about their right to use the Ombudsman's service and how they can engage with the Ombudsman about their complaint.", true},

	// Section 4: Complaint handling staff.
	{"4.1", 4, "Landlords must give a person or team (the Code's 'complaints officer', which may be one role among others) responsibility for complaint handling, including liaising with the Ombudsman and making sure complaints are reported to the governing body.", true},
	{"4.2", 4, "The complaints officer must be able to reach staff at every level to resolve complaints promptly, and must have the authority and autonomy to settle disputes promptly and fairly.", true},
	{"4.3", 4, "Landlords are expected to make complaint handling and learning from complaints a priority and a core service: relevant staff must be trained in its importance, and it must be resourced to be done effectively.", true},

	// Section 5: The complaint handling process.
	{"5.1", 5, "Landlords must have a single policy for all complaints the Code covers, and residents must not be treated differently because they have complained.", true},
	{"5.2", 5, "Issues should be resolved early and locally, and the process must not have extra named stages such as 'stage 0' or 'informal complaint', which only confuse.", true},
	{"5.3", 5, "A complaints process with more than two stages is never acceptable, because it makes the process too long and delays access to the Ombudsman.", true},
	{"5.4", 5, "Where a third party such as a contractor or independent adjudicator handles the response at any stage, that must be part of the two-stage process, so residents never have to go through two complaints processes.", true},
	{"5.5", 5, "Landlords remain responsible for making sure any third party handles complaints in line with the Code.", true},
	{"5.6", 5, "When logging a complaint at stage 1 or escalating it to stage 2, landlords must set out their understanding of the complaint and the outcome the resident wants (the 'complaint definition'), and ask the resident to clarify anything unclear.", true},
	{"5.7", 5, "When acknowledging a complaint at either stage, landlords must say which parts of it they are and are not responsible for, and clarify any part where that is uncertain.", true},
	{"5.8", 5, "At every stage complaint handlers must judge the complaint on its merits, act independently with an open mind, give the resident a fair chance to put their case, deal with any actual or perceived conflict of interest and weigh all relevant information and evidence carefully.", true},
	{"5.9", 5, "If a response will fall outside the Code's timescales, the landlord must agree with the resident how often it will update them on the complaint.", true},
	{"5.10", 5, "Landlords must make reasonable adjustments under the Equality Act 2010 where appropriate, keep a record of adjustments agreed and of any disability a resident discloses, and keep agreed adjustments under active review.", true},
	{"5.11", 5, "Landlords must not refuse to escalate a complaint through all stages without valid reasons, which they must explain clearly and which must be consistent with section 2 of the Code.", true},
	{"5.12", 5, "A full record must be kept of each complaint and its outcome at each stage, including the original complaint and the date it was received, all correspondence with the resident and with others, and relevant documents such as reports or surveys.", true},
	{"5.13", 5, "Landlords must be able to put a complaint right at any stage, so that a suitable remedy can be given without the resident having to escalate.", true},
	{"5.14", 5, "Landlords must have policies and procedures for managing unacceptable behaviour by residents or their representatives while a complaint is being pursued.", true},
	{"5.15", 5, "Any restriction on contact because of unacceptable behaviour must be appropriate to the need and show regard for the Equality Act 2010.", true},

	// Section 6: Complaints stages. Stage 1 is 6.1 to 6.9; stage 2 is 6.10
	// to 6.20.
	{"6.1", 6, "Landlords must have a way of deciding which complaints can be answered quickly and which need further investigation, taking account of how complex the complaint is and whether the resident is vulnerable or at risk.", true},
	{"6.2", 6, "A complaint must be acknowledged, defined and logged at stage 1 within five working days of being received.", true},
	{"6.3", 6, "The full stage 1 response must be issued within 10 working days of the complaint being acknowledged.", true},
	{"6.4", 6, "Landlords must decide, given the complaint's complexity, whether more time is needed at stage 1 and tell the resident when to expect the response; an extension must be no more than 10 working days without good reason, and the reason must be clearly explained.", true},
	{"6.5", 6, "When telling a resident about an extension, the landlord must give them the Ombudsman's contact details.", true},
	{"6.6", 6, "The stage 1 response must be sent once the answer to the complaint is known, not when every follow-up action is finished; outstanding actions must still be tracked, done promptly and reported to the resident.", true},
	{"6.7", 6, "The stage 1 response must deal with every point raised and give clear reasons for each decision, citing relevant policy, law and good practice where appropriate.", true},
	{"6.8", 6, "Related new issues raised before the stage 1 response is sent must be included in it; if the response has been sent, the issues are unrelated, or including them would unreasonably delay it, they must be logged as a new complaint.", true},
	{"6.9", 6, "At the end of stage 1 the landlord must tell the resident in writing, in clear plain language, the complaint stage, the complaint definition, the decision and the reasons for it, any remedy offered, any outstanding actions and how to escalate to stage 2.", true},
	{"6.10", 6, "If any part of the complaint is not resolved to the resident's satisfaction at stage 1, it must go to stage 2, which is the landlord's final response.", true},
	{"6.11", 6, "A request for stage 2 must be acknowledged, defined and logged at stage 2 within five working days of the escalation request being received.", true},
	{"6.12", 6, "Residents must not be required to say why they want stage 2, though the landlord is expected to make reasonable efforts to understand why they remain unhappy.", true},
	{"6.13", 6, "The person who considers the complaint at stage 2 must not be the same person who considered it at stage 1.", true},
	{"6.14", 6, "The full stage 2 response must be issued within 20 working days of the escalation request being acknowledged.", true},
	{"6.15", 6, "Landlords must decide, given the complaint's complexity, whether more time is needed at stage 2 and tell the resident when to expect the response; an extension must be no more than 20 working days without good reason, and the reason must be clearly explained.", true},
	{"6.16", 6, "When telling a resident about a stage 2 extension, the landlord must give them the Ombudsman's contact details.", true},
	{"6.17", 6, "The stage 2 response must be sent once the answer to the complaint is known, not when every follow-up action is finished; outstanding actions must still be tracked, done promptly and reported to the resident.", true},
	{"6.18", 6, "The stage 2 response must deal with every point raised and give clear reasons for each decision, citing relevant policy, law and good practice where appropriate.", true},
	{"6.19", 6, "At the end of stage 2 the landlord must tell the resident in writing, in clear plain language, the complaint stage, the complaint definition, the decision and the reasons for it, any remedy offered, any outstanding actions and how to take the complaint to the Ombudsman.", true},
	{"6.20", 6, "Stage 2 is the landlord's final response, and it must involve all the staff needed to give that response.", true},

	// Section 7: Putting things right.
	{"7.1", 7, "Where something has gone wrong the landlord must acknowledge it and set out what it has done or will do to put it right, such as apologising, explaining, acting on a delay, reconsidering a decision, correcting a record, making a financial remedy or changing a policy or practice.", true},
	{"7.2", 7, "Any remedy must reflect the impact on the resident of the fault identified.", true},
	{"7.3", 7, "A remedy offer must say clearly what will happen and by when, agreed with the resident where appropriate, and the remedy must be carried through to completion.", true},
	{"7.4", 7, "Landlords must take account of the Ombudsman's guidance when deciding on appropriate remedies.", true},

	// Section 8: Self-assessment, reporting and compliance.
	{"8.1", 8, "Landlords must produce an annual complaints performance and service improvement report for scrutiny and challenge. It must contain the annual self-assessment against the Code, an analysis of complaint handling performance including the complaints refused, any Ombudsman findings of non-compliance with the Code, the service improvements made from learning, and relevant Ombudsman reports on the landlord.", true},
	{"8.2", 8, "The annual report must go to the governing body (or equivalent) and be published in the complaints section of the landlord's website, with the governing body's response to it published alongside.", true},
	{"8.3", 8, "Landlords must also carry out a self-assessment after a significant restructure, merger or change in procedures.", true},
	{"8.4", 8, "Landlords may be asked to review and update their self-assessment after an Ombudsman investigation.", false},
	{"8.5", 8, "A landlord that cannot comply with the Code because of exceptional circumstances, such as a cyber incident, must tell the Ombudsman, inform residents who may be affected and publish this on its website, giving a timescale for returning to compliance.", true},

	// Section 9: Scrutiny and oversight: continuous learning and improvement.
	{"9.1", 9, "Landlords must look beyond the individual complaint and consider what service improvements its lessons call for.", true},
	{"9.2", 9, "As part of a positive complaint handling culture, landlords must use complaints as a source of intelligence to identify issues and make positive changes to services.", true},
	{"9.3", 9, "For accountability and transparency, landlords must report wider learning and improvements from complaints to stakeholders such as residents' panels, staff and relevant committees.", true},
	{"9.4", 9, "Landlords must appoint a suitably senior lead person accountable for complaint handling, who must look for themes and trends that point to systemic issues, serious risks, or policies and procedures that need revising.", true},
	{"9.5", 9, "Landlords must appoint a member of the governing body (or equivalent) to take lead responsibility for complaints and support a positive complaint handling culture: the Member Responsible for Complaints (MRC).", true},
	{"9.6", 9, "The MRC is responsible for making sure the governing body regularly receives information that gives insight into complaint handling performance, and must have access to the information and staff needed to do the role and report on findings.", true},
	{"9.7", 9, "At a minimum the MRC and governing body must receive regular updates on the volume, categories and outcomes of complaints and on complaint handling performance, regular reviews of issues and trends, regular updates on the outcomes of Ombudsman investigations, and the annual complaints performance and service improvement report.", true},
	{"9.8", 9, "Landlords must give all relevant employees and third parties a standard objective on complaint handling: to work together across teams to resolve complaints, to take collective responsibility for shortfalls rather than blame others, and to meet any relevant professional body's standards for dealing with complaints.", true},
}

// CodeSections returns the Code's nine sections in order. The slice is a
// copy; changing it changes nothing here.
func CodeSections() []CodeSection { return slices.Clone(code2024Sections) }

// CodeProvisions returns the Code's provisions in Code order (6.9 before
// 6.10). The slice is a copy; changing it changes nothing here.
func CodeProvisions() []Provision { return slices.Clone(code2024) }

// FindProvision returns the provision with the given number, such as
// "6.13", and whether there is one.
func FindProvision(number string) (Provision, bool) {
	for _, p := range code2024 {
		if p.Number == number {
			return p, true
		}
	}
	return Provision{}, false
}
