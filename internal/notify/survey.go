package notify

import (
	"net/url"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/store"
)

// DefaultSurveyValidFor is how long a survey link works unless Settings
// say otherwise.
const DefaultSurveyValidFor = 60 * 24 * time.Hour

// NewSurveyToken returns a new survey link token: 256 random bits,
// base64url without padding.
func NewSurveyToken() string { return auth.NewSecret() }

// SurveyTokenHash is the stored form of a survey token: the SHA-256 of
// the token as it appears in the link, in hex. The survey page hashes
// the token it is given the same way to find the invitation.
func SurveyTokenHash(token string) string { return auth.SecretHash(token) }

// SurveyLink invites the resident of case ref to the satisfaction survey
// with token. It returns the link to send them, baseURL (such as
// https://complaints.example.org) followed by /survey/<token>, and the
// invitation to store with the message: the token's hash only, so that
// the database never holds a working link, valid from now for validFor
// (zero or less: DefaultSurveyValidFor).
//
// It is the one maker of survey links. The closed-complaint notice and
// the survey page's tests both use it, so the page is tested with the
// links residents are really sent. It stores nothing, which keeps
// Notices pure: the relay stores the invitation in the transaction that
// queues the notice carrying its link.
func SurveyLink(baseURL, token, ref string, now time.Time, validFor time.Duration) (string, store.SurveyInvite) {
	if validFor <= 0 {
		validFor = DefaultSurveyValidFor
	}
	inv := store.SurveyInvite{TokenHash: SurveyTokenHash(token), CaseRef: ref, CreatedAt: now, ExpiresAt: now.Add(validFor)}
	return strings.TrimRight(baseURL, "/") + "/survey/" + url.PathEscape(token), inv
}
