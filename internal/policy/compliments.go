package policy

// Compliments is what the landlord's document promises to do with a
// compliment beyond recording it.
type Compliments struct {
	// PassOn is the promise to tell those a compliment praises and their
	// manager (000: "we offer individual feedback to colleagues when a
	// compliment is received"; 003 §2: "Feedback on compliments is given
	// to staff"). Where it is made, the thanks letter may not go until
	// the compliment has been passed on, so that it never thanks the
	// resident for words not yet passed on, nor leaves the promise
	// unkept.
	PassOn bool `yaml:"pass_on,omitempty" json:"pass_on,omitempty"`
	// Publish lets the landlord publish recent compliments on a public
	// page, without personal details (003 §2: compliments are
	// "publicised in recognition of the outstanding customer service
	// delivered by our teams").
	Publish bool `yaml:"publish,omitempty" json:"publish,omitempty"`
	// StaffSurnames lets the public page show a colleague's full name;
	// without it only their first name is shown.
	StaffSurnames bool `yaml:"staff_surnames,omitempty" json:"staff_surnames,omitempty"`
	// Source cites where the document says so.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// validate names a promise made without citing where the document makes
// it: every setting a preset carries quotes its source.
func (c Compliments) validate() []FieldError {
	if (c.PassOn || c.Publish || c.StaffSurnames) && c.Source == "" {
		return []FieldError{{Field: "compliments.source", Message: "is required: quote or cite where the document makes these promises about compliments"}}
	}
	return nil
}
