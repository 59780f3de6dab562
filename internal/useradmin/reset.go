// Package useradmin makes password reset links and the mail that carries
// them, the same for the staff pages and the API: a random token whose
// SHA-256 alone is stored, a link to the staff pages' reset page, and a
// plain message saying what it is for and how long it works.
package useradmin

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/store"
)

// LinkTTL is how long a reset link works: long enough to read the mail,
// short enough that an old mail found later is no way in.
const LinkTTL = 30 * time.Minute

// NoBaseURL says why no reset link can be made.
const NoBaseURL = "reset links cannot be emailed: the service has no web address set (REDRESS_BASE_URL); reset the password with a one-time password instead"

// HashToken is the SHA-256 of a reset link's token, as it is stored.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// ResetLink makes reset links for a service reached at BaseURL.
type ResetLink struct {
	ServiceName string
	BaseURL     string
}

// Make returns a new reset link for u made at, as stored, and the mail
// that carries it. byAdmin says the link was sent by an administrator
// rather than asked for on the sign-in page, which the mail tells the
// user. An empty BaseURL is an error: a link must be absolute to work
// from a mail.
func (l ResetLink) Make(u store.User, byAdmin bool, at time.Time) (store.PasswordReset, store.OutboundMessage, error) {
	if l.BaseURL == "" {
		return store.PasswordReset{}, store.OutboundMessage{}, fmt.Errorf("%s", NoBaseURL)
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	link := strings.TrimRight(l.BaseURL, "/") + "/reset-password?token=" + url.QueryEscape(token)
	var body strings.Builder
	fmt.Fprintf(&body, "Dear %s,\n\n", u.Name)
	if byAdmin {
		fmt.Fprintf(&body, "An administrator of %s has sent you a link to set a new password.\n\n", l.ServiceName)
	} else {
		fmt.Fprintf(&body, "Someone asked to reset the password of your account on %s.\n\n", l.ServiceName)
	}
	fmt.Fprintf(&body, "To choose a new password, open this link within %d minutes. It works once:\n\n%s\n\n", int(LinkTTL/time.Minute), link)
	fmt.Fprintf(&body, "Setting a new password signs you out of every browser.\n\n")
	fmt.Fprintf(&body, "If you did not ask for this, you can ignore this email: your password has not changed.\n\n%s\n", l.ServiceName)
	r := store.PasswordReset{TokenHash: HashToken(token), UserID: u.ID, CreatedAt: at, ExpiresAt: at.Add(LinkTTL)}
	m := store.OutboundMessage{To: u.Email, Subject: "Reset your password for " + l.ServiceName, TextBody: body.String(), Kind: "password_reset"}
	return r, m, nil
}
