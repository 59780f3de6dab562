package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/web"
)

// Redress's configuration is one typed struct, app.Config, filled from
// four layers, each overriding the one before: the defaults below, an
// optional YAML file (--config FILE or REDRESS_CONFIG), the REDRESS_*
// environment variables, then flags. Every setting is declared once, in
// the settings table, which gives its flag, its variable, its key in the
// file, its default and how it is parsed; the README's table of settings
// is made from it (TestREADMEListsEverySetting), so the documentation
// cannot drift from the code. A value that does not parse, in any layer,
// is an error naming where it came from, and start-up stops: nothing is
// ever quietly taken as its default.

// kind is how a setting's value is written.
type kind int

const (
	text kind = iota
	boolean
	list // comma-separated in a variable or flag, a sequence in the file
)

// setting is one of Redress's settings.
type setting struct {
	// name is the flag (--name) and the key in the configuration file.
	name string
	// env is the variable's name after REDRESS_; by default name in
	// upper case with _ for -.
	env string
	// def is the default, as it would be typed.
	def  string
	kind kind
	// secret settings are never taken from a flag, which other users of
	// the machine can read in the process list, and never printed: they
	// come from REDRESS_<ENV>, from the file REDRESS_<ENV>_FILE names, from
	// the configuration file's key or from --name-file.
	secret bool
	help   string
	// set parses v and puts it in c, or says why v is not a value of it.
	set func(c *app.Config, v string) error
	// get returns c's value for `config check`; nil for secrets.
	get func(c *app.Config) string
}

// envName is the setting's variable, REDRESS_ included.
func (s *setting) envName() string {
	if s.env != "" {
		return "REDRESS_" + s.env
	}
	return "REDRESS_" + strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))
}

