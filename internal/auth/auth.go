// Package auth holds who may do what: the roles, and API tokens. A token
// is 256 random bits shown once to its holder; only its SHA-256 hash is
// stored, so checking one costs microseconds and a stolen database holds
// no usable token.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/enum"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	Admin    Role = "admin"    // everything, including users
	Manager  Role = "manager"  // oversight; sees confidential cases unless the policy keeps them to the people they name
	Officer  Role = "officer"  // handles cases
	Reviewer Role = "reviewer" // handles stage 2 reviews
	Viewer   Role = "viewer"   // reads cases
)

// Roles lists every role.
var Roles = []Role{Admin, Manager, Officer, Reviewer, Viewer}

// ParseRole checks that s names a role.
func ParseRole(s string) (Role, error) { return enum.Parse(s, Roles, "a role") }

// CanAct reports whether the role may log contacts and give commands.
func (r Role) CanAct() bool { return r != Viewer && r != "" }

// SeesAllConfidential reports whether the role sees every confidential
// case, not only those that name it. Admins always do, for
// administration (and every view is logged). Managers do unless the
// policy keeps confidential cases to the people they name
// (policy.Confidential.NamedViewersOnly, namedOnly here), as
// greatwell-homes does: "accessible only to nominated Complaints Officer
// and relevant line Manager". It is what store.Viewer.AllConfidential
// holds, so that lists, counts and searches apply the same rule as
// CanSee.
func (r Role) SeesAllConfidential(namedOnly bool) bool {
	return r == Admin || (r == Manager && !namedOnly)
}

// Named returns the people a confidential case names as able to see it:
// whoever logged it, its handler, everyone who has handled one of its
// stages, and the line manager named on it. Storage indexes exactly these
// for its lists (store/sqlite's case_people), so that a list and CanSee
// agree.
func Named(c *complaint.Case) []string {
	people := []string{c.CreatedBy, c.Handler}
	for _, st := range c.Stages {
		people = append(people, st.Handlers...)
	}
	people = append(people, c.LineManager)
	out := make([]string, 0, len(people))
	for _, p := range people {
		if p = FoldEmail(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// FoldEmail is the form in which emails are compared: trimmed and lower
// case. An email is the same person whatever its case, and the users
// table holds each address once whatever its case.
func FoldEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Sees is the confidential-case rule for a viewer who does or does not
// see every confidential case (all, from SeesAllConfidential): a case
// that is not confidential is seen by everyone; a confidential one by
// such a viewer and by the people it names (Named), and by no one else.
func Sees(all bool, email string, c *complaint.Case) bool {
	if !c.Confidential || all {
		return true
	}
	e := FoldEmail(email)
	return e != "" && slices.Contains(Named(c), e)
}

// CanSee reports whether a user with role and email may see c under a
// policy that does (namedOnly) or does not keep confidential cases to
// the people they name. A confidential case (a complaint about a member
// of staff) is visible only to the people it names, to admins, and,
// unless namedOnly, to managers; to anyone else it does not exist: it is
// "not found", never "forbidden", so that its existence does not leak.
func CanSee(role Role, email string, namedOnly bool, c *complaint.Case) bool {
	return Sees(role.SeesAllConfidential(namedOnly), email, c)
}

// tokenPrefix marks Redress tokens so that secret scanners can find one
// pasted where it should not be.
const tokenPrefix = "rdr_"

// NewToken returns a new random token and the hash to store.
func NewToken() (token string, hash []byte) {
	token = tokenPrefix + NewSecret()
	return token, HashToken(token)
}

// NewSecret returns 256 random bits, base64url without padding: the token
// of a link or a cookie that proves its holder was given it (a survey
// link, a form in progress).
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // Never fails: crypto/rand panics instead of returning an error.
	return base64.RawURLEncoding.EncodeToString(b)
}

// SecretHash is the stored form of a secret: its SHA-256 in hex, so a copy
// of the database holds no working links.
func SecretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// HashToken returns the stored form of a token.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return sum[:]
}
