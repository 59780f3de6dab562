package webui_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestAcceptedPolicyBreachesAreShownToManagersOnEveryStaffPage starts the
// real product with a policy that breaches the Code (greatwell-homes: no
// Ombudsman details with an agreed extension, 6.5 and 6.16), accepted at
// start-up. Managers and admins, who can see and fix the policy, see the
// breaches on every page, linking to the policy page; officers, reviewers
// and viewers do not. A policy that complies shows no banner.
func TestAcceptedPolicyBreachesAreShownToManagersOnEveryStaffPage(t *testing.T) {
	const banner = `id="policy-breaches-title"`
	for _, tc := range []struct {
		policy string
		roles  map[auth.Role]bool // whether the role sees the banner
	}{
		{"greatwell-homes", map[auth.Role]bool{auth.Manager: true, auth.Admin: true, auth.Officer: false, auth.Reviewer: false, auth.Viewer: false}},
		{"code-2024", map[auth.Role]bool{auth.Manager: false, auth.Admin: false}},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			a, err := app.New(context.Background(), app.Config{
				DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), Policy: tc.policy, AcceptPolicyBreaches: true,
			}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			srv := httptest.NewServer(a.Handler())
			t.Cleanup(srv.Close)
			hash, err := auth.HashPassword(testPassword)
			if err != nil {
				t.Fatal(err)
			}
			for role, want := range tc.roles {
				u, err := a.Store.CreateUser(context.Background(), store.User{Email: string(role) + "@example.org", Name: "A " + string(role), Role: string(role)})
				if err != nil {
					t.Fatal(err)
				}
				if err := a.Store.SetPassword(context.Background(), u.ID, hash, false); err != nil {
					t.Fatal(err)
				}
				s := &site{t: t, srv: srv}
				c := s.browser()
				if resp, body := s.post(c, "/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("sign in as %s: %d\n%s", role, resp.StatusCode, body)
				}
				for _, path := range []string{"/", "/cases", "/actions"} {
					resp, body := s.get(c, path)
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("%s GET %s: %d", role, path, resp.StatusCode)
					}
					if got := strings.Contains(body, banner); got != want {
						t.Errorf("%s on %s: banner shown %v, want %v", role, path, got, want)
					}
					if !want {
						continue
					}
					for _, w := range []string{"breaches the Complaint Handling Code in 2 ways", "Code 6.5, stage 1 extension", "Code 6.16, stage 2 extension", `href="/policy"`} {
						if !strings.Contains(body, w) {
							t.Errorf("%s on %s: the banner does not say %q", role, path, w)
						}
					}
				}
			}
			// Signed out, nobody is told about the policy.
			s := &site{t: t, srv: srv}
			if _, body := s.get(s.browser(), "/sign-in"); strings.Contains(body, banner) {
				t.Error("the sign-in page shows the banner")
			}
		})
	}
}