// settings is every setting serve takes. Other commands take the few
// they need (configFor), from the same file and variables.
var settings = []setting{
	{name: "addr", def: "127.0.0.1:8080", help: "the address to listen on, host:port",
		set: func(c *app.Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return fmt.Errorf("%q is not host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080", v)
			}
			c.Addr = v
			return nil
		},
		get: func(c *app.Config) string { return c.Addr }},
	{name: "db", def: "redress.db", help: "the database: a SQLite file's path, or a postgres:// URL",
		set: func(c *app.Config, v string) error { return setDB(&c.DB, v) },
		get: func(c *app.Config) string { return redactURL(c.DB) }},
	{name: "db-replica", help: "a postgres:// URL of a read replica of the database, for reports and searches",
		set: func(c *app.Config, v string) error {
			if v != "" && !sqldb.IsPostgres(v) {
				return fmt.Errorf("%q is not a postgres:// URL", redactURL(v))
			}
			c.DBReplica = v
			return nil
		},
		get: func(c *app.Config) string { return redactURL(c.DBReplica) }},
	boolSetting("no-migrate", "refuse to start if the database needs migrating, rather than migrating it", func(c *app.Config) *bool { return &c.NoMigrate }),
	boolSetting("demo", "load the demo landlord into an empty database and print its users' passwords and tokens", func(c *app.Config) *bool { return &c.Demo }),
	{name: "policy", def: "code-2024", help: "the complaints policy: a preset's name (redress policy list) or a policy file",
		set: func(c *app.Config, v string) error { c.Policy = v; return nonEmpty(v) },
		get: func(c *app.Config) string { return c.Policy }},
	boolSetting("accept-policy-breaches", "serve a policy that breaches the Complaint Handling Code, logging each breach and showing them to managers on every page", func(c *app.Config) *bool { return &c.AcceptPolicyBreaches }),
	textSetting("holidays", "a bank-holidays file in the gov.uk JSON format, replacing the years it lists", func(c *app.Config) *string { return &c.Holidays }),
	{name: "service-name", def: "Complaints", help: "the landlord's name while no letterhead is set: in the header of the staff and residents' pages, on the public summary, and as the From name and signature of every email. Once an admin saves a letterhead (Letters, Letterhead), its name and logo are used instead, everywhere at once on the instance that saved it and within 30 seconds on others sharing the database; this setting is then the fallback",
		set: func(c *app.Config, v string) error { c.ServiceName = v; return nonEmpty(v) },
		get: func(c *app.Config) string { return c.ServiceName }},
	textSetting("emergency-contact", "the emergency repairs line shown to a resident who reports a danger now; empty, the letterhead's contact lines", func(c *app.Config) *string { return &c.EmergencyContact }),
	{name: "base-url", help: "where residents and staff reach Redress, such as https://complaints.example.org, for the links in email",
		set: func(c *app.Config, v string) error {
			if v != "" {
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
					return fmt.Errorf("%q is not an address such as https://complaints.example.org", v)
				}
			}
			c.BaseURL = v
			return nil
		},
		get: func(c *app.Config) string { return c.BaseURL }},
	boolSetting("secure-cookies", "mark session cookies Secure and send Strict-Transport-Security, behind a TLS proxy", func(c *app.Config) *bool { return &c.SecureCookies }),
	{name: "trusted-proxy", env: "TRUSTED_PROXIES", kind: list, help: "reverse proxies (networks such as 10.0.0.0/8, or addresses) trusted to name the client in X-Forwarded-For; none, the connection's address is the client",
		set: func(c *app.Config, v string) error {
			ps, err := web.ParseProxies(v)
			if err != nil {
				return err
			}
			c.TrustedProxies = ps
			return nil
		},
		get: func(c *app.Config) string { return joinStrings(c.TrustedProxies) }},
	{name: "bootstrap-token", secret: true, help: "at least 32 characters: the API token of a first admin user, made when the database has no users",
		set: func(c *app.Config, v string) error {
			if len(v) < 32 {
				return fmt.Errorf("is %d characters long: it must be at least 32", len(v))
			}
			c.BootstrapToken = v
			return nil
		}},
	{name: "audit-key", secret: true, help: "the audit chain's key; unset, the key file beside a SQLite database (redress.audit.key for redress.db), made on first start",
		set: func(c *app.Config, v string) error { c.AuditKey = v; return nil }},
	{name: "oidc-issuer", help: "an OpenID Connect issuer URL for staff single sign-on, such as https://login.microsoftonline.com/TENANT/v2.0",
		set: func(c *app.Config, v string) error {
			if v != "" {
				if u, err := url.Parse(v); err != nil || u.Scheme != "https" && !isLoopbackURL(u) || u.Host == "" {
					return fmt.Errorf("%q is not an https:// issuer URL", v)
				}
			}
			c.OIDCIssuer = v
			return nil
		},
		get: func(c *app.Config) string { return c.OIDCIssuer }},
	textSetting("oidc-client-id", "the single sign-on client id", func(c *app.Config) *string { return &c.OIDCClientID }),
	{name: "oidc-client-secret", secret: true, help: "the single sign-on client secret",
		set: func(c *app.Config, v string) error { c.OIDCClientSecret = v; return nil }},
	textSetting("oidc-redirect-url", "the single sign-on callback registered with the provider, https://HOST/sign-in/oidc/callback", func(c *app.Config) *string { return &c.OIDCRedirectURL }),
	textSetting("oidc-name", "the provider's name on the sign-in button, such as Microsoft", func(c *app.Config) *string { return &c.OIDCName }),
	textSetting("smtp-host", "the mail server for outgoing mail; unset, mail waits in the outbox until one is set", func(c *app.Config) *string { return &c.SMTP.Host }),
	{name: "smtp-port", def: "0", help: "the mail server's port; 0 for the usual one: 587 for starttls, 465 for tls, 25 for none",
		set: func(c *app.Config, v string) error { return port(&c.SMTP.Port, v, true) },
		get: func(c *app.Config) string { return strconv.Itoa(c.SMTP.Port) }},
	{name: "smtp-security", def: mail.StartTLS, help: "starttls, tls, or none (to a server on this machine only)",
		set: func(c *app.Config, v string) error {
			return oneOf(&c.SMTP.Security, v, mail.StartTLS, mail.TLS, mail.None)
		},
		get: func(c *app.Config) string { return c.SMTP.Security }},
	textSetting("smtp-username", "the mail server's login", func(c *app.Config) *string { return &c.SMTP.Username }),
	{name: "smtp-password", secret: true, help: "the mail server's password",
		set: func(c *app.Config, v string) error { c.SMTP.Password = v; return nil }},
	{name: "mail-from", help: "the From of outgoing mail, such as Complaints <complaints@example.org>; its address is used as it is, and its name is replaced by the landlord's (the letterhead's, else `service-name`)",
		set: func(c *app.Config, v string) error {
			if v != "" {
				if _, err := netmail.ParseAddress(v); err != nil {
					return fmt.Errorf("%q is not an address such as Complaints <complaints@example.org>", v)
				}
			}
			c.SMTP.From = v
			return nil
		},
		get: func(c *app.Config) string { return c.SMTP.From }},
	{name: "imap-addr", help: "the feedback mailbox's IMAP server, host:port; unset, email is not read",
		set: func(c *app.Config, v string) error {
			if v != "" {
				if h, p, err := net.SplitHostPort(v); err != nil || h == "" || p == "" {
					return fmt.Errorf("%q is not host:port, such as imap.example.org:993", v)
				}
			}
			c.IMAP.Addr = v
			return nil
		},
		get: func(c *app.Config) string { return c.IMAP.Addr }},
	{name: "imap-security", def: mail.TLS, help: "tls, starttls, or none (to a server on this machine only)",
		set: func(c *app.Config, v string) error {
			return oneOf(&c.IMAP.Security, v, mail.TLS, mail.StartTLS, mail.None)
		},
		get: func(c *app.Config) string { return c.IMAP.Security }},
	textSetting("imap-username", "the feedback mailbox's login", func(c *app.Config) *string { return &c.IMAP.Username }),
	{name: "imap-password", secret: true, help: "the feedback mailbox's password",
		set: func(c *app.Config, v string) error { c.IMAP.Password = v; return nil }},
	{name: "imap-mailbox", def: "INBOX", help: "the folder to read",
		set: func(c *app.Config, v string) error { c.IMAP.Mailbox = v; return nonEmpty(v) },
		get: func(c *app.Config) string { return c.IMAP.Mailbox }},
	textSetting("imap-move-to", "a folder to move handled mail to, if it exists", func(c *app.Config) *string { return &c.IMAP.MoveTo }),
	{name: "imap-interval", def: "1m", help: "how often to read the mailbox, 1s or more",
		set: func(c *app.Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("%q is not a duration such as 30s or 5m", v)
			}
			if d < time.Second {
				return fmt.Errorf("%s is too short; read the mailbox at most once a second, such as every 1m", d)
			}
			c.IMAP.Interval = d
			return nil
		},
		get: func(c *app.Config) string { return c.IMAP.Interval.String() }},
	{name: "feedback-address", env: "IMAP_ADDRESS", help: "the address residents write to, so Redress's own mail never opens a case",
		set: func(c *app.Config, v string) error {
			if v != "" {
				if _, err := netmail.ParseAddress(v); err != nil {
					return fmt.Errorf("%q is not an email address", v)
				}
			}
			c.FeedbackAddress = v
			return nil
		},
		get: func(c *app.Config) string { return c.FeedbackAddress }},
	boolSetting("retention", "anonymise, each day, the closed cases past the policy's retention periods; off by default, as anonymising cannot be undone: turn it on once the policy's periods are the landlord's own", func(c *app.Config) *bool { return &c.Retention }),
	boolSetting("metrics", "serve Prometheus metrics at /metrics on the main listener, which has no sign-in there", func(c *app.Config) *bool { return &c.Metrics }),
	{name: "metrics-addr", help: "serve /metrics on a listener of its own at this host:port (say a private interface) and not on the main one; implies metrics",
		set: func(c *app.Config, v string) error {
			if v != "" {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("%q is not host:port, such as 10.0.0.5:9090", v)
				}
			}
			c.MetricsAddr = v
			return nil
		},
		get: func(c *app.Config) string { return c.MetricsAddr }},
	{name: "backup-dir", help: "a directory serve puts a backup of the SQLite database in, every backup-every, keeping the newest backup-keep; unset, no scheduled backups",
		set: func(c *app.Config, v string) error { c.BackupDir = v; return nil },
		get: func(c *app.Config) string { return c.BackupDir }},
	{name: "backup-every", help: "how often serve takes a scheduled backup, such as 6h; a day if not set",
		set: func(c *app.Config, v string) error {
			c.BackupEvery = 0
			if v == "" {
				return nil
			}
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("%q is not a duration such as 24h or 6h", v)
			}
			if d < time.Minute {
				return fmt.Errorf("%s is too often; back up at most once a minute, such as every 24h", d)
			}
			c.BackupEvery = d
			return nil
		},
		get: func(c *app.Config) string { return durationOrEmpty(c.BackupEvery) }},
	{name: "backup-keep", help: "how many scheduled backups are kept, the newest; 7 if not set",
		set: func(c *app.Config, v string) error {
			c.BackupKeep = 0
			if v == "" {
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%q is not a whole number", v)
			}
			if n < 1 || n > 1000 {
				return fmt.Errorf("%d is not a number of backups from 1 to 1000", n)
			}
			c.BackupKeep = n
			return nil
		},
		get: func(c *app.Config) string { return intOrEmpty(c.BackupKeep) }},
	boolSetting("no-notices", "send no email notices to residents and officers, and no daily digest (in-app notices stay on)", func(c *app.Config) *bool { return &c.NoNotices }),
	{name: "digest-hour", def: "7", help: "the hour, London time, from 1 to 23, from which the officers' daily digest goes on working days",
		set: func(c *app.Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%q is not a whole number", v)
			}
			if n < 1 || n > 23 {
				return fmt.Errorf("%d is not an hour from 1 to 23", n)
			}
			c.DigestHour = n
			return nil
		},
		get: func(c *app.Config) string { return strconv.Itoa(c.DigestHour) }},
	{name: "safety-contacts", kind: list, help: "the senior managers, by email, that a health-and-safety case escalates to at once; none, every manager",
		set: func(c *app.Config, v string) error {
			c.SafetyContacts = nil
			if strings.TrimSpace(v) == "" {
				return nil
			}
			as, err := netmail.ParseAddressList(v)
			if err != nil {
				return fmt.Errorf("%v: want addresses such as head.repairs@example.org, comma-separated", err)
			}
			for _, a := range as {
				c.SafetyContacts = append(c.SafetyContacts, a.String())
			}
			return nil
		},
		get: func(c *app.Config) string { return strings.Join(c.SafetyContacts, ", ") }},
}

