package store

import "time"

// Letter is a letter as issued: the text the officer approved, the PDF
// rendered from it, and the PDF's SHA-256, which the case's
// letter_issued event also carries. It never changes.
type Letter struct {
	ID         int64     `json:"id"`
	CaseRef    string    `json:"case_reference"`
	EventSeq   int       `json:"event_seq"` // the letter_issued event on the case
	Kind       string    `json:"kind"`
	Title      string    `json:"title"`
	Stage      int       `json:"stage"`
	IssuedAt   time.Time `json:"issued_at"`
	IssuedBy   string    `json:"issued_by"`
	Channel    string    `json:"channel"` // email or print
	Recipient  string    `json:"recipient"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	PDF        []byte    `json:"-"`
	SHA256     string    `json:"sha256"`
	LargePrint bool      `json:"large_print"`
	// ReissueReason is why a letter of a kind already issued at the
	// stage was sent again, as the person who reissued it gave it; empty
	// for a letter's first issue. It is kept with the letter so that a
	// second copy in the resident's hands, or the Ombudsman's bundle, is
	// never unexplained.
	ReissueReason string `json:"reissue_reason,omitempty"`
}

// Letterhead is the landlord's identity at the top of every letter.
type Letterhead struct {
	Name             string
	Address, Contact []string
	Logo             []byte // PNG or JPEG; nil for none
	UpdatedBy        string
	UpdatedAt        time.Time
}

// LetterTemplate is a landlord's own wording for a kind of letter.
type LetterTemplate struct {
	Kind, Source string
	UpdatedBy    string
	UpdatedAt    time.Time
}

// Attachment is a file stored with a case. Data is filled only when one
// file is read.
type Attachment struct {
	ID          int64     `json:"id"`
	CaseRef     string    `json:"case_reference"`
	EventSeq    int       `json:"event_seq"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Source      string    `json:"source"` // portal, email or staff
	AddedAt     time.Time `json:"added_at"`
	AddedBy     string    `json:"added_by"`
	Data        []byte    `json:"-"`
}

// SurveyInvite is a single-use link to the satisfaction survey. Only the
// SHA-256 of its token is stored.
type SurveyInvite struct {
	TokenHash string
	CaseRef   string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until answered
}
