package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// The audit trail is protected in three ways, each closing a way that
// someone with write access to the database could rewrite history:
//
//   - Events are chained by an HMAC-SHA256 keyed with a secret held
//     outside the database (AuditKey), so that an event cannot be changed,
//     and the chain recomputed after it, without the key. Chains begun
//     before the key existed keep their unkeyed hashes (EventHash) up to
//     the event the keyed chain starts from, which the store records and
//     seals with the key; the first keyed event's hash covers the hash
//     before it, so the unkeyed part is pinned too.
//   - Each case is rebuilt from its events (Rebuild) and compared with
//     the case as stored, so the stored case cannot be changed on its own;
//     issued letters and received files are checked against the hashes
//     their events recorded.
//   - The chain's head is checkpointed outside the database (Checkpoint,
//     signed with the key), in the log and by `redress audit checkpoint`,
//     so that deleting the newest events and rewinding the head, which
//     leaves a shorter chain that is still whole, is caught against a
//     checkpoint kept from before.

// Auditor checks the record against itself and against what was kept
// outside the database. VerifyAudit (on Store) does every check across
// the whole database; these are its parts, for the evidence pack of one
// case, and the checkpoints.
type Auditor interface {
	// VerifyChain checks the hash chain across every case, its head and
	// where its keyed part starts, without rebuilding any case.
	VerifyChain(ctx context.Context) (AuditReport, error)
	// VerifyCase checks one case: its events' hashes and numbering, the
	// stored case against the case rebuilt from its events, its version
	// against its count of events, and its letters and files against the
	// hashes their events recorded.
	VerifyCase(ctx context.Context, ref string) (CaseAudit, error)
	// AuditCheckpoint returns the chain's head now, signed with the audit
	// key, for keeping outside the database. A store without the key
	// returns an error.
	AuditCheckpoint(ctx context.Context, at time.Time) (Checkpoint, error)
	// VerifyCheckpoints checks kept checkpoints against the chain: each
	// must be signed with the audit key, and the chain must still hold
	// the head it names as its event at the count it names. It returns
	// the problems found, none if every checkpoint holds.
	VerifyCheckpoints(ctx context.Context, cps []Checkpoint) ([]string, error)
}

// CaseAudit is what checking one case against its events found.
type CaseAudit struct {
	Reference string `json:"reference"`
	// Events is how many events the case has; EventsOK is true when each
	// matches its hash and their numbers run from 1 without a gap.
	Events   int  `json:"events"`
	EventsOK bool `json:"events_ok"`
	// CaseOK is true when the stored case is what its events record (see
	// Rebuild for what is compared) and its version counts its events.
	CaseOK bool `json:"case_ok"`
	// Letters and Attachments are how many of each were checked; each is
	// OK when every one matches the hash its event recorded and none that
	// an event recorded is missing.
	Letters       int      `json:"letters"`
	LettersOK     bool     `json:"letters_ok"`
	Attachments   int      `json:"attachments"`
	AttachmentsOK bool     `json:"attachments_ok"`
	Problems      []string `json:"problems"`
	// Anonymised says when and why the case's personal data was removed,
	// as its chained anonymisation event records it; nil if it was not.
	Anonymised *AnonymisationEntry `json:"anonymised,omitempty"`
}

// OK reports whether every check of the case passed.
func (a CaseAudit) OK() bool { return a.EventsOK && a.CaseOK && a.LettersOK && a.AttachmentsOK }

// AuditKey is the secret that keys the audit chain. It lives outside the
// database, in a key file or the environment, so that someone who can
// write to the database but does not hold the key cannot recompute the
// chain. It formats as its id, whatever the verb, so that logging it
// never leaks it; Encode is the one way to read the secret out.
type AuditKey struct{ secret []byte }

// auditKeyBytes is the length of a generated key, and the least a given
// one may have: 256 bits, as long as HMAC-SHA256's output, so that the key
// is never the weaker part.
const auditKeyBytes = 32

