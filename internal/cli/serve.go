package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/web"
)

// env returns the environment variable REDRESS_<name>, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv("REDRESS_" + name); ok {
		return v
	}
	return def
}

// secret returns REDRESS_<name>, or the contents of the file named by
// REDRESS_<name>_FILE, so that secrets need not sit in the environment.
func secret(name string) (string, error) {
	if v := os.Getenv("REDRESS_" + name); v != "" {
		return v, nil
	}
	if f := os.Getenv("REDRESS_" + name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("REDRESS_%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return "", nil
}

// serveConfig reads serve's settings into cfg from args and the REDRESS_*
// environment variables, flags taking precedence. Every setting that
// does not parse, or is out of range, is an error naming the flag or the
// variable: nothing is quietly taken as its default.
func serveConfig(args []string, cfg *app.Config) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var envs envSettings
	noMigrate := envs.boolean("NO_MIGRATE", false)
	fs.StringVar(&cfg.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "listen address (REDRESS_ADDR)")
	fs.StringVar(&cfg.DB, "db", env("DB", "redress.db"), "database: a SQLite file path or a postgres:// URL (REDRESS_DB)")
	fs.StringVar(&cfg.DBReplica, "db-replica", env("DB_REPLICA", ""), "postgres:// URL of a read replica for reports and searches (REDRESS_DB_REPLICA)")
	fs.StringVar(&cfg.Policy, "policy", env("POLICY", "code-2024"), "preset name or policy file (REDRESS_POLICY)")
	fs.StringVar(&cfg.Holidays, "holidays", env("HOLIDAYS", ""), "bank-holidays file in the gov.uk JSON format (REDRESS_HOLIDAYS)")
	fs.StringVar(&cfg.ServiceName, "service-name", env("SERVICE_NAME", "Complaints"), "the service's name on every page (REDRESS_SERVICE_NAME)")
	fs.StringVar(&cfg.EmergencyContact, "emergency-contact", env("EMERGENCY_CONTACT", ""), "the emergency repairs line shown to a resident who reports a danger now, e.g. \"Emergency repairs: 0191 000 0999, day and night\"; empty, the letterhead's contact lines (REDRESS_EMERGENCY_CONTACT)")
	secure := envs.boolean("SECURE_COOKIES", false)
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", secure, "mark session cookies Secure and send Strict-Transport-Security, behind a TLS proxy; true or false (REDRESS_SECURE_COOKIES)")
	// The flag replaces the variable's list rather than adding to it, as
	// every other flag replaces its variable.
	cfg.TrustedProxies = envs.proxies("TRUSTED_PROXIES")
	proxyFlag := false
	fs.Func("trusted-proxy", "a reverse proxy, a network such as 10.0.0.0/8 or an address, trusted to name the client in X-Forwarded-For for rate limits and sign-in throttling; may be repeated or comma-separated; none by default, when the connection's address is the client (REDRESS_TRUSTED_PROXIES)", func(v string) error {
		ps, err := web.ParseProxies(v)
		if err != nil {
			return err
		}
		if !proxyFlag {
			cfg.TrustedProxies, proxyFlag = nil, true
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, ps...)
		return nil
	})
	fs.BoolVar(&cfg.Demo, "demo", false, "load the demo organisation into an empty database")
	fs.BoolVar(&cfg.NoMigrate, "no-migrate", noMigrate, "refuse to start if the database needs migrating (REDRESS_NO_MIGRATE)")
	fs.StringVar(&cfg.OIDCIssuer, "oidc-issuer", env("OIDC_ISSUER", ""), "OpenID Connect issuer URL for staff single sign-on; its client secret comes from REDRESS_OIDC_CLIENT_SECRET or REDRESS_OIDC_CLIENT_SECRET_FILE (REDRESS_OIDC_ISSUER)")
	fs.StringVar(&cfg.OIDCClientID, "oidc-client-id", env("OIDC_CLIENT_ID", ""), "single sign-on client id (REDRESS_OIDC_CLIENT_ID)")
	fs.StringVar(&cfg.OIDCRedirectURL, "oidc-redirect-url", env("OIDC_REDIRECT_URL", ""), "single sign-on callback, https://HOST/sign-in/oidc/callback (REDRESS_OIDC_REDIRECT_URL)")
	fs.StringVar(&cfg.OIDCName, "oidc-name", env("OIDC_NAME", ""), "single sign-on provider's name on the sign-in button, such as Microsoft (REDRESS_OIDC_NAME)")
	fs.StringVar(&cfg.SMTP.Host, "smtp-host", env("SMTP_HOST", ""), "mail server for outgoing mail; without it mail waits in the outbox (REDRESS_SMTP_HOST)")
	fs.IntVar(&cfg.SMTP.Port, "smtp-port", envs.integer("SMTP_PORT", 0), "mail server port: 587 for starttls, 465 for tls by default (REDRESS_SMTP_PORT)")
	fs.StringVar(&cfg.SMTP.Security, "smtp-security", env("SMTP_SECURITY", "starttls"), "starttls, tls, or none (127.0.0.1 only) (REDRESS_SMTP_SECURITY)")
	fs.StringVar(&cfg.SMTP.Username, "smtp-username", env("SMTP_USERNAME", ""), "mail server login; its password comes from REDRESS_SMTP_PASSWORD or REDRESS_SMTP_PASSWORD_FILE (REDRESS_SMTP_USERNAME)")
	fs.StringVar(&cfg.SMTP.From, "mail-from", env("MAIL_FROM", ""), "the From address of outgoing mail, such as Complaints <complaints@example.org> (REDRESS_MAIL_FROM)")
	fs.StringVar(&cfg.IMAP.Addr, "imap-addr", env("IMAP_ADDR", ""), "the feedback mailbox's IMAP server, host:port; without it email is not read (REDRESS_IMAP_ADDR)")
	fs.StringVar(&cfg.IMAP.Security, "imap-security", env("IMAP_SECURITY", "tls"), "tls, starttls, or none (localhost only) (REDRESS_IMAP_SECURITY)")
	fs.StringVar(&cfg.IMAP.Username, "imap-username", env("IMAP_USERNAME", ""), "the mailbox's login; its password comes from REDRESS_IMAP_PASSWORD or REDRESS_IMAP_PASSWORD_FILE (REDRESS_IMAP_USERNAME)")
	fs.StringVar(&cfg.IMAP.Mailbox, "imap-mailbox", env("IMAP_MAILBOX", "INBOX"), "the folder to read (REDRESS_IMAP_MAILBOX)")
	fs.StringVar(&cfg.IMAP.MoveTo, "imap-move-to", env("IMAP_MOVE_TO", ""), "a folder to move handled mail to, if it exists (REDRESS_IMAP_MOVE_TO)")
	fs.DurationVar(&cfg.IMAP.Interval, "imap-interval", envs.duration("IMAP_INTERVAL", time.Minute), "how often to read the mailbox (REDRESS_IMAP_INTERVAL)")
	fs.StringVar(&cfg.FeedbackAddress, "feedback-address", env("IMAP_ADDRESS", ""), "the address residents write to, so Redress's own mail is never a case (REDRESS_IMAP_ADDRESS)")
	fs.StringVar(&cfg.BaseURL, "base-url", env("BASE_URL", ""), "the address residents and staff reach Redress at, for links in email, such as https://complaints.example.org (REDRESS_BASE_URL)")
	safety := fs.String("safety-contacts", env("SAFETY_CONTACTS", ""), "the senior managers, by email, comma-separated, that a health-and-safety case escalates to at once; every manager if none (REDRESS_SAFETY_CONTACTS)")
	noNotices := envs.boolean("NO_NOTICES", false)
	fs.BoolVar(&cfg.NoNotices, "no-notices", noNotices, "send no email notices to residents and officers, and no daily digest (REDRESS_NO_NOTICES)")
	acceptBreaches := envs.boolean("ACCEPT_POLICY_BREACHES", false)
	fs.BoolVar(&cfg.AcceptPolicyBreaches, "accept-policy-breaches", acceptBreaches, "serve a policy that breaches the Complaint Handling Code, logging the breaches and showing them to managers on every page; true or false (REDRESS_ACCEPT_POLICY_BREACHES)")
	fs.IntVar(&cfg.DigestHour, "digest-hour", envs.integer("DIGEST_HOUR", 0), "hour, London time, from which the officers' daily digest goes on working days; 7 by default (REDRESS_DIGEST_HOUR)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes no arguments, only flags; got %q", pos[0])
	}
	if err := envs.err(); err != nil {
		return err
	}
	if cfg.IMAP.Interval < time.Second {
		return usagef("--imap-interval (REDRESS_IMAP_INTERVAL): %s is too short; read the mailbox at most once a second, such as every 1m", cfg.IMAP.Interval)
	}
	if cfg.IMAP.Addr != "" {
		if cfg.IMAP.Password, err = secret("IMAP_PASSWORD"); err != nil {
			return usageError{err}
		}
	}
	if strings.TrimSpace(*safety) != "" {
		list, err := netmail.ParseAddressList(*safety)
		if err != nil {
			return usagef("--safety-contacts: %v: want addresses such as head.repairs@example.org, comma-separated", err)
		}
		for _, a := range list {
			cfg.SafetyContacts = append(cfg.SafetyContacts, a.String())
		}
	}
	if cfg.DigestHour < 0 || cfg.DigestHour > 23 {
		return usagef("--digest-hour (REDRESS_DIGEST_HOUR): %d is not an hour from 0 to 23", cfg.DigestHour)
	}
	if cfg.BaseURL != "" {
		if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return usagef("--base-url: %q is not an address such as https://complaints.example.org", cfg.BaseURL)
		}
	}
	if cfg.SMTP.Port < 0 || cfg.SMTP.Port > 65535 {
		return usagef("--smtp-port (REDRESS_SMTP_PORT): %d is not a port number from 1 to 65535", cfg.SMTP.Port)
	}
	if cfg.SMTP.Password, err = secret("SMTP_PASSWORD"); err != nil {
		return usageError{err}
	}
	if cfg.BootstrapToken, err = secret("BOOTSTRAP_TOKEN"); err != nil {
		return usageError{err}
	}
	if cfg.OIDCClientSecret, err = secret("OIDC_CLIENT_SECRET"); err != nil {
		return usageError{err}
	}
	if cfg.AuditKey, err = secret("AUDIT_KEY"); err != nil {
		return usageError{err}
	}
	return nil
}

// serveCmd starts the server with the settings serveConfig reads, and
// serves until it is interrupted or terminated.
func serveCmd(args []string, stdout, stderr io.Writer) error {
	var cfg app.Config
	if err := serveConfig(args, &cfg); err != nil {
		return err
	}
	cfg.Stdout = stdout
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return usageError{err}
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return usagef("--addr: %v", err)
	}
	return a.Serve(ctx, ln)
}

func migrateCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	db := fs.String("db", env("DB", "redress.db"), "database: a SQLite file path or a postgres:// URL (REDRESS_DB)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := sqldb.Open(context.Background(), *db, sqldb.Options{})
	if err != nil {
		return usageError{err}
	}
	defer st.Close()
	fmt.Fprintf(stdout, "%s: schema version %d\n", *db, sqldb.SchemaVersion(*db))
	return nil
}
