package auth

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
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
		role                   Role
		act, allCode, allNamed bool
	}{
		{Admin, true, true, true}, {Manager, true, true, false}, {Officer, true, false, false},
		{Reviewer, true, false, false}, {Viewer, false, false, false}, {"", false, false, false},
	} {
		if tt.role.CanAct() != tt.act || tt.role.SeesAllConfidential(false) != tt.allCode || tt.role.SeesAllConfidential(true) != tt.allNamed {
			t.Errorf("%q: CanAct %v SeesAllConfidential %v, under named viewers only %v", tt.role, tt.role.CanAct(),
				tt.role.SeesAllConfidential(false), tt.role.SeesAllConfidential(true))
		}
	}
	if _, err := ParseRole("boss"); err == nil || !strings.Contains(err.Error(), "admin, manager, officer, reviewer or viewer") {
		t.Errorf("ParseRole(boss) = %v", err)
	}
}

// Issue 12, rule 10, greatwell-homes (002): a confidential complaint about
// a member of staff is visible only to the people it names (its
// handlers, whoever logged it, its line manager) and admins, not to every
// manager; under every other policy managers see it too. Everyone sees a
// case that is not confidential. Emails match whatever their case.
func TestConfidentialCaseIsSeenByThePeopleItNamesAndUnderTheCodeByManagers(t *testing.T) {
	secret := &complaint.Case{
		Confidential: true, CreatedBy: "Logger@Landlord.example", Handler: "handler@landlord.example",
		LineManager: "Lena.Manager@landlord.example",
		Stages:      []complaint.Stage{{Stage: 1, Handlers: []string{"first@landlord.example", "handler@landlord.example"}}},
	}
	open := &complaint.Case{CreatedBy: "logger@landlord.example", Handler: "handler@landlord.example"}
	tests := []struct {
		who                   string
		role                  Role
		email                 string
		underCode, underNamed bool
	}{
		{"an admin, for administration", Admin, "root@landlord.example", true, true},
		{"a manager it does not name", Manager, "boss@landlord.example", true, false},
		{"the named line manager, a manager", Manager, "lena.manager@landlord.example", true, true},
		{"the named line manager, in capitals", Officer, "LENA.MANAGER@LANDLORD.EXAMPLE", true, true},
		{"its handler", Officer, "handler@landlord.example", true, true},
		{"its handler, in capitals", Officer, "Handler@Landlord.Example", true, true},
		{"someone who handled stage 1 before", Reviewer, "first@landlord.example", true, true},
		{"whoever logged it", Officer, "logger@landlord.example", true, true},
		{"whoever logged it, a manager", Manager, " LOGGER@landlord.example ", true, true},
		{"another officer", Officer, "other@landlord.example", false, false},
		{"a viewer", Viewer, "viewer@landlord.example", false, false},
		{"no one in particular", "", "", false, false},
		{"a manager with no email", Manager, "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			if got := CanSee(tt.role, tt.email, false, secret); got != tt.underCode {
				t.Errorf("under the Code: sees it %v, want %v", got, tt.underCode)
			}
			if got := CanSee(tt.role, tt.email, true, secret); got != tt.underNamed {
				t.Errorf("under named viewers only: sees it %v, want %v", got, tt.underNamed)
			}
			if !CanSee(tt.role, tt.email, true, open) || !CanSee(tt.role, tt.email, false, open) {
				t.Error("does not see a case that is not confidential")
			}
		})
	}
}

// A changed line manager no longer sees the case; the new one does.
func TestChangedLineManagerNoLongerSeesTheCase(t *testing.T) {
	c := &complaint.Case{Confidential: true, CreatedBy: "logger@landlord.example", LineManager: "old@landlord.example"}
	c.LineManager = "new@landlord.example"
	if CanSee(Manager, "old@landlord.example", true, c) || !CanSee(Manager, "new@landlord.example", true, c) {
		t.Error("the old line manager still sees it, or the new one does not")
	}
	if got, want := Named(c), []string{"logger@landlord.example", "new@landlord.example"}; !slices.Equal(got, want) {
		t.Errorf("Named = %q, want %q", got, want)
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
