package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
)

// TestDeactivatedUsersTokenIsRefusedAtOnce: an admin deactivates a user
// through the API, and the user's token is a 401 on its very next
// request; reactivating does not bring the revoked token back.
func TestDeactivatedUsersTokenIsRefusedAtOnce(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.must(200, "olive", "GET", "/api/v1/cases", nil)
	id := userIDOf(t, a, "olive@example.org")
	got := a.must(200, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/deactivate", id), nil)
	if got.body["deactivated_at"] == nil || got.body["sessions"] != float64(0) {
		t.Errorf("the deactivated user: %s", got.raw)
	}
	a.must(401, "olive", "GET", "/api/v1/cases", nil)
	a.must(409, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/deactivate", id), nil)
	a.must(200, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/reactivate", id), nil)
	a.must(401, "olive", "GET", "/api/v1/cases", nil)
}

// TestRoleChangeRulesThroughTheAPI: a role is one of the roles (a field
// error naming role otherwise); an admin cannot change their own role
// or deactivate themselves; a non-admin may change nobody's; and every
// change is in the audit the API returns. (That the only active admin
// cannot be demoted or deactivated, which no active admin can reach
// through the API, is checked in the store's conformance suite.)
func TestRoleChangeRulesThroughTheAPI(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("ada", "admin")
	olive, ada, admin := userIDOf(t, a, "olive@example.org"), userIDOf(t, a, "ada@example.org"), userIDOf(t, a, "admin@example.org")
	path := func(id int64, what string) string { return fmt.Sprintf("/api/v1/users/%d/%s", id, what) }

	for _, body := range []any{map[string]any{"role": "king"}, map[string]any{}} {
		r := a.must(400, "admin", "POST", path(olive, "role"), body)
		if get(r.body, "error", "fields", "role") == nil {
			t.Errorf("a bad role %v: %s; want a field error naming role", body, r.raw)
		}
	}
	if r := a.must(400, "admin", "POST", path(olive, "role"), map[string]any{"rank": "manager"}); get(r.body, "error", "fields") == nil {
		t.Errorf("an unknown field: %s", r.raw)
	}
	a.must(403, "admin", "POST", path(admin, "role"), map[string]any{"role": "manager"})
	a.must(403, "olive", "POST", path(ada, "role"), map[string]any{"role": "viewer"})
	if r := a.must(200, "admin", "POST", path(olive, "role"), map[string]any{"role": "manager"}); r.body["role"] != "manager" {
		t.Errorf("the changed role: %s", r.raw)
	}
	// Two admins: one may demote the other, then the last cannot go.
	a.must(200, "admin", "POST", path(ada, "role"), map[string]any{"role": "officer"})
	a.user("alan", "admin")
	a.must(200, "alan", "POST", path(admin, "deactivate"), nil)
	a.must(409, "alan", "POST", path(admin, "deactivate"), nil)
	a.must(200, "alan", "POST", path(admin, "reactivate"), nil)
	a.must(403, "alan", "POST", path(userIDOf(t, a, "alan@example.org"), "deactivate"), nil)
	a.must(404, "alan", "POST", path(99999, "role"), map[string]any{"role": "viewer"})
	a.must(404, "alan", "POST", "/api/v1/users/abc/role", map[string]any{"role": "viewer"})

	// The audit: every change, latest first, with who made it.
	audit := a.must(200, "alan", "GET", "/api/v1/users/audit?limit=50", nil)
	entries, _ := audit.body["entries"].([]any)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	if got, want := strings.Join(actions, ","), "reactivated,deactivated,role_changed,role_changed"; got != want {
		t.Errorf("audit actions %s, want %s", got, want)
	}
	if first := entries[0].(map[string]any); first["actor"] != "alan@example.org" || first["target"] != "admin@example.org" {
		t.Errorf("the latest entry: %v", first)
	}
	for _, q := range []string{"limit=0", "limit=x", "limit=1001", "user_id=-1"} {
		r := a.must(400, "alan", "GET", "/api/v1/users/audit?"+q, nil)
		field, _, _ := strings.Cut(q, "=")
		if get(r.body, "error", "fields", field) == nil {
			t.Errorf("%s: %s; want a field error naming %s", q, r.raw, field)
		}
	}
	if mine := a.must(200, "alan", "GET", fmt.Sprintf("/api/v1/users/audit?user_id=%d", olive), nil); len(mine.body["entries"].([]any)) != 1 {
		t.Errorf("olive's audit: %s", mine.raw)
	}
}

// TestPasswordResetThroughTheAPI: a one-time password is returned once
// and must be changed at next sign-in; an emailed link needs the base
// URL (a field error naming method without one) and queues one mail
// holding the link, whose token is not stored.
func TestPasswordResetThroughTheAPI(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	id := userIDOf(t, a, "olive@example.org")
	path := fmt.Sprintf("/api/v1/users/%d/password-reset", id)
	if r := a.must(400, "admin", "POST", path, map[string]any{"method": "carrier pigeon"}); get(r.body, "error", "fields", "method") == nil {
		t.Errorf("a bad method: %s", r.raw)
	}
	r := a.must(200, "admin", "POST", path, map[string]any{"method": "one_time"})
	pw, _ := r.body["one_time_password"].(string)
	if len(pw) < 12 {
		t.Fatalf("the one-time password: %s", r.raw)
	}
	if _, info, err := a.st.UserPassword(context.Background(), "olive@example.org"); err != nil || !info.MustChange || info.Hash == "" || strings.Contains(info.Hash, pw) {
		t.Errorf("after a one-time password: %+v, %v", info, err)
	}
	if r := a.must(400, "admin", "POST", path, map[string]any{"method": "email"}); !strings.Contains(fmt.Sprint(get(r.body, "error", "fields", "method")), "REDRESS_BASE_URL") {
		t.Errorf("email without a base URL: %s", r.raw)
	}

	// The same store behind a server that knows its base URL.
	withURL := &Server{Store: a.st, Policy: nil, Log: slog.New(slog.DiscardHandler), Now: a.clock.now, ServiceName: "Riverside", BaseURL: "https://complaints.example/"}
	srv := httptest.NewServer(withURL.Handler())
	t.Cleanup(srv.Close)
	b := &api{t: t, srv: srv, st: a.st, tokens: a.tokens, clock: a.clock}
	r = b.must(202, "admin", "POST", path, map[string]any{"method": "email"})
	if r.body["expires_at"] == nil || r.body["one_time_password"] != nil {
		t.Errorf("email: %s", r.raw)
	}
	due, err := a.st.ClaimDue(context.Background(), a.clock.now().Add(time.Minute), 10, time.Minute)
	if err != nil || len(due) != 1 {
		t.Fatalf("queued mail: %d, %v", len(due), err)
	}
	if m := due[0]; m.To != "olive@example.org" || m.Kind != "password_reset" || !strings.Contains(m.TextBody, "https://complaints.example/reset-password?token=") {
		t.Errorf("the reset mail: %+v", m)
	}
	entries, err := a.st.UserAudit(context.Background(), id, 10)
	if err != nil || len(entries) != 2 || entries[0].Action != store.UserResetLinkSent || entries[1].Action != store.UserPasswordReset {
		t.Errorf("the audit: %+v, %v", entries, err)
	}
}

func userIDOf(t *testing.T, a *api, email string) int64 {
	t.Helper()
	u, err := a.st.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