// NewAuditKey returns a new random key.
func NewAuditKey() (AuditKey, error) {
	b := make([]byte, auditKeyBytes)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return AuditKey{}, fmt.Errorf("audit key: %w", err)
	}
	return AuditKey{secret: b}, nil
}

// ParseAuditKey reads a key in Encode's form: hex, at least 32 bytes, with
// surrounding space (a file's final newline) ignored. The error never
// quotes the text, which may be a mistyped secret.
func ParseAuditKey(s string) (AuditKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return AuditKey{}, errors.New("an audit key is written in hexadecimal; this is not")
	}
	if len(b) < auditKeyBytes {
		return AuditKey{}, fmt.Errorf("an audit key needs at least %d bytes (%d hex digits); this has %d", auditKeyBytes, 2*auditKeyBytes, len(b))
	}
	return AuditKey{secret: b}, nil
}

// Encode returns the key as key files hold it: lower-case hex.
func (k AuditKey) Encode() string { return hex.EncodeToString(k.secret) }

// IsZero reports whether k holds no key.
func (k AuditKey) IsZero() bool { return len(k.secret) == 0 }

// ID names the key without revealing it: the first 8 bytes of an HMAC of
// a fixed text, so that a database can say which key chained it and a
// checkpoint which key signed it.
func (k AuditKey) ID() string {
	if k.IsZero() {
		return ""
	}
	return k.mac("key-id")[:16]
}

// String describes the key by its id.
func (k AuditKey) String() string {
	if k.IsZero() {
		return "no audit key"
	}
	return "audit key " + k.ID()
}

// Format prints the description for every verb, %x and %#v included.
func (k AuditKey) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// LogValue keeps the key out of structured logs.
func (k AuditKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Derive returns a key for another purpose made from this one, so that
// one secret kept outside the database (and backed up with it) can sign
// other things, such as device cookies, without a MAC made for one
// purpose ever being valid for another.
func (k AuditKey) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte("redress derive\x00" + purpose))
	return m.Sum(nil)
}