func durationOrEmpty(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func intOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// nonEmpty refuses an empty value for a setting that must have one.
func nonEmpty(v string) error {
	if v == "" {
		return errors.New("is empty; it must have a value")
	}
	return nil
}

// boolSetting is a true-or-false setting, false by default.
func boolSetting(name, help string, field func(c *app.Config) *bool) setting {
	return setting{name: name, kind: boolean, def: "false", help: help,
		set: func(c *app.Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			*field(c) = b
			return nil
		},
		get: func(c *app.Config) string { return strconv.FormatBool(*field(c)) }}
}

// textSetting is a setting any text is a value of, empty by default.
func textSetting(name, help string, field func(c *app.Config) *string) setting {
	return setting{name: name, help: help,
		set: func(c *app.Config, v string) error { *field(c) = v; return nil },
		get: func(c *app.Config) string { return *field(c) }}
}

// port sets a port number; zero only where it means "the usual one".
func port(p *int, v string, zero bool) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", v)
	}
	if n < 0 || n > 65535 || n == 0 && !zero {
		return fmt.Errorf("%d is not a port number from 1 to 65535", n)
	}
	*p = n
	return nil
}

// oneOf sets one of a few words.
func oneOf(p *string, v string, words ...string) error {
	if !slices.Contains(words, v) {
		return fmt.Errorf("%q is not one of %s", v, strings.Join(words, ", "))
	}
	*p = v
	return nil
}

