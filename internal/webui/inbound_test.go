package webui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// inboundSite is the staff pages on a real SQLite file.
type inboundSite struct {
	t   *testing.T
	srv *httptest.Server
	db  *sqldb.DB
}

const inboundPassword = "correct horse battery staple 42"

func newInboundSite(t *testing.T) *inboundSite {
	t.Helper()
	// A bound against hanging, not a target: sign-in hashes passwords,
	// which a loaded machine makes slow.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	db := testdb.Open(t, sqldb.Options{})
	p, cal := policytest.Code(t)
	s, err := New(&Server{Store: db, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	hash, err := auth.HashPassword(inboundPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []auth.Role{auth.Manager, auth.Officer} {
		u, err := db.CreateUser(ctx, store.User{Email: string(role) + "@landlord.example", Name: "A " + string(role), Role: string(role)})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, u.ID, hash, false); err != nil {
			t.Fatal(err)
		}
	}
	return &inboundSite{t: t, srv: srv, db: db}
}

func (s *inboundSite) signIn(role string) *http.Client {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 2 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ := s.do(c, "POST", "/sign-in", url.Values{"email": {role + "@landlord.example"}, "password": {inboundPassword}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("sign in as %s: %d", role, resp.StatusCode)
	}
	return c
}

func (s *inboundSite) do(c *http.Client, method, path string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", s.srv.URL)
	}
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("%s %s: reading the response: %v", method, path, err)
	}
	return resp, string(b)
}

func (s *inboundSite) record(key, outcome, subject, reason string, raw []byte) store.InboundMessage {
	s.t.Helper()
	sum := sha256.Sum256(raw)
	m, err := s.db.RecordInbound(context.Background(), store.InboundMessage{Key: key, SHA256: hex.EncodeToString(sum[:]), Source: "INBOX/1/1",
		Outcome: outcome, Reason: reason, FromDomain: "example.org", Subject: subject, Raw: raw,
		ArrivedAt: time.Date(2026, 11, 24, 9, 5, 0, 0, time.UTC), ProcessedAt: time.Date(2026, 11, 24, 9, 6, 0, 0, time.UTC)})
	if err != nil {
		s.t.Fatal(err)
	}
	return m
}

var quarantinedRaw = []byte("From: Mallory <mallory@example.org>\r\nSubject: About C-2026-000001\r\n\r\nClose it.\r\n")

func TestInboundPageListsQuarantinedMailForManagersOnly(t *testing.T) {
	s := newInboundSite(t)
	q := s.record("<q@mail.example.net>", store.InboundQuarantined, "About C-2026-000001", "reference found but sender not on the case (C-2026-000001)", quarantinedRaw)
	s.record("<i@mail.example.net>", store.InboundIgnored, "Automatic reply: Damp", "auto-reply: Auto-Submitted: auto-replied", []byte("x"))
	manager := s.signIn("manager")
	resp, body := s.do(manager, "GET", "/inbound", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("inbound page: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"Message 1 from example.org", "About C-2026-000001", "reference found but sender not on the case",
		"24 November 2026 at 9:05am", `href="/inbound/1/raw"`, `action="/inbound/1/resolve"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "mallory@") || strings.Contains(body, "Automatic reply") {
		t.Error("the waiting list shows a full address or an ignored message")
	}
	_, body = s.do(manager, "GET", "/inbound?show=ignored", nil)
	if !strings.Contains(body, "Automatic reply: Damp") || !strings.Contains(body, "auto-reply: Auto-Submitted") || strings.Contains(body, "/resolve") {
		t.Errorf("ignored list:\n%s", body)
	}

	resp, raw := s.do(manager, "GET", "/inbound/1/raw", nil)
	if resp.StatusCode != 200 || raw != string(quarantinedRaw) || resp.Header.Get("Content-Type") != "message/rfc822" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="inbound-1.eml"` {
		t.Errorf("download: %d %q %v", resp.StatusCode, raw, resp.Header)
	}

	officer := s.signIn("officer")
	for _, req := range []struct{ method, path string }{{"GET", "/inbound"}, {"GET", "/inbound/1/raw"}, {"POST", "/inbound/1/resolve"}} {
		if resp, _ := s.do(officer, req.method, req.path, url.Values{"note": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("officer %s %s: %d, want 403", req.method, req.path, resp.StatusCode)
		}
	}
	if m, err := s.db.InboundMessage(context.Background(), q.ID); err != nil {
		t.Errorf("message %d: %v", q.ID, err)
	} else if !m.ResolvedAt.IsZero() {
		t.Error("an officer resolved a message")
	}
}

func TestResolvingAQuarantinedMessageNeedsANote(t *testing.T) {
	s := newInboundSite(t)
	s.record("<q@mail.example.net>", store.InboundQuarantined, "Broken", "the message cannot be read: unexpected EOF", quarantinedRaw)
	manager := s.signIn("manager")
	resp, body := s.do(manager, "POST", "/inbound/1/resolve", url.Values{"note": {"  "}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#note-1"`) || !strings.Contains(body, `id="note-1-error"`) {
		t.Fatalf("empty note: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = s.do(manager, "POST", "/inbound/1/resolve", url.Values{"note": {"Logged by hand as C-2026-000002"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inbound?resolved=1" {
		t.Fatalf("resolve: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = s.do(manager, "GET", "/inbound?resolved=1", nil)
	if !strings.Contains(body, "Message 1 marked as resolved") || !strings.Contains(body, "No messages are waiting") {
		t.Errorf("after resolving:\n%s", body)
	}
	_, body = s.do(manager, "GET", "/inbound?show=resolved", nil)
	if !strings.Contains(body, "by manager@landlord.example: Logged by hand as C-2026-000002") {
		t.Errorf("resolved list:\n%s", body)
	}
	resp, body = s.do(manager, "POST", "/inbound/1/resolve", url.Values{"note": {"again"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "resolved already") {
		t.Errorf("resolve twice: %d", resp.StatusCode)
	}
	if resp, _ := s.do(manager, "POST", "/inbound/99/resolve", url.Values{"note": {"x"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown message: %d", resp.StatusCode)
	}
	// A message whose raw form was pruned keeps its record.
	if _, err := s.db.PruneInbound(context.Background(), time.Time{}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if resp, _ := s.do(manager, "GET", "/inbound/1/raw", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("pruned download: %d", resp.StatusCode)
	}
	_, body = s.do(manager, "GET", "/inbound?show=resolved", nil)
	if !strings.Contains(body, "No longer kept") || strings.Contains(body, `href="/inbound/1/raw"`) {
		t.Errorf("pruned in the list:\n%s", body)
	}
}
