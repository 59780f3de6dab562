package useradmin

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
)

// TestResetLinkStoresOnlyTheTokensHashAndLastsHalfAnHour: the mail holds
// an absolute link to the reset page whose token hashes to the stored
// hash (and is not itself stored), valid for LinkTTL from when it was
// made; a second link has another token.
func TestResetLinkStoresOnlyTheTokensHashAndLastsHalfAnHour(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	u := store.User{ID: 7, Email: "vera@example.org", Name: "Vera"}
	l := ResetLink{ServiceName: "Riverside", BaseURL: "https://complaints.example/"}
	r, m, err := l.Make(u, false, at)
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`https://complaints\.example/reset-password\?token=(\S+)`).FindStringSubmatch(m.TextBody)
	if link == nil {
		t.Fatalf("no link in:\n%s", m.TextBody)
	}
	token, err := url.QueryUnescape(link[1])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(HashToken(token), r.TokenHash) || bytes.Contains(r.TokenHash, []byte(token)) {
		t.Error("the stored hash is not the token's SHA-256")
	}
	if r.UserID != 7 || !r.ExpiresAt.Equal(at.Add(30*time.Minute)) || !r.CreatedAt.Equal(at) {
		t.Errorf("the reset: %+v", r)
	}
	if m.To != u.Email || m.Kind != "password_reset" || store.CheckOutbound(m) != nil || !strings.Contains(m.TextBody, "Someone asked") {
		t.Errorf("the mail: %+v (%v)", m, store.CheckOutbound(m))
	}
	if _, byAdmin, _ := l.Make(u, true, at); !strings.Contains(byAdmin.TextBody, "An administrator of Riverside") {
		t.Errorf("an admin's mail does not say so:\n%s", byAdmin.TextBody)
	}
	if again, _, _ := l.Make(u, false, at); bytes.Equal(again.TokenHash, r.TokenHash) {
		t.Error("two links share a token")
	}
	if _, _, err := (ResetLink{ServiceName: "Riverside"}).Make(u, false, at); err == nil || !strings.Contains(err.Error(), "REDRESS_BASE_URL") {
		t.Errorf("no base URL: %v", err)
	}
}