func setDB(p *string, v string) error {
	if err := nonEmpty(v); err != nil {
		return err
	}
	*p = v
	return nil
}

// redactURL hides a password in a database URL, so that `config check`
// and errors can show where the database is without giving away how to
// get into it.
func redactURL(v string) string {
	if !sqldb.IsPostgres(v) {
		return v
	}
	u, err := url.Parse(v)
	if err != nil {
		return "postgres://(unreadable URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

func isLoopbackURL(u *url.URL) bool {
	h := u.Hostname()
	return u.Scheme == "http" && (h == "localhost" || h == "127.0.0.1" || h == "::1")
}

func joinStrings[T fmt.Stringer](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = x.String()
	}
	return strings.Join(s, ", ")
}

// lookupSetting returns the setting called name.
func lookupSetting(name string) *setting {
	for i := range settings {
		if settings[i].name == name {
			return &settings[i]
		}
	}
	panic("cli: no setting " + name)
}

// origin says where a setting's value came from: "default", the file and
// line, the variable or the flag. Errors name it, and `config check`
// prints it.
type origin string

// configLoader reads a command's settings. Its flags only record what
// they are given, so that the layers are applied in order (defaults,
// file, variables, flags) whatever order the flags were typed in.
type configLoader struct {
	fs    *flag.FlagSet
	names []string // the settings this command takes, in table order
	file  string   // --config
	given []givenFlag
}

type givenFlag struct {
	s     *setting
	file  bool // --name-file of a secret
	value string
}

// recorder is a flag.Value that records each value given.
type recorder struct {
	l    *configLoader
	s    *setting
	file bool
}

func (r *recorder) String() string { return "" }
func (r *recorder) Set(v string) error {
	r.l.given = append(r.l.given, givenFlag{r.s, r.file, v})
	return nil
}
func (r *recorder) IsBoolFlag() bool { return r.s.kind == boolean && !r.file }

// newConfig registers --config and the flags of the named settings (every
// setting if none are named) on fs.
func newConfig(fs *flag.FlagSet, names ...string) *configLoader {
	l := &configLoader{fs: fs}
	for i := range settings {
		s := &settings[i]
		if len(names) > 0 && !slices.Contains(names, s.name) {
			continue
		}
		l.names = append(l.names, s.name)
		if s.secret {
			fs.Var(&recorder{l, s, true}, s.name+"-file", "a file holding "+s.help+" ("+s.envName()+"_FILE)")
			continue
		}
		fs.Var(&recorder{l, s, false}, s.name, s.help+" ("+s.envName()+")")
	}
	fs.StringVar(&l.file, "config", "", "a YAML file of settings (REDRESS_CONFIG)")
	return l
}

// loaded is a command's configuration and where each value came from.
type loaded struct {
	app.Config
	origins  map[string]origin
	file     string
	warnings []string
}

// load parses args, then applies the layers, and returns the
// configuration and the positional arguments. Every value that does not
// parse, in any layer, is in the one error returned.
func (l *configLoader) load(args []string) (*loaded, []string, error) {
	pos, err := parse(l.fs, args)
	if err != nil {
		return nil, nil, err
	}
	out := &loaded{origins: map[string]origin{}}
	var errs []error
	apply := func(s *setting, v string, from origin) {
		if err := s.set(&out.Config, strings.TrimSpace(v)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", from, err))
			return
		}
		out.origins[s.name] = from
	}
	for _, name := range l.names {
		if s := lookupSetting(name); s.def != "" || !s.secret {
			apply(s, s.def, "default")
		}
	}
	// The file.
	out.file = l.file
	if out.file == "" {
		out.file = strings.TrimSpace(os.Getenv("REDRESS_CONFIG"))
	}
	if out.file != "" {
		vals, err := readConfigFile(out.file)
		if err != nil {
			return nil, nil, usageError{err}
		}
		for _, v := range vals {
			s, file := v.setting()
			if s == nil {
				errs = append(errs, fmt.Errorf("%s line %d: %q is not a setting Redress knows; see the settings table in the README", out.file, v.line, v.key))
				continue
			}
			if !slices.Contains(l.names, s.name) {
				continue // a setting for serve, in the file every command reads
			}
			from := origin(fmt.Sprintf("%s line %d (%s)", out.file, v.line, v.key))
			val := v.value
			if file {
				if val, err = readSecretFile(val); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", from, err))
					continue
				}
			}
			apply(s, val, from)
		}
	}
	// The variables. An empty variable counts as unset, as compose files
	// and shell scripts often write one.
	for _, name := range l.names {
		s := lookupSetting(name)
		v, ok := lookupEnv(s.envName())
		if s.secret {
			f, fok := lookupEnv(s.envName() + "_FILE")
			if ok && fok {
				errs = append(errs, fmt.Errorf("%s and %s_FILE are both set: set one", s.envName(), s.envName()))
				continue
			}
			if fok {
				if v, err = readSecretFile(f); err != nil {
					errs = append(errs, fmt.Errorf("%s_FILE: %w", s.envName(), err))
					continue
				}
				apply(s, v, origin(s.envName()+"_FILE"))
				continue
			}
		}
		if ok {
			apply(s, v, origin(s.envName()))
		}
	}
	// The flags. A list setting's repeated flags make one list, which
	// replaces the variable's, as every other flag replaces its variable.
	lists := map[*setting][]string{}
	for _, g := range l.given {
		switch {
		case g.file:
			from := origin("--" + g.s.name + "-file")
			v, err := readSecretFile(g.value)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", from, err))
				continue
			}
			apply(g.s, v, from)
		case g.s.kind == list:
			lists[g.s] = append(lists[g.s], g.value)
		default:
			apply(g.s, g.value, origin("--"+g.s.name))
		}
	}
	for s, vs := range lists {
		apply(s, strings.Join(vs, ","), origin("--"+s.name))
	}
	if len(errs) == 0 {
		errs = append(errs, out.check(l.names)...)
	}
	out.warnings = unknownVariables()
	if len(errs) > 0 {
		return nil, nil, usageError{errors.Join(errs...)}
	}
	return out, pos, nil
}