// mac is the HMAC-SHA256, in hex, of parts written as a JSON array. The
// first part names what is signed, so that a MAC made for one purpose
// (an event, a checkpoint, the seal) is never valid for another.
func (k AuditKey) mac(parts ...any) string {
	b, _ := json.Marshal(parts)
	m := hmac.New(sha256.New, k.secret)
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

// EventHash is the keyed form of the package's EventHash: the same stored
// text of the event, MACed with the key instead of hashed.
func (k AuditKey) EventHash(prev, reference string, seq int, kind, actor string, at, recordedAt time.Time, data string) string {
	return k.mac("event", prev, reference, seq, kind, actor, FormatTime(at), FormatTime(recordedAt), data)
}

// Seal binds the event the keyed chain starts from to the key, so that
// moving the start (to pass keyed events off as unkeyed ones, whose hashes
// anyone can compute) is caught.
func (k AuditKey) Seal(keyedFrom int64) string { return k.mac("keyed-from", keyedFrom) }

// SealOK reports whether seal is k's seal of keyedFrom.
func (k AuditKey) SealOK(keyedFrom int64, seal string) bool {
	return !k.IsZero() && hmac.Equal([]byte(k.Seal(keyedFrom)), []byte(seal))
}

// Checkpoint is the audit chain's head at a moment: how many events the
// chain held and the hash of the last, signed with the audit key. Kept
// outside the database (in the log, or by an operator), it shows later
// whether the chain still holds that head at that count: a chain whose
// newest events were deleted, and its head rewound, does not.
type Checkpoint struct {
	Count int
	Head  string
	At    time.Time
	KeyID string
	MAC   string
}

// checkpointTag begins every checkpoint's text and names its format.
const checkpointTag = "redress-audit-checkpoint/1"

// SignCheckpoint returns the checkpoint of a chain of count events ending
// in head, at the time given.
func (k AuditKey) SignCheckpoint(count int, head string, at time.Time) Checkpoint {
	at, _ = ParseTime(FormatTime(at)) // as written, so it verifies once read back
	return Checkpoint{Count: count, Head: head, At: at, KeyID: k.ID(), MAC: k.mac("checkpoint", count, head, FormatTime(at))}
}

// CheckpointSigned reports whether cp was signed with k.
func (k AuditKey) CheckpointSigned(cp Checkpoint) bool {
	return !k.IsZero() && cp.KeyID == k.ID() && hmac.Equal([]byte(k.mac("checkpoint", cp.Count, cp.Head, FormatTime(cp.At))), []byte(cp.MAC))
}

// String writes the checkpoint as one line of text with no spaces in its
// values, so that it survives being logged, quoted or copied.
func (cp Checkpoint) String() string {
	return fmt.Sprintf("%s count=%d head=%s at=%s key=%s mac=%s", checkpointTag, cp.Count, cp.Head, FormatTime(cp.At), cp.KeyID, cp.MAC)
}

// ParseCheckpoint reads a checkpoint from a line that holds one anywhere
// in it, such as a log line, where it may be quoted. It checks the form,
// not the signature (see AuditKey.CheckpointSigned).
func ParseCheckpoint(line string) (Checkpoint, error) {
	_, rest, ok := strings.Cut(line, checkpointTag)
	if !ok {
		return Checkpoint{}, fmt.Errorf("no %s in the line", checkpointTag)
	}
	if i := strings.IndexAny(rest, "\"'`"); i >= 0 {
		rest = rest[:i]
	}
	var cp Checkpoint
	seen := map[string]bool{}
	for _, f := range strings.Fields(rest) {
		name, value, _ := strings.Cut(f, "=")
		seen[name] = true
		var err error
		switch name {
		case "count":
			cp.Count, err = strconv.Atoi(value)
			if err == nil && cp.Count < 0 {
				err = errors.New("negative")
			}
		case "head":
			cp.Head = value
		case "at":
			cp.At, err = ParseTime(value)
		case "key":
			cp.KeyID = value
		case "mac":
			cp.MAC = value
		default:
			seen[name] = false
		}
		if err != nil {
			return Checkpoint{}, fmt.Errorf("checkpoint %s %q: %v", name, value, err)
		}
	}
	for _, name := range []string{"count", "head", "at", "key", "mac"} {
		if !seen[name] {
			return Checkpoint{}, fmt.Errorf("the checkpoint has no %s", name)
		}
	}
	return cp, nil
}

// CheckCheckpoint compares a kept checkpoint with the chain: events is
// the chain's length now and hashAt returns the hash of its nth event
// (from 1). It returns the problem, or "" if the chain still holds the
// checkpoint's head at its count. Every store checks checkpoints this
// way, so that what a checkpoint means does not depend on the store.
func (k AuditKey) CheckCheckpoint(cp Checkpoint, events int, hashAt func(n int) (string, error)) (string, error) {
	when := cp.At.Format(time.RFC3339)
	switch {
	case k.IsZero():
		return fmt.Sprintf("the checkpoint of %s cannot be checked without the audit key", when), nil
	case cp.KeyID != k.ID():
		return fmt.Sprintf("the checkpoint of %s was signed with audit key %s, not this one (%s): check it with that key", when, cp.KeyID, k.ID()), nil
	case !k.CheckpointSigned(cp):
		return fmt.Sprintf("the checkpoint of %s is not signed with this audit key: it was altered or forged", when), nil
	case cp.Count > events:
		return fmt.Sprintf("the chain holds %d events but the checkpoint of %s saw %d: the newest events were deleted and the head rewound", events, when, cp.Count), nil
	case cp.Count == 0:
		return "", nil
	}
	h, err := hashAt(cp.Count)
	if err != nil {
		return "", err
	}
	if h != cp.Head {
		return fmt.Sprintf("the chain's event %d is not the head the checkpoint of %s saw: events up to it were replaced", cp.Count, when), nil
	}
	return "", nil
}
