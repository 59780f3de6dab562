package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"strings"
	"time"
)

// Tracking codes are what a resident without email proves a case is theirs
// with on the residents' pages: a reference is sequential and a postcode is
// shared by a street, so neither proves anything. A code is 10 characters
// of Crockford's base 32 (digits and capital letters without I, L, O and
// U), 50 random bits: no one guesses it within the few tries a reference
// is allowed. It is printed in the acknowledgement letter and shown to
// staff, who may read it to the resident on the phone, so people copy it
// by hand: it is shown in two groups of five, and read back with any
// spacing, dashes or case, and with I and L taken for 1 and O for 0.
const (
	trackingCodeLength   = 10
	trackingCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// NewTrackingCode returns a new random tracking code, as stored: ten
// characters without separators.
func NewTrackingCode() string {
	b := make([]byte, trackingCodeLength)
	rand.Read(b)
	for i := range b {
		// 256 is a multiple of 32, so every character is as likely.
		b[i] = trackingCodeAlphabet[b[i]%32]
	}
	return string(b)
}

// FormatTrackingCode writes a stored code for people to read: "7KQ2M-XR4TD".
func FormatTrackingCode(code string) string {
	if len(code) != trackingCodeLength {
		return code
	}
	return code[:5] + "-" + code[5:]
}

// NormalTrackingCode reads a tracking code as a person typed it, and
// reports whether it has the form of one: spaces and dashes are dropped,
// letters taken in either case, and the letters that look like digits
// (I, L and O) read as those digits.
func NormalTrackingCode(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '‐', '‑', '–', '—':
			return -1
		case 'i', 'I', 'l', 'L':
			return '1'
		case 'o', 'O':
			return '0'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
	if len(s) != trackingCodeLength {
		return s, false
	}
	for _, r := range s {
		if !strings.ContainsRune(trackingCodeAlphabet, r) {
			return s, false
		}
	}
	return s, true
}

// SameTrackingCode reports whether a code typed by a person (in any of the
// forms NormalTrackingCode reads) is the stored code, taking the same time
// wherever they differ, so that the time of an answer tells nothing of how
// much of a guess was right.
func SameTrackingCode(stored, typed string) bool {
	n, ok := NormalTrackingCode(typed)
	if !ok || len(stored) != trackingCodeLength {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(stored), []byte(n)) == 1
}

// TrackingLink is a single-use link to a case's tracking pages, emailed to
// the address on the case. Only the SHA-256 of its token is stored
// (auth.SecretHash), so the database holds no working link.
type TrackingLink struct {
	TokenHash string
	// CaseRef is the case's own reference, whichever the link was asked
	// for with.
	CaseRef   string
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is when the link was used; zero until it is.
	UsedAt time.Time
}

// TrackingStore keeps what residents prove a case is theirs with on the
// residents' pages: its tracking code, and the links emailed to them.
type TrackingStore interface {
	// TrackingCode returns the tracking code of the case known by ref
	// (any of its references), first making one (NewTrackingCode) and
	// storing it at at if the case has none, so cases made before codes
	// existed get one the first time one is needed. It is not_found if
	// there is no such case.
	TrackingCode(ctx context.Context, ref string, at time.Time) (string, error)
	// CheckTrackingCode reports whether typed is the tracking code of the
	// case known by ref, compared as SameTrackingCode does. A case with no
	// code yet, and a reference of no case, are false without an error:
	// nobody can have been told a code never made, and the answer must not
	// say which references exist.
	CheckTrackingCode(ctx context.Context, ref, typed string) (bool, error)
	// SendTrackingLink stores the link for the case link.CaseRef names
	// (by any of its references) and queues m, the email carrying the
	// token, in one transaction, so that no email goes with a link that
	// does not work; it also deletes the links that expired before at.
	// An invalid link or message is an invalid error and saves nothing.
	SendTrackingLink(ctx context.Context, link TrackingLink, m OutboundMessage, at time.Time) error
	// UseTrackingLink uses up the link whose token has this hash, at now,
	// and returns it. An unknown link is not_found; one already used, or
	// expired at now, is a conflict; neither changes anything.
	UseTrackingLink(ctx context.Context, tokenHash string, now time.Time) (TrackingLink, error)
}
