package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/redresshq/redress/internal/complaint"
)

// Passwords are hashed with argon2id, the winner of the Password Hashing
// Competition and RFC 9106's first choice. 64 MiB and one pass cost about
// 30 ms on two cores (65 ms on one): unnoticed at sign-in, and enough
// memory per guess to make a stolen hash slow to crack on GPUs. Four
// lanes follow RFC 9106's 64 MiB profile; on fewer cores they take
// turns, at the same total cost.
const (
	argonMemory  = 64 * 1024 // KiB
	argonTime    = 1
	argonThreads = 4
	saltLen      = 16
	keyLen       = 32
)

// Bounds on the parameters VerifyPassword accepts from a stored hash, so
// that a hash edited in the database cannot make a sign-in allocate
// gigabytes or spin for minutes. They leave room to raise the cost.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 16
	minSaltLen = 8
	minKeyLen  = 16
	maxKeyLen  = 64
)

// The password rules. The NCSC and NIST SP 800-63B both advise length
// and a check against known-breached passwords over composition rules
// (a capital, a digit, a symbol), which people satisfy predictably.
const (
	// MinPasswordLength is the fewest characters (runes, not bytes) a
	// password may have.
	MinPasswordLength = 12
	// MaxPasswordBytes is the most bytes a password may have: enough for
	// any passphrase, and it keeps a sign-in form from being a way to
	// make the server hash megabytes.
	MaxPasswordBytes = 256
)

// ErrMalformedHash is the error VerifyPassword wraps when the stored hash
// is not an argon2id PHC string it can read: a bug or a damaged row,
// never a wrong password.
var ErrMalformedHash = errors.New("malformed password hash")

// hashSlots bounds how many argon2id computations run at once. Each holds
// 64 MiB while it runs, and beyond one per core they only queue in the
// scheduler while holding their memory; here they queue holding none, so
// a burst of sign-ins cannot run the server out of memory.
var hashSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))

func idKey(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(pw, salt, t, m, p, n)
}

var b64 = base64.RawStdEncoding.Strict()

// HashPassword returns pw's argon2id hash with a new random salt, as a
// PHC string: $argon2id$v=19$m=65536,t=1,p=4$<salt>$<hash>. The string
// carries its own parameters, so they can be raised later without
// breaking the hashes already stored.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := idKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// phc is a parsed argon2id PHC string.
type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformedHash}, args...)...)
}

func parsePHC(s string) (phc, error) {
	var h phc
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return h, malformed("want $argon2id$v=19$m=...,t=...,p=...$salt$hash")
	}
	if parts[1] != "argon2id" {
		return h, malformed("algorithm %q is not argon2id", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, malformed("version %q is not v=%d", parts[2], argon2.Version)
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return h, malformed("want parameters m, t and p, got %q", parts[3])
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(params[i], name+"=")
		if !ok {
			return h, malformed("parameter %d is %q, want %s=", i+1, params[i], name)
		}
		// ParseUint takes no sign and, with base 10, no prefix; a
		// leading zero would make two strings mean one hash.
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || (len(v) > 1 && v[0] == '0') {
			return h, malformed("parameter %s=%q is not a number", name, v)
		}
		vals[i] = n
	}
	m, t, p := vals[0], vals[1], vals[2]
	switch {
	case p < 1 || p > 255:
		return h, malformed("p=%d is outside 1 to 255", p)
	case m < 8*p || m > maxMemory:
		return h, malformed("m=%d is outside %d to %d", m, 8*p, maxMemory)
	case t < 1 || t > maxTime:
		return h, malformed("t=%d is outside 1 to %d", t, maxTime)
	}
	h.memory, h.time, h.threads = uint32(m), uint32(t), uint8(p)
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < minSaltLen {
		return h, malformed("the salt is not base64 of at least %d bytes", minSaltLen)
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < minKeyLen || len(h.key) > maxKeyLen {
		return h, malformed("the hash is not base64 of %d to %d bytes", minKeyLen, maxKeyLen)
	}
	return h, nil
}

// VerifyPassword reports whether pw matches hash, a PHC string from
// HashPassword, using the parameters written in the string. A wrong
// password is (false, nil); a hash it cannot read is an error wrapping
// ErrMalformedHash, so a damaged row is never mistaken for a bad guess.
func VerifyPassword(hash, pw string) (ok bool, err error) {
	h, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	got := idKey([]byte(pw), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than
// HashPassword uses now (or cannot be read), so that sign-in can store a
// fresh hash while it holds the password.
func NeedsRehash(hash string) bool {
	h, err := parsePHC(hash)
	return err != nil || h.memory != argonMemory || h.time != argonTime || h.threads != argonThreads ||
		len(h.salt) != saltLen || len(h.key) != keyLen
}

//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords is the embedded list as a set, built on first use: a
// few megabytes that a process which never sets a password need not hold.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 50000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	header := true
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		// Only the leading lines are comments: some common passwords
		// start with #.
		if header && strings.HasPrefix(line, "#") {
			continue
		}
		header = false
		if line != "" {
			set[strings.ToLower(line)] = struct{}{}
		}
	}
	return set
})

// CheckPassword returns an invalid-field error (field "password") saying
// what is wrong with pw as a new password for the user with email, or nil.
// It asks for length rather than a mix of character kinds, and refuses
// the email address, its local part and well-known common passwords,
// which are the first guesses of anyone trying.
func CheckPassword(pw, email string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return complaint.InvalidField("password", "must be at least %d characters long; a few unrelated words make a good one", MinPasswordLength)
	}
	if len(pw) > MaxPasswordBytes {
		return complaint.InvalidField("password", "must be at most %d bytes long", MaxPasswordBytes)
	}
	lower := strings.ToLower(pw)
	email = strings.ToLower(strings.TrimSpace(email))
	if email != "" {
		local := email
		if i := strings.LastIndexByte(email, '@'); i >= 0 {
			local = email[:i]
		}
		if lower == email || (local != "" && lower == local) {
			return complaint.InvalidField("password", "must not be your email address or its first part")
		}
	}
	if _, ok := commonPasswords()[lower]; ok {
		return complaint.InvalidField("password", "is one of the most common passwords, which are guessed first; choose another")
	}
	return nil
}

// oneTimeAlphabet has no characters that are easily confused when read
// aloud or copied by hand: no 0, o, 1, l, i, and lower case only.
const oneTimeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewOneTimePassword returns a random password for an administrator to
// pass on, such as "k7m2p-x9qrt-4hcwz-b8nde": four groups of five from a
// 31-character alphabet, 99 bits, easy to read out and type. It passes
// CheckPassword; the user is made to change it at first sign-in.
func NewOneTimePassword() string {
	const groups, size = 4, 5
	var b strings.Builder
	buf := make([]byte, 64)
	n := 0
	for n < groups*size {
		rand.Read(buf) // Never fails: crypto/rand panics instead.
		for _, c := range buf {
			// Reject the top of the byte range so that every letter is
			// equally likely (248 = 8 × 31).
			if c >= 248 || n == groups*size {
				continue
			}
			if n > 0 && n%size == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(oneTimeAlphabet[int(c)%len(oneTimeAlphabet)])
			n++
		}
	}
	return b.String()
}
