package webui_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
	"github.com/redresshq/redress/internal/webui"
)

// BenchmarkPagesWith100kCases measures the server time of the busiest
// pages over a database of 100,000 cases: the dashboard, a filtered case
// list, a text search and a case page. The database is built once, in
// bulk, before timing.
func BenchmarkPagesWith100kCases(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	st, err := sqldb.Open(ctx, testdb.DSN(b), sqldb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	p, cal := policytest.Code(b)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	areas := []string{"repairs", "estates", "rents", "anti-social behaviour", "service charges"}
	kinds := []complaint.Kind{"complaint", "complaint", "complaint", "service_request", "compliment"}
	for start := 0; start < n; start += 10_000 {
		var batch []func(store.NewReference) (complaint.Case, complaint.Event, error)
		for i := start; i < start+10_000; i++ {
			recv := now.Add(-time.Duration(i) * 7 * time.Minute)
			cmd := complaint.Create{Kind: kinds[i%len(kinds)], Channel: "phone", ReceivedAt: &recv, Confidential: i%97 == 0,
				Complainant: complaint.Person{Name: fmt.Sprintf("Resident %d", i), Email: fmt.Sprintf("r%d@example.org", i), Postcode: "ZZ1 1AA"},
				Summary:     fmt.Sprintf("Case %d about %s and a leaking pipe", i, areas[i%len(areas)]), ServiceArea: areas[i%len(areas)]}
			batch = append(batch, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
				return complaint.NewCase(cmd, complaint.Env{Now: now, Actor: complaint.Actor{Email: "officer@example.org"}, Policy: p, Calendar: cal, NewReference: ref})
			})
		}
		if err := st.ImportCases(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.User{Email: "officer@example.org", Name: "Officer", Role: "officer"})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.SetPassword(ctx, u.ID, hash, false); err != nil {
		b.Fatal(err)
	}
	web, err := webui.New(&webui.Server{Store: st, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	h := web.Handler()
	// Sign in once and reuse the session cookie.
	req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(url.Values{"email": {"officer@example.org"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	cookies := w.Result().Cookies()
	if len(cookies) == 0 {
		b.Fatalf("signing in set no cookie: %d %.500s", w.Code, w.Body.String())
	}
	cookie := cookies[0]
	for _, page := range []string{"/", "/cases?kind=complaint&status=received", "/cases?q=leaking+repairs", "/cases/C-2026-000001"} {
		b.Run(strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-", "+", "-").Replace(page), func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", page, nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", page, w.Code, w.Body.String())
				}
			}
		})
	}
}
