package policy

// Groups is what the document promises a group complaint or petition.
type Groups struct {
	// RespondToEveryMember is the promise that a written response goes
	// to every member of the group, not only to its point of contact
	// (003: "Where we provide a written response we will make this
	// available to all petitioners"). Where it is made, a response
	// letter to a group that lists its members must say a copy goes to
	// each, and the case page sends and records the copies.
	RespondToEveryMember bool `yaml:"respond_to_every_member,omitempty" json:"respond_to_every_member,omitempty"`
	// Source cites where the document says so.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// validate names a promise made without citing where the document makes
// it.
func (g Groups) validate() []FieldError {
	if g.RespondToEveryMember && g.Source == "" {
		return []FieldError{{Field: "groups.source", Message: "is required: quote or cite where the document promises a response to every member"}}
	}
	return nil
}
