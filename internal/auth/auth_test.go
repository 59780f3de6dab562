package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestTokensAreRandomAndOnlyTheirHashIsKept(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || bytes.Equal(ha, hb) {
		t.Fatal("two tokens are the same")
	}
	if !strings.HasPrefix(a, "rdr_") || len(a) < 40 {
		t.Errorf("token %q is too short or unmarked", a)
	}
	if !bytes.Equal(HashToken(a), ha) || !bytes.Equal(HashToken(" "+a+"\n"), ha) {
		t.Error("the hash of a token does not match the one issued")
	}
	if bytes.Contains(ha, []byte(a)) || len(ha) != 32 {
		t.Error("the stored form is not a SHA-256 hash")
	}
}

func TestRoles(t *testing.T) {
	for _, tt := range []struct {
		role            Role
		act, allConfidl bool
	}{
		{Admin, true, true}, {Manager, true, true}, {Officer, true, false}, {Reviewer, true, false}, {Viewer, false, false}, {"", false, false},
	} {
		if tt.role.CanAct() != tt.act || tt.role.AllConfidential() != tt.allConfidl {
			t.Errorf("%q: CanAct %v AllConfidential %v", tt.role, tt.role.CanAct(), tt.role.AllConfidential())
		}
	}
	if _, err := ParseRole("boss"); err == nil || !strings.Contains(err.Error(), "admin, manager, officer, reviewer or viewer") {
		t.Errorf("ParseRole(boss) = %v", err)
	}
}

func TestSecretsAreRandomAndStoredHashed(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if len(a) != 43 || a == b || strings.ContainsAny(a, "+/=") {
		t.Errorf("secrets %q and %q: want 43 base64url characters, different each time", a, b)
	}
	if h := SecretHash(a); len(h) != 64 || h == SecretHash(b) || h != SecretHash(a) {
		t.Errorf("hash %q", h)
	}
}
