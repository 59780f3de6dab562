// Package app wires Redress together: configuration, the store, the
// policy in force, the holiday calendar and the HTTP handlers. It is the
// one place that knows every part, so that main stays thin and an
// end-to-end test can start the whole product on port 0.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/backup"
	"github.com/redresshq/redress/internal/brand"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/demo"
	"github.com/redresshq/redress/internal/httpapi"
	"github.com/redresshq/redress/internal/inapp"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/mail/inbound"
	"github.com/redresshq/redress/internal/metrics"
	"github.com/redresshq/redress/internal/notify"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/portal"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/web"
	"github.com/redresshq/redress/internal/webui"
)

// Config is everything Redress is started with, from flags and REDRESS_*
// environment variables.
type Config struct {
	Addr      string // listen address, 127.0.0.1:8080 by default
	DB        string // SQLite file (./redress.db by default) or postgres:// URL
	DBReplica string // postgres:// URL of a read replica of DB, for reports and searches
	Policy    string // preset name or policy file
	Holidays  string // optional government-format bank-holidays file
	NoMigrate bool   // refuse to start with pending migrations
	Demo      bool   // load the demo organisation into an empty database
	// BootstrapToken, if set (at least 32 characters) when the database
	// has no users, becomes the token of a first admin user.
	BootstrapToken  string
	ShutdownTimeout time.Duration
	// ServiceName is the landlord's name for the service, shown on every
	// page and signing every email while no letterhead is set; once an
	// admin saves one, its name is shown instead (package brand).
	ServiceName string
	// EmergencyContact is the landlord's emergency repairs line, shown to
	// a resident who reports a danger to health or safety now; empty, the
	// letterhead's contact lines are shown.
	EmergencyContact string
	// SecureCookies marks session cookies Secure and sends
	// Strict-Transport-Security on every response, for a server behind a
	// TLS-terminating proxy.
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client that the staff sign-in throttle and the portal's rate
	// limits count (see web.Proxies). None, the default, makes the
	// connection's address the client, whatever a request's headers say:
	// behind a proxy every resident would then share the proxy's limits.
	TrustedProxies web.Proxies
	// OIDCIssuer, if set, offers staff single sign-on with that OpenID
	// Connect provider (for Microsoft Entra ID,
	// https://login.microsoftonline.com/<tenant id>/v2.0). Users are
	// matched by email to existing users; none are created.
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	// OIDCRedirectURL is https://<host>/sign-in/oidc/callback, as
	// registered with the provider.
	OIDCRedirectURL string
	// OIDCName names the provider on the sign-in button, such as
	// "Microsoft".
	OIDCName string
	// SMTP, if its Host is set, is the mail server the outbox is sent
	// through while serving. Without it mail is queued, never lost, and
	// sent once a server is configured.
	SMTP mail.Config
	// IMAP, if its Addr is set, is the feedback mailbox polled for
	// complaints sent by email; its Processor is made by New.
	IMAP inbound.Poller
	// FeedbackAddress is the address residents write to, so mail from it
	// (or from SMTP.From) is known as Redress's own and never a case.
	FeedbackAddress string
	// BaseURL is where residents and staff reach Redress
	// (https://complaints.example.org), for the links in email. Without it
	// notices carry no links and closed complaints get no survey link.
	BaseURL string
	// SafetyContacts are the named senior managers a contact flagged as a
	// health-and-safety risk escalates to at once, by email; without any,
	// every manager.
	SafetyContacts []string
	// NoNotices turns off the email notices and the officers' daily digest.
	NoNotices bool
	// DigestHour is the hour, London time, from which the daily digest is
	// sent on working days; 0 means 7.
	DigestHour int
	// AuditKey is the audit chain's key as REDRESS_AUDIT_KEY (or the file
	// REDRESS_AUDIT_KEY_FILE) holds it; empty means the key file beside
	// the database (AuditKeyPath), made on first start.
	AuditKey string
	// BackupDir, if set, is where serve takes a backup of the SQLite
	// database every BackupEvery (a day if not set), keeping the newest
	// BackupKeep (7 if not set) with their manifests. The audit key is
	// not in them: keep it apart (see package backup).
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
	// AcceptPolicyBreaches acknowledges that the policy breaches the
	// Complaint Handling Code (its compliance check, policy.Check, finds a
	// breach). Without it such a policy stops start-up; with it Redress
	// starts, logs each breach and shows them to managers and admins on
	// every staff page until the policy is fixed.
	AcceptPolicyBreaches bool
	// Stdout receives what a person starting Redress must read, such as
	// the demo users' tokens. Never the log: tokens are secrets.
	Stdout io.Writer
	// Metrics serves Prometheus metrics at /metrics on the main listener.
	// That page needs no sign-in, so on a listener the internet reaches
	// prefer MetricsAddr, or block /metrics at the proxy.
	Metrics bool
	// MetricsAddr, if set, serves /metrics on a listener of its own at
	// this address (say a private interface, 10.0.0.5:9090) and not on
	// the main one; it implies Metrics.
	MetricsAddr string
	// Retention turns on the daily anonymisation of closed cases past the
	// policy's retention periods. It is off unless asked for: anonymising
	// cannot be undone, so a landlord turns it on once the periods in its
	// policy are its own, not the assumed defaults; `redress retention
	// run` and the retention page work either way.
	Retention bool
}

