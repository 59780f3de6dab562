package httpapi

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
)

// Every route the API serves, walked from its own route table, for every
// role and for a caller with no token: no token is a 401, a role without
// the route's access a 403, and a role with it gets past both (and no
// 500). The test's own expectations must name every route, so a route
// added without deciding who may use it fails here.
func TestEveryAPIRouteForEveryRole(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	for _, r := range auth.Roles {
		if r != auth.Admin {
			a.user(string(r), string(r))
		}
	}
	ref := getString(t, a.must(201, "admin", "POST", "/api/v1/cases", newComplaint("2026-11-20T10:00:00Z")).body, "reference")
	expect := map[string]Access{
		"POST /api/v1/users":                               Admins,
		"GET /api/v1/users":                                Admins,
		"POST /api/v1/users/{id}/tokens":                   Admins,
		"GET /api/v1/users/audit":                          Admins,
		"GET /api/v1/users/{id}":                           Admins,
		"POST /api/v1/users/{id}/deactivate":               Admins,
		"POST /api/v1/users/{id}/reactivate":               Admins,
		"POST /api/v1/users/{id}/role":                     Admins,
		"POST /api/v1/users/{id}/password-reset":           Admins,
		"GET /api/v1/reports/tsm":                          Managers,
		"GET /api/v1/reports/tsm/cases":                    Managers,
		"GET /api/v1/reports/hazards":                      Managers,
		"POST /api/v1/cases":                               Actors,
		"GET /api/v1/cases":                                Anyone,
		"GET /api/v1/cases/{ref}":                          Anyone,
		"GET /api/v1/cases/{ref}/events":                   Anyone,
		"POST /api/v1/cases/{ref}/remedies/{id}/done":      Actors,
		"POST /api/v1/cases/{ref}/remedies/{id}/supersede": Actors,
		"POST /api/v1/cases/{ref}/files":                   Actors,
		"GET /api/v1/cases/{ref}/letters":                  Anyone,
		"GET /api/v1/cases/{ref}/letters/{id}/pdf":         Anyone,
		"POST /api/v1/cases/{ref}/letters/draft":           Actors,
		"POST /api/v1/cases/{ref}/letters/check":           Actors,
		"POST /api/v1/cases/{ref}/letters/preview":         Actors,
		"POST /api/v1/cases/{ref}/letters":                 Actors,
		"POST /api/v1/cases/{ref}/group-copies":            Actors,
		"POST /api/v1/cases/{ref}/{command}":               Actors,
		"GET /api/v1/restrictions":                         Anyone,
		"POST /api/v1/restrictions":                        Actors,
		"GET /api/v1/restrictions/{id}":                    Anyone,
		"POST /api/v1/restrictions/{id}/decide":            Actors,
		"POST /api/v1/restrictions/{id}/review":            Actors,
		"POST /api/v1/restrictions/{id}/lift":              Actors,
		"POST /api/v1/restrictions/{id}/letter":            Actors,
	}
	routes := Routes()
	if len(routes) != len(expect) {
		t.Errorf("the API serves %d routes; the test expects %d", len(routes), len(expect))
	}
	allowed := func(access Access, role auth.Role) bool {
		switch access {
		case Admins:
			return role == auth.Admin
		case Managers:
			return role == auth.Admin || role == auth.Manager
		case Actors:
			return role.CanAct()
		}
		return true
	}
	for _, rt := range routes {
		want, ok := expect[rt.Pattern]
		if !ok {
			t.Errorf("%s is served but the test does not say who may use it", rt.Pattern)
			continue
		}
		if rt.Access != want {
			t.Errorf("%s is open to %s; the test expects %s", rt.Pattern, rt.Access, want)
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = strings.NewReplacer("{ref}", ref, "{id}", "999", "{command}", "note").Replace(path)
		var body any
		if method == "POST" {
			body = map[string]any{}
		}
		if r := a.call("", method, path, body); r.status != 401 {
			t.Errorf("%s %s with no token: %d, want 401", method, path, r.status)
		}
		for _, role := range auth.Roles {
			r := a.call(string(role), method, path, body)
			switch {
			case !allowed(want, role) && r.status != 403:
				t.Errorf("%s %s as %s: %d, want 403\n%s", method, path, role, r.status, r.raw)
			case allowed(want, role) && (r.status == 401 || r.status == 403 || r.status >= 500):
				t.Errorf("%s %s as %s: %d, want it let through\n%s", method, path, role, r.status, r.raw)
			}
		}
	}
}
