// Package mail sends Redress's email over SMTP from the durable outbox
// (store.Outbox): a Sender turns one outbound message into MIME and hands
// it to the landlord's mail server, and a Dispatcher claims due messages,
// sends them and records each outcome, retrying with back-off so that a
// mail server that is down delays mail but never loses it.
//
// Logs name messages by outbox id and Message-ID and recipients by their
// domain only: never a full address, a subject or a body, which hold
// residents' personal data.
package mail

import (
	"crypto/x509"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/redresshq/redress/internal/complaint"
)

// Security is how the connection to the mail server is protected.
const (
	// StartTLS connects in plain text and upgrades with STARTTLS, which
	// the server must offer: there is no fall-back to plain text.
	StartTLS = "starttls"
	// TLS connects over TLS from the start (SMTPS, usually port 465).
	TLS = "tls"
	// None sends in plain text; allowed only to a server on this machine.
	None = "none"
)

// Config says how to reach the mail server and whom mail comes from.
type Config struct {
	Host string
	// Port defaults to 587 for StartTLS, 465 for TLS and 25 for None.
	Port int
	// Security is StartTLS (the default), TLS or None.
	Security string
	// Username and Password, if set, authenticate with SMTP AUTH, which
	// go-mail does only over an encrypted connection or to localhost.
	Username, Password string
	// From is the sender, "Name <address>" or an address.
	From string
	// HeloName is the name given in EHLO; it defaults to the host name.
	HeloName string
	// Timeout bounds connecting and each command; it defaults to 30s.
	Timeout time.Duration
	// RootCAs verify the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
}

// DefaultTimeout is the Timeout of a Config that sets none.
const DefaultTimeout = 30 * time.Second

// withDefaults returns c with its defaults filled in.
func (c Config) withDefaults() Config {
	if c.Security == "" {
		c.Security = StartTLS
	}
	if c.Port == 0 {
		switch c.Security {
		case TLS:
			c.Port = 465
		case None:
			c.Port = 25
		default:
			c.Port = 587
		}
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// isLocal reports whether host is this machine.
func isLocal(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// Check returns an invalid-input error naming every field of c that
// cannot work.
func (c Config) Check() error {
	c = c.withDefaults()
	fields := map[string]string{}
	if c.Host == "" {
		fields["host"] = "is required"
	} else if len(c.Host) > 253 || strings.ContainsFunc(c.Host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' }) {
		fields["host"] = "is not a host name or IP address"
	}
	if c.Port < 1 || c.Port > 65535 {
		fields["port"] = "must be from 1 to 65535"
	}
	switch c.Security {
	case StartTLS, TLS:
	case None:
		if !isLocal(c.Host) {
			fields["security"] = "none sends mail and passwords in plain text, so is allowed only to localhost or 127.0.0.1: use starttls or tls"
		}
	default:
		fields["security"] = "must be starttls, tls or none"
	}
	if c.Username != "" && c.Password == "" {
		fields["password"] = "is required with a username"
	}
	if c.Password != "" && c.Username == "" {
		fields["username"] = "is required with a password"
	}
	if c.From == "" {
		fields["from"] = "is required"
	} else if a, err := mail.ParseAddress(c.From); err != nil || domainOf(a.Address) == "" {
		fields["from"] = "is not an email address"
	}
	if c.HeloName != "" && (len(c.HeloName) > 253 || strings.ContainsFunc(c.HeloName, func(r rune) bool { return r <= ' ' || r > '~' })) {
		fields["helo_name"] = "must be a host name"
	}
	if c.Timeout < time.Second || c.Timeout > 10*time.Minute {
		fields["timeout"] = "must be from 1s to 10m"
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the mail settings have invalid fields", Fields: fields}
	}
	return nil
}

// domainOf returns the domain of an address, or "" if it has none.
func domainOf(addr string) string {
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || at == len(addr)-1 {
		return ""
	}
	return strings.ToLower(addr[at+1:])
}