// App is a running Redress.
type App struct {
	cfg     Config
	sender  *mail.Sender
	relay   *notify.Relay
	poller  *inbound.Poller
	log     *slog.Logger
	Store   store.Store
	Policy  *policy.Policy
	Cal     *calendar.Calendar
	handler http.Handler
	now     func() time.Time
	// key is the audit key; checkpointed is the count of events at the
	// last checkpoint logged.
	key          store.AuditKey
	checkpointed int
	readyState   atomic.Pointer[string] // the last readiness problems logged (ready.go)
	// lock is held on a SQLite database while the app has it open, so
	// that a restore cannot replace it underneath (package backup).
	lock *backup.Lock
	// metrics is nil unless Config.Metrics or Config.MetricsAddr is set.
	metrics *metrics.Metrics
	// metricsBound is the address the metrics listener is bound to while
	// Serve runs (the port MetricsAddr's ":0" was given), for tests.
	metricsBound atomic.Pointer[string]
	// notices makes the staff's in-app notices; Serve runs it with or
	// without mail.
	notices *inapp.Processor
}

// New opens the store and loads the policy and calendar.
func New(ctx context.Context, cfg Config, log *slog.Logger) (_ *App, err error) {
	if cfg.DB == "" {
		cfg.DB = "redress.db"
	}
	if cfg.Policy == "" {
		cfg.Policy = policy.Default
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	p, breaches, cal, err := loadPolicy(cfg, log)
	if err != nil {
		return nil, err
	}
	// Single sign-on is discovered before anything is opened, so that a
	// wrong issuer or an unreachable provider stops start-up at once.
	var sso *webui.OIDC
	if cfg.OIDCIssuer != "" {
		sso, err = webui.NewOIDC(ctx, webui.OIDCConfig{
			Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: cfg.OIDCRedirectURL, Name: cfg.OIDCName,
		})
		if err != nil {
			return nil, fmt.Errorf("single sign-on (REDRESS_OIDC_*): %w", err)
		}
	}
	var sender *mail.Sender
	if cfg.SMTP.Host != "" {
		if sender, err = mail.NewSender(cfg.SMTP); err != nil {
			return nil, fmt.Errorf("mail server (REDRESS_SMTP_*): %w", err)
		}
	}
	if err := checkBackups(&cfg); err != nil {
		return nil, err
	}
	// A SQLite database is held, shared, for as long as it is open: a
	// restore takes the lock exclusive, so it is refused while any
	// server has the database, and a server does not start on one being
	// restored.
	var lock *backup.Lock
	if !sqldb.IsPostgres(cfg.DB) {
		if lock, err = backup.LockShared(cfg.DB); err != nil {
			if errors.Is(err, backup.ErrLive) {
				return nil, fmt.Errorf("database %s is being restored (redress restore holds %s): start once it has finished", cfg.DB, backup.LockPath(cfg.DB))
			}
			return nil, err
		}
		defer func() {
			if err != nil {
				lock.Release()
			}
		}()
	}
	// The metrics come before the store, which reports each commit's
	// latency to them from its first write.
	var m *metrics.Metrics
	if cfg.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(cfg.MetricsAddr); err != nil {
			return nil, fmt.Errorf("metrics address (MetricsAddr) %q is not host:port: %w", cfg.MetricsAddr, err)
		}
		cfg.Metrics = true
	}
	dbOpts := sqldb.Options{NoMigrate: cfg.NoMigrate, Replica: cfg.DBReplica}
	if cfg.Metrics {
		m = metrics.New(log)
		dbOpts.ObserveCommit = m.ObserveCommit
	}
	key, keySource, keyCreated, err := LoadAuditKey(cfg.DB, cfg.AuditKey, true)
	if err != nil {
		return nil, err
	}
	dbOpts.AuditKey = key
	st, err := sqldb.Open(ctx, cfg.DB, dbOpts)
	if err != nil {
		if keyCreated {
			os.Remove(keySource) // a key made for a database that needs another is no use
		}
		return nil, err
	}
	a := &App{cfg: cfg, log: log, Store: st, Policy: p, Cal: cal, now: clock.Wall, sender: sender, key: key, lock: lock, metrics: m}
	// One brand for every surface: the pages, the residents' pages and
	// every email show the same landlord's name, and the letterhead page
	// refreshes it for all of them when it saves.
	bc := brand.New(st, cfg.ServiceName, log)
	if sender != nil {
		sender.FromName = bc.Name
	}
	if m != nil {
		m.WatchStore(st, func() time.Time { return a.now() })
	}
	if err := a.keyAuditChain(ctx, st, keySource, keyCreated); err != nil {
		st.Close()
		return nil, err
	}
	if cfg.IMAP.Addr != "" {
		own := []string{cfg.FeedbackAddress}
		if from, err := netmail.ParseAddress(cfg.SMTP.From); err == nil {
			own = append(own, from.Address)
		}
		p := cfg.IMAP
		p.Processor = &inbound.Processor{Cases: &casework.Service{Store: st, Policy: a.Policy, Calendar: a.Cal, Log: log, Now: func() time.Time { return a.now() }, ServiceName: cfg.ServiceName},
			Inbound: st, Own: own, Log: log}
		if m != nil {
			p.Processor.Observed = m.InboundObserved
		}
		if err := p.Check(); err != nil {
			st.Close()
			return nil, fmt.Errorf("inbound mail (REDRESS_IMAP_*): %w", err)
		}
		a.poller = &p
	}
	if !cfg.NoNotices {
		a.relay = &notify.Relay{
			Store: st, Log: log, Now: func() time.Time { return a.now() }, Calendar: cal, Policy: p,
			BaseURL: cfg.BaseURL, ServiceName: cfg.ServiceName, Brand: bc, DigestHour: cfg.DigestHour, SafetyContacts: cfg.SafetyContacts,
		}
		if m != nil {
			a.relay.NoticesQueued = m.NoticesQueued
		}
	}
	a.notices = &inapp.Processor{Store: st, Calendar: cal, NamedOnly: p.Confidential.NamedViewersOnly, Log: log, Now: func() time.Time { return a.now() }}
	// The demo first: it makes its own users, and the bootstrap token is
	// for a database that has none.
	if cfg.Demo {
		if err := a.loadDemo(ctx); err != nil {
			st.Close()
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	if err := a.bootstrap(ctx); err != nil {
		st.Close()
		return nil, err
	}
	api := &httpapi.Server{Store: st, Policy: p, Calendar: cal, Log: log, Now: func() time.Time { return a.now() }, ServiceName: cfg.ServiceName, BaseURL: cfg.BaseURL}
	var signInFailed func(string)
	if m != nil {
		signInFailed = m.SignInFailed
	}
	web, err := webui.New(&webui.Server{
		Store: st, Policy: p, Calendar: cal, Log: log, Now: func() time.Time { return a.now() },
		ServiceName: cfg.ServiceName, Brand: bc, Secure: cfg.SecureCookies, OIDC: sso, PolicyBreaches: breaches, BaseURL: cfg.BaseURL,
		// Device cookies outlive a restart because their key is made
		// from the audit key, which is kept outside the database.
		DeviceKey:    key.Derive("redress device cookies"),
		SignInFailed: signInFailed,
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	residents, err := portal.New(&portal.Server{
		Store: st, Drafts: st, Policy: p, Calendar: cal, Log: log, Now: func() time.Time { return a.now() },
		ServiceName: cfg.ServiceName, Brand: bc, Secure: cfg.SecureCookies, BaseURL: cfg.BaseURL, EmergencyContact: cfg.EmergencyContact,
		// Tracking proofs are made from the audit key too, so that a
		// resident's proof holds across restarts and on every instance.
		TrackingKey: key.Derive("redress tracking proofs"),
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	// The resident's pages: no sign-in, their own limits.
	rh := residents.Handler()
	for _, prefix := range portal.Prefixes {
		mux.Handle(prefix, rh)
	}
	mux.Handle("/api/", api.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", a.readyz)
	if m != nil && cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", m.Handler())
	} else {
		// Not the staff pages' sign-in redirect: a scraper pointed here
		// by mistake is told plainly that there is nothing here.
		mux.HandleFunc("/metrics", http.NotFound)
	}
	mux.Handle("/", web.Handler())
	var root http.Handler = mux
	if m != nil {
		// Inside the proxies' handler, which hands on a copy of the
		// request: the mux must be given the very request Instrument
		// reads the matched route from (metrics.Instrument).
		root = m.Instrument(mux)
	}
	// The client behind the trusted proxies is found once, before
	// every surface, so that all of them count the same client.
	a.handler = strictTransport(cfg.TrustedProxies.Handler(root), cfg.SecureCookies)
	return a, nil
}

// NoticeInterval is how often Serve looks for new case events to make
// the staff's in-app notices of. Each look reads one cursor and the
// events after it, so it is cheap however long the log.
const NoticeInterval = 5 * time.Second

// loadPolicy opens the policy in force, checks it against the Code and
// makes its calendar from the bank holidays, built in or from the
// holidays file.
func loadPolicy(cfg Config, log *slog.Logger) (*policy.Policy, []policy.Finding, *calendar.Calendar, error) {
	p, err := policy.Open(cfg.Policy)
	if err != nil {
		return nil, nil, nil, err
	}
	breaches, err := policyBreaches(p, cfg.AcceptPolicyBreaches, log)
	if err != nil {
		return nil, nil, nil, err
	}
	h := calendar.BuiltIn()
	if cfg.Holidays != "" {
		f, err := os.Open(cfg.Holidays)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("holidays file: %w", err)
		}
		h, err = h.WithFile(f)
		f.Close()
		if err != nil {
			return nil, nil, nil, fmt.Errorf("holidays file %s: %w", cfg.Holidays, err)
		}
	}
	cal, err := p.Calendar(h)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, breaches, cal, nil
}

// CheckFiles checks what cfg names that New would open before the
// database: the policy (and its compliance with the Code, unless its
// breaches are accepted) and the holidays file. `redress config check`
// uses it, so that a configuration it passes starts.
func CheckFiles(cfg Config) error {
	if cfg.Policy == "" {
		cfg.Policy = policy.Default
	}
	_, _, _, err := loadPolicy(cfg, slog.New(slog.DiscardHandler))
	return err
}

// Handler returns the HTTP handler, for tests that serve it themselves.
func (a *App) Handler() http.Handler { return a.handler }

// loadDemo loads the demo landlord (package demo) into an empty database
// through the app's own store, policy, calendar and clock, printing the
// demo users' passwords and tokens to Config.Stdout.
func (a *App) loadDemo(ctx context.Context) error {
	return demo.Seed(ctx, demo.Config{Store: a.Store, Policy: a.Policy, Calendar: a.Cal, Log: a.log, Now: a.now,
		Out: a.cfg.Stdout, Addr: a.cfg.Addr, DB: a.cfg.DB})
}

// bootstrap creates the first admin from REDRESS_BOOTSTRAP_TOKEN when the
// database has no users, so a new installation can be reached at all.
func (a *App) bootstrap(ctx context.Context) error {
	if a.cfg.BootstrapToken == "" {
		return nil
	}
	if len(strings.TrimSpace(a.cfg.BootstrapToken)) < 32 {
		return errors.New("REDRESS_BOOTSTRAP_TOKEN must be at least 32 characters")
	}
	n, err := a.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	u, err := a.Store.CreateUser(ctx, store.User{Email: "admin@localhost", Name: "Administrator", Role: string(auth.Admin)})
	if err != nil {
		return err
	}
	a.log.Info("created the bootstrap admin user", "user_id", u.ID)
	return a.Store.AddToken(ctx, u.ID, auth.HashToken(a.cfg.BootstrapToken), "bootstrap")
}

// Serve serves HTTP on ln until ctx is cancelled, then shuts down
// gracefully: it stops accepting, lets in-flight requests finish (up to
// the shutdown timeout) and returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	// The metrics listener is bound first, so that an address in use
	// stops Serve before anything else starts.
	msrv, mln, err := a.metricsServer()
	if err != nil {
		return err
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if msrv != nil {
		go func() { errc <- msrv.Serve(mln) }()
		a.log.Info("serving metrics", "addr", mln.Addr().String())
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "policy", a.Policy.Name, "division", string(a.Cal.Division()))
	mailCtx, stopMail := context.WithCancel(context.Background())
	var mailDone sync.WaitGroup
	if a.sender != nil {
		d := &mail.Dispatcher{Outbox: a.Store, Sender: a.sender, Logger: a.log, Clock: func() time.Time { return a.now() }}
		mailDone.Go(func() { d.Run(mailCtx, 30*time.Second) })
		// Notices run only with a mail server: without one they would pile
		// up unsent, and once one is set MaxAge keeps stale news from going.
		if a.relay != nil {
			if a.cfg.BaseURL == "" {
				a.log.Warn("no base URL is set (REDRESS_BASE_URL): notices carry no links and closed complaints no survey link")
			}
			a.relay.Queued = d.Wake
			mailDone.Go(func() { a.relay.Run(mailCtx, time.Minute) })
		}
	} else {
		a.log.Warn("no mail server is set (REDRESS_SMTP_HOST): mail is queued in the outbox and sent once one is")
	}
	if a.poller != nil {
		mailDone.Go(func() { a.poller.Run(mailCtx) })
	} else {
		a.log.Info("no feedback mailbox is set (REDRESS_IMAP_ADDR): complaints by email must be logged by hand")
	}
	// In-app notices wait for no mail server and no hold: an officer sees
	// a case assigned to them within NoticeInterval.
	mailDone.Go(func() { a.notices.Run(mailCtx, NoticeInterval) })
	mailDone.Go(func() { a.checkpoints(mailCtx, time.Minute) })
	if a.cfg.Retention {
		mailDone.Go(func() { a.retention(mailCtx, time.Hour) })
	}
	if a.cfg.BackupDir != "" {
		a.log.Info("scheduled backups", "dir", a.cfg.BackupDir, "every", a.cfg.BackupEvery.String(), "keep", a.cfg.BackupKeep)
		mailDone.Go(func() { a.backups(mailCtx, a.cfg.BackupEvery) })
	}
	defer func() { stopMail(); mailDone.Wait() }()
	select {
	case err := <-errc:
		// One listener failed: the other is closed too, rather than
		// left serving after Serve has returned.
		srv.Close()
		if msrv != nil {
			msrv.Close()
		}
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if msrv != nil {
		// Stopped after the main server has drained, so that Prometheus
		// can watch the drain; both share the one timeout.
		defer msrv.Shutdown(sctx)
	}
	return srv.Shutdown(sctx)
}

// metricsServer binds MetricsAddr and returns the server of /metrics on
// it, or nils when the metrics are not on a listener of their own.
func (a *App) metricsServer() (*http.Server, net.Listener, error) {
	if a.metrics == nil || a.cfg.MetricsAddr == "" {
		return nil, nil, nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics listener (MetricsAddr): %w", err)
	}
	bound := ln.Addr().String()
	a.metricsBound.Store(&bound)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}, ln, nil
}

// Close closes the store and then releases the database's lock.
func (a *App) Close() error {
	err := a.Store.Close()
	a.lock.Release()
	return err
}
