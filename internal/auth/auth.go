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
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/enum"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	Admin    Role = "admin"    // everything, including users
	Manager  Role = "manager"  // oversight; sees every confidential case
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

// AllConfidential reports whether the role sees every confidential case,
// not only those it handles or logged.
func (r Role) AllConfidential() bool { return r == Admin || r == Manager }

// CanSee reports whether a user with role and email may see c. A
// confidential case (a complaint about a member of staff) is visible only
// to its handlers, whoever logged it, and managers and admins; to anyone
// else it does not exist.
func CanSee(role Role, email string, c *complaint.Case) bool {
	if !c.Confidential || role.AllConfidential() {
		return true
	}
	return strings.EqualFold(c.CreatedBy, email) || c.HandledBy(email) || c.HandledBy(strings.ToLower(email))
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
