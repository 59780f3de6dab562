package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/mail/inbound"
	"github.com/redresshq/redress/internal/store/testdb"
)

func TestBootstrapToken(t *testing.T) {
	ctx := context.Background()
	db := testdb.DSN(t)
	log := slog.New(slog.DiscardHandler)
	if _, err := New(ctx, Config{DB: db, AuditKey: testdb.AuditKey(), BootstrapToken: "too-short"}, log); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Fatalf("short bootstrap token: %v", err)
	}
	token := strings.Repeat("b", 40)
	a, err := New(ctx, Config{DB: db, AuditKey: testdb.AuditKey(), BootstrapToken: token}, log)
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.Store.UserByToken(ctx, auth.HashToken(token))
	if err != nil || u.Role != "admin" {
		t.Fatalf("bootstrap admin: %+v, %v", u, err)
	}
	a.Close()
	// With users already there, a different token creates nobody.
	a, err = New(ctx, Config{DB: db, AuditKey: testdb.AuditKey(), BootstrapToken: strings.Repeat("c", 40)}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if n, _ := a.Store.CountUsers(ctx); n != 1 {
		t.Errorf("%d users after a second bootstrap, want 1", n)
	}
}

// serveStopBound is how long TestServeStopsGracefullyWhenCancelled waits
// for Serve to return: a safety net against a hang, longer than the
// default ShutdownTimeout of 20 s that Serve may itself take to stop.
const serveStopBound = 2 * time.Minute

func TestServeStopsGracefullyWhenCancelled(t *testing.T) {
	a, err := New(context.Background(), Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok\n" {
		t.Errorf("healthz = %q", body)
	}
	spec, err := http.Get("http://" + ln.Addr().String() + "/api/openapi.json")
	if err != nil || spec.StatusCode != 200 {
		t.Fatalf("openapi: %v %v", spec, err)
	}
	spec.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v after a graceful stop", err)
		}
	case <-time.After(serveStopBound):
		t.Fatalf("Serve did not return within %s of cancel", serveStopBound)
	}
}

func TestBadMailSettingsStopStartUp(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	db := testdb.DSN(t)
	_, err := New(ctx, Config{DB: db, AuditKey: testdb.AuditKey(), SMTP: mail.Config{Host: "mail.example.org", Security: "ssl3", From: "complaints@example.org"}}, log)
	if err == nil || !strings.Contains(err.Error(), "REDRESS_SMTP_") || !strings.Contains(err.Error(), "security") {
		t.Errorf("bad security: %v", err)
	}
	_, err = New(ctx, Config{DB: db, AuditKey: testdb.AuditKey(), SMTP: mail.Config{Host: "mail.example.org"}}, log)
	if err == nil || !strings.Contains(err.Error(), "from") {
		t.Errorf("no From address: %v", err)
	}
}

func TestBadInboundMailSettingsStopStartUp(t *testing.T) {
	db := testdb.DSN(t)
	_, err := New(context.Background(), Config{DB: db, AuditKey: testdb.AuditKey(), IMAP: inbound.Poller{Addr: "imap.example.org:143", Security: "none", Username: "feedback"}}, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "REDRESS_IMAP_") || !strings.Contains(err.Error(), "security") || !strings.Contains(err.Error(), "password") {
		t.Errorf("plain-text IMAP to another machine with no password: %v", err)
	}
}
