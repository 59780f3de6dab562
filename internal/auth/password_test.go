package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/redresshq/redress/internal/complaint"
)

func mustHash(t testing.TB, pw string) string {
	t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHashPasswordIsAnArgon2idPHCStringWithTheChosenParameters(t *testing.T) {
	h := mustHash(t, "correct horse battery staple")
	parts := strings.Split(h, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" || parts[3] != "m=65536,t=1,p=4" {
		t.Fatalf("hash %q is not $argon2id$v=19$m=65536,t=1,p=4$salt$hash", h)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) != 16 || len(key) != 32 {
		t.Errorf("salt %d bytes (%v), key %d bytes (%v); want 16 and 32", len(salt), err1, len(key), err2)
	}
	if NeedsRehash(h) {
		t.Error("a fresh hash needs rehashing")
	}
}

func TestPasswordRoundTripAndWrongPassword(t *testing.T) {
	pw := "correct horse battery staple"
	h := mustHash(t, pw)
	if h2 := mustHash(t, pw); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{
		{pw, true},
		{"correct horse battery stapl", false},
		{"Correct horse battery staple", false},
		{pw + " ", false},
		{"", false},
	} {
		ok, err := VerifyPassword(h, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
}

func TestVerifyPasswordRefusesATamperedHash(t *testing.T) {
	pw := "correct horse battery staple"
	h := mustHash(t, pw)
	parts := strings.Split(h, "$")
	if len(parts) != 6 {
		t.Fatalf("hash %q is not $argon2id$v=19$m=65536,t=1,p=4$salt$hash", h)
	}
	flip := func(s string) string {
		t.Helper()
		b, err := base64.RawStdEncoding.DecodeString(s)
		if err != nil || len(b) == 0 {
			t.Fatalf("%q is not base64 to tamper with: %v", s, err)
		}
		b[0] ^= 1
		return base64.RawStdEncoding.EncodeToString(b)
	}
	for name, tampered := range map[string]string{
		"hash":   strings.Join(append(parts[:5:5], flip(parts[5])), "$"),
		"salt":   strings.Join(append(parts[:4:4], flip(parts[4]), parts[5]), "$"),
		"memory": strings.Replace(h, "m=65536", "m=65535", 1),
		"time":   strings.Replace(h, "t=1,", "t=2,", 1),
		"lanes":  strings.Replace(h, "p=4", "p=2", 1),
	} {
		ok, err := VerifyPassword(tampered, pw)
		if ok || err != nil {
			t.Errorf("tampered %s: VerifyPassword = %v, %v; want false, nil", name, ok, err)
		}
	}
}

func TestVerifyPasswordRefusesMalformedHashes(t *testing.T) {
	const salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	good := "$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$" + key
	if _, err := parsePHC(good); err != nil {
		t.Fatalf("the well-formed base case is refused: %v", err)
	}
	for _, h := range []string{
		"",
		"not a hash",
		"argon2id$v=19$m=65536,t=1,p=4$" + salt + "$" + key,
		"$argon2i$v=19$m=65536,t=1,p=4$" + salt + "$" + key,
		"$argon2d$v=19$m=65536,t=1,p=4$" + salt + "$" + key,
		"$2a$10$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQ",
		"$argon2id$v=16$m=65536,t=1,p=4$" + salt + "$" + key,
		"$argon2id$m=65536,t=1,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=1$" + salt + "$" + key,
		"$argon2id$v=19$t=1,m=65536,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=1,p=4,k=1$" + salt + "$" + key,
		"$argon2id$v=19$m=-1,t=1,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=+65536,t=1,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=065536,t=1,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=0x10000,t=1,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=0,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=17,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=1,p=256$" + salt + "$" + key,
		"$argon2id$v=19$m=31,t=1,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=4194304,t=1,p=4$" + salt + "$" + key, // 4 GiB
		"$argon2id$v=19$m=99999999999,t=1,p=4$" + salt + "$" + key,
		"$argon2id$v=19$m=65536,t=1,p=4$$" + key,
		"$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$" + key, // 4-byte salt
		"$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$",
		"$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$a2V5",
		"$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$" + key + "==",
		"$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$" + key + "!",
		"$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$" + key[:len(key)-1] + "f", // non-zero padding bits
		"$argon2id$v=19$m=65536,t=1,p=4$" + salt + "$" + key + "$",
		good + " ",
	} {
		ok, err := VerifyPassword(h, "anything at all")
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an ErrMalformedHash", h, ok, err)
		}
		if !NeedsRehash(h) {
			t.Errorf("NeedsRehash(%q) = false for a hash it cannot read", h)
		}
	}
}

func TestVerifyPasswordReadsTheParametersFromTheString(t *testing.T) {
	// A hash made with other parameters, as a later release or another
	// system might store: VerifyPassword must use the string's, not its own.
	pw := "a passphrase from an older release"
	salt := []byte("0123456789abcdef0123")
	for _, p := range []struct {
		m, t uint32
		p    uint8
		n    int
	}{
		{8 * 1024, 2, 1, 32},
		{16 * 1024, 3, 2, 16},
		{32, 1, 4, 64},
	} {
		key := argon2.IDKey([]byte(pw), salt, p.t, p.m, p.p, uint32(p.n))
		h := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.m, p.t, p.p,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		if ok, err := VerifyPassword(h, pw); !ok || err != nil {
			t.Errorf("%s: VerifyPassword = %v, %v; want true", h, ok, err)
		}
		if ok, err := VerifyPassword(h, pw+"!"); ok || err != nil {
			t.Errorf("%s: wrong password gives %v, %v", h, ok, err)
		}
		if !NeedsRehash(h) {
			t.Errorf("%s: NeedsRehash = false for other parameters", h)
		}
	}
}

func TestCheckPasswordRules(t *testing.T) {
	const email = "ann.other@example.org"
	tests := []struct {
		name, pw string
		want     string // a word of the error, or "" for none
	}{
		{"long enough", "plum orchard ladder", ""},
		{"exactly 12", "zq8-vk3m-tw7", ""},
		{"11 characters", "zq8-vk3m-tw", "at least 12"},
		{"empty", "", "at least 12"},
		{"length counts characters, not bytes: 11 runes in 22 bytes", "ééééééééééé", "at least 12"},
		{"12 runes of several bytes each", "ééééééééééée", ""},
		{"256 bytes", strings.Repeat("x7k-", 64), ""},
		{"257 bytes", strings.Repeat("x7k-", 64) + "q", "at most 256"},
		{"the email", "ann.other@example.org", "email"},
		{"the email in other case", "Ann.Other@Example.ORG", "email"},
		{"the local part", "ann.other", "at least 12"}, // short anyway
		{"a long local part", "annabel.otherington", "email"},
		{"common password", "qwerty123456", "common"},
		{"common password in other case", "QWERTY123456", "common"},
		{"common passphrase", "iloveyouforever", "common"},
		{"a common word with a space is not the same", "qwerty 123456", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := email
			if strings.HasPrefix(tt.name, "a long local part") {
				e = "annabel.otherington@example.org"
			}
			err := CheckPassword(tt.pw, e)
			if tt.want == "" {
				if err != nil {
					t.Errorf("CheckPassword(%q) = %v, want nil", tt.pw, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CheckPassword(%q) = %v, want an error about %q", tt.pw, err, tt.want)
			}
			if complaint.ErrorCode(err) != complaint.Invalid {
				t.Errorf("CheckPassword(%q) error code %s, want invalid", tt.pw, complaint.ErrorCode(err))
			}
		})
	}
}

func TestCommonPasswordListIsLoaded(t *testing.T) {
	set := commonPasswords()
	if len(set) < 40000 || len(set) > 100000 {
		t.Errorf("%d common passwords, want the embedded list's 40,000 to 100,000", len(set))
	}
	for pw := range set {
		if pw != strings.ToLower(pw) {
			t.Fatalf("%q is not lower-cased", pw)
		}
		if strings.HasPrefix(pw, "# ") {
			t.Fatalf("header line %q was read as a password", pw)
		}
	}
	// Some common passwords start with #, and must not be taken for comments.
	if _, ok := set["#yz_u0n!z94mi25d"]; !ok {
		t.Error("a password starting with # was dropped as a comment")
	}
}

func TestOneTimePasswordIsReadableRandomAndPassesTheRules(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw := NewOneTimePassword()
		if seen[pw] {
			t.Fatalf("%q issued twice", pw)
		}
		seen[pw] = true
		if utf8.RuneCountInString(pw) < 16 {
			t.Fatalf("%q is shorter than 16 characters", pw)
		}
		groups := strings.Split(pw, "-")
		if len(groups) != 4 {
			t.Fatalf("%q is not four groups", pw)
		}
		for _, g := range groups {
			if len(g) != 5 || strings.Trim(g, oneTimeAlphabet) != "" {
				t.Fatalf("%q has group %q, want five of %s", pw, g, oneTimeAlphabet)
			}
		}
		if err := CheckPassword(pw, "someone@example.org"); err != nil {
			t.Fatalf("one-time password %q fails the rules: %v", pw, err)
		}
	}
	if strings.ContainsAny(oneTimeAlphabet, "01ilo") {
		t.Error("the one-time alphabet has characters easily confused")
	}
	ok, err := VerifyPassword(mustHash(t, "k7m2p-x9qrt-4hcwz-b8nde"), "k7m2p-x9qrt-4hcwz-b8nde")
	if !ok || err != nil {
		t.Errorf("a one-time password does not round-trip: %v, %v", ok, err)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	h := mustHash(b, "correct horse battery staple")
	for b.Loop() {
		if ok, err := VerifyPassword(h, "correct horse battery staple"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