// check returns each combination of settings that cannot work, naming
// the settings and where their values came from.
func (c *loaded) check(names []string) []error {
	var errs []error
	has := func(name string) bool { return slices.Contains(names, name) }
	from := func(name string) string {
		if o, ok := c.origins[name]; ok && o != "default" {
			return string(o)
		}
		s := lookupSetting(name)
		if s.secret {
			return s.envName() + " (or " + s.envName() + "_FILE)"
		}
		return "--" + name + " (" + s.envName() + ")"
	}
	if has("db-replica") && c.DBReplica != "" && !sqldb.IsPostgres(c.DB) {
		errs = append(errs, fmt.Errorf("%s: a read replica is for a PostgreSQL database, and %s is a SQLite file", from("db-replica"), from("db")))
	}
	if has("metrics-addr") && c.MetricsAddr != "" && c.MetricsAddr == c.Addr {
		errs = append(errs, fmt.Errorf("%s and %s are the same address: give the metrics a listener of their own, or use --metrics", from("metrics-addr"), from("addr")))
	}
	if has("backup-dir") && c.BackupDir == "" && (c.BackupEvery != 0 || c.BackupKeep != 0) {
		errs = append(errs, fmt.Errorf("%s and %s: there are no scheduled backups without %s", from("backup-every"), from("backup-keep"), from("backup-dir")))
	}
	if has("backup-dir") && c.BackupDir != "" && sqldb.IsPostgres(c.DB) {
		errs = append(errs, fmt.Errorf("%s: scheduled backups are of a SQLite database, and %s is PostgreSQL: back it up with its own tools (pg_dump, pg_basebackup)", from("backup-dir"), from("db")))
	}
	if has("smtp-host") && c.SMTP.Host != "" {
		if err := c.SMTP.Check(); err != nil {
			errs = append(errs, fieldErrors(err, "the mail server "+from("smtp-host"), map[string]string{
				"host": "smtp-host", "port": "smtp-port", "security": "smtp-security",
				"username": "smtp-username", "password": "smtp-password", "from": "mail-from",
			}, from)...)
		}
	}
	if has("imap-addr") && c.IMAP.Addr != "" {
		if err := c.IMAP.Check(); err != nil {
			errs = append(errs, fieldErrors(err, "the feedback mailbox "+from("imap-addr"), map[string]string{
				"addr": "imap-addr", "security": "imap-security", "username": "imap-username",
				"password": "imap-password", "mailbox": "imap-mailbox", "interval": "imap-interval",
				"processor": "", // made by app.New, not a setting
			}, from)...)
		}
	}
	if has("oidc-issuer") && c.OIDCIssuer != "" {
		for name, v := range map[string]string{"oidc-client-id": c.OIDCClientID, "oidc-client-secret": c.OIDCClientSecret, "oidc-redirect-url": c.OIDCRedirectURL} {
			if v == "" {
				errs = append(errs, fmt.Errorf("%s: single sign-on (%s) needs it", from(name), from("oidc-issuer")))
			}
		}
	}
	if has("secure-cookies") && c.SecureCookies && c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err == nil && u.Scheme == "http" && !isLoopbackURL(u) {
			errs = append(errs, fmt.Errorf("%s and %s: browsers do not send Secure cookies to an http:// address, so nobody could stay signed in; use https://", from("secure-cookies"), from("base-url")))
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}

// fieldErrors turns a package's invalid-input error into one error per
// field, each naming the setting it comes from.
func fieldErrors(err error, what string, names map[string]string, from func(string) string) []error {
	var ce *complaint.Error
	if !errors.As(err, &ce) || len(ce.Fields) == 0 {
		return []error{fmt.Errorf("%s: %w", what, err)}
	}
	var errs []error
	for field, problem := range ce.Fields {
		name, ok := names[field]
		if ok && name == "" {
			continue
		}
		if !ok {
			errs = append(errs, fmt.Errorf("%s: %s %s", what, field, problem))
			continue
		}
		errs = append(errs, fmt.Errorf("%s: %s, for %s", from(name), problem, what))
	}
	return errs
}

// lookupEnv returns a variable, trimmed, if it is set and not empty.
func lookupEnv(name string) (string, bool) {
	v, ok := os.LookupEnv(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// readSecretFile reads a secret from a file, as container and systemd
// secrets are given, without its trailing newline.
func readSecretFile(name string) (string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// otherVariables are the REDRESS_* variables that are not settings: they
// belong to the tests, bench and the clock's test build.
var otherVariables = []string{"REDRESS_CONFIG", "REDRESS_BENCH_TOKEN", "REDRESS_BENCH_DB", "REDRESS_CLOCK_SKEW",
	"REDRESS_CHROMIUM", "REDRESS_PG_BIN", "REDRESS_TEST_STORE", "REDRESS_TEST_RUN_MAIN", "REDRESS_PGSERVER_ORPHAN_CHILD",
	"REDRESS_REQUIRE_CHROMIUM", "REDRESS_REQUIRE_POPPLER", "REDRESS_REQUIRE_POSTGRES", "REDRESS_BROWSER_TESTS"}

// unknownVariables returns a warning for each REDRESS_* variable that is
// not a setting, such as REDRESS_SMPT_HOST, which would otherwise be
// silently ignored.
func unknownVariables() []string {
	known := map[string]bool{}
	for _, v := range otherVariables {
		known[v] = true
	}
	for _, s := range settings {
		known[s.envName()] = true
		if s.secret {
			known[s.envName()+"_FILE"] = true
		}
	}
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "REDRESS_") && !known[name] {
			out = append(out, name+" is not a setting Redress knows, and is ignored")
		}
	}
	sort.Strings(out)
	return out
}

// fileValue is one key of the configuration file.
type fileValue struct {
	key, value string
	line       int
}

// setting returns the setting a key names, and whether it is a secret's
// -file key; nil if it names none.
func (v fileValue) setting() (*setting, bool) {
	for i := range settings {
		s := &settings[i]
		if v.key == s.name {
			return s, false
		}
		if s.secret && v.key == s.name+"-file" {
			return s, true
		}
	}
	return nil, false
}

// readConfigFile reads a YAML mapping of setting names to values: text,
// numbers and true or false, or a sequence for a list setting.
func readConfigFile(name string) ([]fileValue, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // an empty file sets nothing
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s line %d: want settings as name: value lines", name, m.Line)
	}
	var out []fileValue
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if prev, ok := seen[k.Value]; ok {
			return nil, fmt.Errorf("%s line %d: %s is set again (first on line %d)", name, k.Line, k.Value, prev)
		}
		seen[k.Value] = k.Line
		fv := fileValue{key: k.Value, line: k.Line}
		switch v.Kind {
		case yaml.ScalarNode:
			fv.value = v.Value
		case yaml.SequenceNode:
			var items []string
			for _, it := range v.Content {
				if it.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s line %d (%s): want a list of values", name, it.Line, k.Value)
				}
				items = append(items, it.Value)
			}
			if s, _ := fv.setting(); s != nil && s.kind != list {
				return nil, fmt.Errorf("%s line %d (%s): takes one value, not a list", name, v.Line, k.Value)
			}
			fv.value = strings.Join(items, ",")
		default:
			return nil, fmt.Errorf("%s line %d (%s): want a value or a list of values", name, v.Line, k.Value)
		}
		out = append(out, fv)
	}
	return out, nil
}
