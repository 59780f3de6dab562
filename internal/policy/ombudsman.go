package policy

// OmbudsmanStage is what a landlord's document adds to the Housing
// Ombudsman stage, after its final response (issue 19, item 4): who must
// approve what the landlord sends the Ombudsman before it goes.
type OmbudsmanStage struct {
	// ExecutiveApproval requires a member of the executive team to
	// approve the landlord's response to the Ombudsman, recorded with
	// their name, role and date, before the response or evidence is
	// recorded as sent: 002 §2.6, "A member of our Executive Management
	// Team will approve our response to the Housing Ombudsman in all
	// cases". The Code asks no such sign-off, so it is off by default.
	ExecutiveApproval bool `yaml:"executive_approval,omitempty" json:"executive_approval,omitempty"`
	// ApproverRole is the document's name for who approves, shown beside
	// the approval form, such as "Executive Management Team".
	ApproverRole string `yaml:"approver_role,omitempty" json:"approver_role,omitempty"`
	// Source cites where the document says so.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// validate names each problem with the setting: an approval required
// must say where the document requires it, so a reader can check it.
func (o OmbudsmanStage) validate() []FieldError {
	var errs []FieldError
	if o.ExecutiveApproval && o.Source == "" {
		errs = append(errs, FieldError{Field: "ombudsman_stage.source", Message: "is required where executive_approval is set: quote or cite the document"})
	}
	if len(o.ApproverRole) > 200 {
		errs = append(errs, FieldError{Field: "ombudsman_stage.approver_role", Message: "is longer than 200 characters"})
	}
	return errs
}
