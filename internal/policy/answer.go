package policy

// ResponseAgreement is whether the landlord's document promises to agree
// with each resident how they would like to be answered, as 003 does:
// "When we receive a complaint we will agree with the customer how they
// would like us to respond. This may be by telephone, text, e-mail, face
// to face or in writing." Redress records the way on every case whatever
// the policy says; where the document promises it, the case page asks
// staff to agree a way on every open case that has none, so that the
// promise is kept rather than left to memory.
type ResponseAgreement struct {
	// Agree is true where the document makes the promise.
	Agree bool `yaml:"agree,omitempty" json:"agree,omitempty"`
	// Source cites where the document says so, or why it is assumed.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}
