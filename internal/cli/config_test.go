package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clearSettings unsets every setting's variable for the test, so that a
// developer's own REDRESS_* environment cannot change what it sees.
func clearSettings(t *testing.T) {
	t.Helper()
	for _, s := range settings {
		t.Setenv(s.envName(), "")
		if s.secret {
			t.Setenv(s.envName()+"_FILE", "")
		}
	}
	t.Setenv("REDRESS_CONFIG", "")
}

// writeFile writes a file in the test's directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func loadAll(args ...string) (*loaded, error) {
	l, _, err := newConfig(flag.NewFlagSet("test", flag.ContinueOnError)).load(args)
	return l, err
}

// TestSettingsComeFromDefaultsThenTheFileThenVariablesThenFlags sets each
// kind of setting (text, a number, true or false, a list, a secret) in
// every layer it is given in, and checks that each layer wins over the
// ones before it, and that each value says where it came from.
func TestSettingsComeFromDefaultsThenTheFileThenVariablesThenFlags(t *testing.T) {
	clearSettings(t)
	secretFile := writeFile(t, "smtp-password", "from-a-file\n")
	file := writeFile(t, "redress.yaml", `
# every layer sets some of these
addr: 127.0.0.1:9001
db: /var/lib/redress/file.db
service-name: From the file
digest-hour: 8
secure-cookies: true
trusted-proxy:
  - 10.0.0.0/8
  - 192.0.2.7
safety-contacts: [head.repairs@example.org]
smtp-password-file: `+secretFile+`
imap-interval: 2m
`)
	t.Setenv("REDRESS_DB", "/var/lib/redress/env.db")
	t.Setenv("REDRESS_DIGEST_HOUR", "9")
	t.Setenv("REDRESS_TRUSTED_PROXIES", "172.16.0.0/12")
	t.Setenv("REDRESS_IMAP_PASSWORD", " imap-secret ")
	l, err := loadAll("--config", file, "--digest-hour", "10", "--secure-cookies=false", "--service-name", "From a flag")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want, from string }{
		{"policy", "code-2024", "default"},
		{"smtp-security", "starttls", "default"},
		{"addr", "127.0.0.1:9001", file + " line 3 (addr)"},
		{"imap-interval", "2m0s", file + " line 13 (imap-interval)"},
		{"safety-contacts", "<head.repairs@example.org>", file + " line 11 (safety-contacts)"},
		{"db", "/var/lib/redress/env.db", "REDRESS_DB"},
		{"trusted-proxy", "172.16.0.0/12", "REDRESS_TRUSTED_PROXIES"},
		{"digest-hour", "10", "--digest-hour"},
		{"secure-cookies", "false", "--secure-cookies"},
		{"service-name", "From a flag", "--service-name"},
	} {
		if got := lookupSetting(tc.name).get(&l.Config); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, got, tc.want)
		}
		if got := l.origins[tc.name]; string(got) != tc.from {
			t.Errorf("%s came from %q, want %q", tc.name, got, tc.from)
		}
	}
	if l.SMTP.Password != "from-a-file" || l.origins["smtp-password"] != origin(file+" line 12 (smtp-password-file)") {
		t.Errorf("smtp password %q from %q", l.SMTP.Password, l.origins["smtp-password"])
	}
	if l.IMAP.Password != "imap-secret" {
		t.Errorf("imap password %q: want the variable, trimmed", l.IMAP.Password)
	}

	// A list's flags, repeated or comma-separated, make one list that
	// replaces the variable's and the file's.
	l, err = loadAll("--config", file, "--trusted-proxy", "10.1.0.0/16", "--trusted-proxy=2001:db8::/32,192.0.2.9")
	if err != nil {
		t.Fatal(err)
	}
	if got := lookupSetting("trusted-proxy").get(&l.Config); got != "10.1.0.0/16, 2001:db8::/32, 192.0.2.9/32" {
		t.Errorf("trusted proxies from flags: %s", got)
	}

	// A secret's -file flag wins over its variable.
	other := writeFile(t, "other", "from-the-flag")
	t.Setenv("REDRESS_SMTP_PASSWORD", "from-the-variable")
	if l, err = loadAll("--smtp-password-file", other); err != nil || l.SMTP.Password != "from-the-flag" {
		t.Errorf("--smtp-password-file: %q, %v", l.SMTP.Password, err)
	}
	// REDRESS_CONFIG names the file when --config does not.
	t.Setenv("REDRESS_CONFIG", file)
	if l, err = loadAll(); err != nil || l.Addr != "127.0.0.1:9001" {
		t.Errorf("REDRESS_CONFIG: %+v, %v", l, err)
	}
}

// badValues is a value each setting refuses. Every setting either has one
// here or is in freeText, so that a new setting cannot be added without
// its parse errors being tested.
var badValues = map[string]struct{ value, says string }{
	"addr":                   {"8080", "not host:port"},
	"db":                     {"", "is empty"},
	"db-replica":             {"replica.db", "not a postgres:// URL"},
	"no-migrate":             {"enabled", "not true or false"},
	"demo":                   {"please", "not true or false"},
	"policy":                 {"", "is empty"},
	"accept-policy-breaches": {"yes", "not true or false"},
	"service-name":           {"", "is empty"},
	"base-url":               {"complaints.example.org", "not an address"},
	"secure-cookies":         {"on", "not true or false"},
	"trusted-proxy":          {"10.0.0.0/33", "10.0.0.0/33"},
	"bootstrap-token":        {"too-short", "at least 32"},
	"oidc-issuer":            {"http://login.example.org", "not an https:// issuer"},
	"smtp-port":              {"70000", "not a port number"},
	"smtp-security":          {"ssl", "not one of starttls, tls, none"},
	"mail-from":              {"complaints at example.org", "not an address"},
	"imap-addr":              {"imap.example.org", "not host:port"},
	"imap-security":          {"ssl", "not one of tls, starttls, none"},
	"imap-mailbox":           {"", "is empty"},
	"imap-interval":          {"10ms", "too short"},
	"feedback-address":       {"complaints", "not an email address"},
	"no-notices":             {"nope", "not true or false"},
	"digest-hour":            {"24", "not an hour from 1 to 23"},
	"safety-contacts":        {"head of repairs", "want addresses"},
	"backup-every":           {"5s", "too often"},
	"metrics":                {"maybe", "not true or false"},
	"retention":              {"sometimes", "not true or false"},
	"metrics-addr":           {"9090", "not host:port"},
	"backup-keep":            {"0", "not a number of backups from 1 to 1000"},
}

// freeText are the settings any text is a value of (a file's name is
// checked when the file is opened).
var freeText = []string{"holidays", "emergency-contact", "audit-key", "oidc-client-id", "oidc-client-secret",
	"oidc-redirect-url", "oidc-name", "smtp-host", "smtp-username", "smtp-password", "imap-username",
	"imap-password", "imap-move-to", "backup-dir"}

// TestEverySettingThatDoesNotParseStopsStartUpNamingWhereItCameFrom gives
// each setting a value it refuses, from the file, a variable and a flag in
// turn: each is an error naming the setting's source (the file and line,
// the variable or the flag) and the reason.
func TestEverySettingThatDoesNotParseStopsStartUpNamingWhereItCameFrom(t *testing.T) {
	for _, s := range settings {
		_, bad := badValues[s.name]
		free := false
		for _, f := range freeText {
			free = free || f == s.name
		}
		if bad == free {
			t.Errorf("setting %s: give it a bad value in badValues or list it in freeText (not both)", s.name)
		}
	}
	for name, bad := range badValues {
		s := lookupSetting(name)
		t.Run(name, func(t *testing.T) {
			layers := []struct {
				layer string
				setup func(t *testing.T) []string
				names string
			}{
				{"file", func(t *testing.T) []string {
					key := s.name
					if s.secret {
						key += "-file"
					}
					return []string{"--config", writeFile(t, "c.yaml", "# the one bad value\n"+key+": "+yamlValue(t, s, bad.value)+"\n")}
				}, "c.yaml line 2 (" + s.name},
				{"variable", func(t *testing.T) []string {
					if s.secret {
						t.Setenv(s.envName()+"_FILE", writeFile(t, "secret", bad.value))
					} else {
						t.Setenv(s.envName(), bad.value)
					}
					return nil
				}, s.envName()},
				{"flag", func(t *testing.T) []string {
					if s.secret {
						return []string{"--" + s.name + "-file", writeFile(t, "secret", bad.value)}
					}
					return []string{"--" + s.name + "=" + bad.value}
				}, "--" + s.name},
			}
			for _, layer := range layers {
				t.Run(layer.layer, func(t *testing.T) {
					clearSettings(t)
					if layer.layer == "variable" && bad.value == "" {
						// An empty variable counts as unset, as compose
						// files write them: the default stands.
						l, err := loadAll(layer.setup(t)...)
						if err != nil || l.origins[s.name] != "default" || s.get(&l.Config) != s.def {
							t.Fatalf("empty %s: %v, from %q", s.envName(), err, l.origins[s.name])
						}
						return
					}
					_, err := loadAll(layer.setup(t)...)
					if err == nil {
						t.Fatalf("%s %q accepted", layer.names, bad.value)
					}
					for _, want := range []string{layer.names, bad.says} {
						if !strings.Contains(err.Error(), want) {
							t.Errorf("%v\ndoes not say %q", err, want)
						}
					}
				})
			}
		})
	}
}

// yamlValue writes v as the file would hold it: a secret's file name, or
// the value quoted.
func yamlValue(t *testing.T, s *setting, v string) string {
	if s.secret {
		return writeFile(t, "secret", v)
	}
	return `"` + v + `"`
}

// TestConfigurationFileMistakesStopStartUpNamingTheLine covers the file's
// own mistakes: each names the file and the line.
func TestConfigurationFileMistakesStopStartUpNamingTheLine(t *testing.T) {
	clearSettings(t)
	for _, tc := range []struct{ name, content, want string }{
		{"an unknown key", "addr: 127.0.0.1:8080\nsmpt-host: mail.example.org\n", `line 2: "smpt-host" is not a setting`},
		{"a key twice", "addr: 127.0.0.1:8080\naddr: 127.0.0.1:8081\n", "line 2: addr is set again (first on line 1)"},
		{"a list for one value", "addr:\n  - 127.0.0.1:8080\n", "line 2 (addr): takes one value, not a list"},
		{"a mapping for a value", "smtp-host:\n  name: mail\n", "line 2 (smtp-host): want a value or a list"},
		{"not a mapping", "- addr\n", "line 1: want settings as name: value lines"},
		{"not YAML", "addr: [127.0.0.1\n", "yaml"},
		{"a secret file that is missing", "smtp-password-file: /nonexistent/secret\n", "line 1 (smtp-password-file)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := writeFile(t, "redress.yaml", tc.content)
			_, err := loadAll("--config", f)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), f) {
				t.Errorf("got %v, want the file's name and %q", err, tc.want)
			}
		})
	}
	if _, err := loadAll("--config", "/nonexistent/redress.yaml"); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("a missing file: %v", err)
	}
	if l, err := loadAll("--config", writeFile(t, "empty.yaml", "# nothing set yet\n")); err != nil || l.Addr != "127.0.0.1:8080" {
		t.Errorf("an empty file: %v", err)
	}
	t.Setenv("REDRESS_SMTP_PASSWORD", "one")
	t.Setenv("REDRESS_SMTP_PASSWORD_FILE", writeFile(t, "two", "two"))
	if _, err := loadAll(); err == nil || !strings.Contains(err.Error(), "REDRESS_SMTP_PASSWORD and REDRESS_SMTP_PASSWORD_FILE are both set") {
		t.Errorf("a secret set twice: %v", err)
	}
}

// TestSettingsThatCannotWorkTogetherStopStartUp checks combinations each
// setting alone accepts.
func TestSettingsThatCannotWorkTogetherStopStartUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"a replica of a SQLite file", []string{"--db", "redress.db", "--db-replica", "postgres://replica/redress"}, []string{"--db-replica", "SQLite"}},
		{"a mail server with no From", []string{"--smtp-host", "mail.example.org"}, []string{"--mail-from (REDRESS_MAIL_FROM): is required, for the mail server --smtp-host"}},
		{"plain text to another machine", []string{"--smtp-host", "mail.example.org", "--mail-from", "c@example.org", "--smtp-security", "none"}, []string{"--smtp-security: none sends mail and passwords in plain text"}},
		{"a mail login with no password", []string{"--smtp-host", "mail.example.org", "--mail-from", "c@example.org", "--smtp-username", "redress"}, []string{"REDRESS_SMTP_PASSWORD (or REDRESS_SMTP_PASSWORD_FILE): is required"}},
		{"a mailbox with no login", []string{"--imap-addr", "imap.example.org:993"}, []string{"--imap-username (REDRESS_IMAP_USERNAME): is required"}},
		{"single sign-on half set", []string{"--oidc-issuer", "https://login.example.org", "--oidc-client-id", "redress"}, []string{"REDRESS_OIDC_CLIENT_SECRET", "--oidc-redirect-url", "single sign-on (--oidc-issuer)"}},
		{"backups kept with nowhere to keep them", []string{"--backup-keep", "3"}, []string{"--backup-keep", "no scheduled backups without --backup-dir (REDRESS_BACKUP_DIR)"}},
		{"scheduled backups of PostgreSQL", []string{"--db", "postgres://db/redress", "--backup-dir", "/var/backups/redress"}, []string{"--backup-dir", "pg_dump"}},
		{"metrics on the main address", []string{"--addr", "127.0.0.1:8080", "--metrics-addr", "127.0.0.1:8080"}, []string{"are the same address"}},
		{"Secure cookies over http", []string{"--secure-cookies", "--base-url", "http://complaints.example.org"}, []string{"--secure-cookies and --base-url", "https://"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearSettings(t)
			_, err := loadAll(tc.args...)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\ndoes not say %q", err, w)
				}
			}
		})
	}
	clearSettings(t)
	if _, err := loadAll("--secure-cookies", "--base-url", "http://127.0.0.1:8080", "--smtp-host", "127.0.0.1", "--smtp-security", "none", "--mail-from", "c@example.org"); err != nil {
		t.Errorf("a trial on one machine: %v", err)
	}
}

// TestConfigCheckPrintsTheEffectiveConfigurationWithSecretsMasked runs
// `redress config check` as an operator would: every setting with where
// it came from, no secret and no database password in the output, a
// warning for a mistyped variable, and exit 2 for what serve would refuse.
func TestConfigCheckPrintsTheEffectiveConfigurationWithSecretsMasked(t *testing.T) {
	clearSettings(t)
	t.Setenv("REDRESS_SMTP_PASSWORD", "hunter2-smtp")
	t.Setenv("REDRESS_AUDIT_KEY", "a-very-secret-audit-key-of-some-length")
	t.Setenv("REDRESS_DB", "postgres://redress:pg-pass-word@db.internal/redress?sslmode=require")
	t.Setenv("REDRESS_SMPT_HOST", "mail.example.org")
	code, out, errs := redress(t, "config", "check", "--smtp-host", "mail.example.org", "--smtp-username", "redress", "--mail-from", "Complaints <c@example.org>")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, secret := range []string{"hunter2-smtp", "a-very-secret-audit-key", "pg-pass-word"} {
		if strings.Contains(out, secret) {
			t.Errorf("the output shows a secret %q:\n%s", secret, out)
		}
	}
	for name, want := range map[string][]string{
		"smtp-host":     {"mail.example.org", "--smtp-host"},
		"smtp-password": {"(set, not shown)", "REDRESS_SMTP_PASSWORD"},
		"audit-key":     {"(set, not shown)", "REDRESS_AUDIT_KEY"},
		"db":            {"postgres://redress:xxxxx@db.internal/redress?sslmode=require", "REDRESS_DB"},
		"policy":        {"code-2024", "default"},
		"imap-password": {"(not set)"},
		"warning:":      {"REDRESS_SMPT_HOST is not a setting Redress knows"},
	} {
		line := lineOf(out, name)
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("the %s line %q does not say %q:\n%s", name, line, w, out)
			}
		}
	}
	code, _, errs = redress(t, "config", "check", "--digest-hour", "25")
	if code != exitUsage || !strings.Contains(errs, "--digest-hour: 25 is not an hour") {
		t.Errorf("exit %d: %s", code, errs)
	}
	// What serve would open before the database is checked too.
	code, _, errs = redress(t, "config", "check", "--policy", "/nonexistent/policy.yaml")
	if code != exitUsage || !strings.Contains(errs, "/nonexistent/policy.yaml") {
		t.Errorf("a missing policy: exit %d: %s", code, errs)
	}
	code, _, errs = redress(t, "config", "check", "--policy", "greatwell-homes")
	if code != exitUsage || !strings.Contains(errs, "accept-policy-breaches") {
		t.Errorf("a policy in breach: exit %d: %s", code, errs)
	}
}

// TestServeRefusesABadConfigurationFileBeforeOpeningTheDatabase runs
// serve with a file holding a value that does not parse: it exits 2
// naming the line, and never creates the database.
func TestServeRefusesABadConfigurationFileBeforeOpeningTheDatabase(t *testing.T) {
	clearSettings(t)
	db := filepath.Join(t.TempDir(), "redress.db")
	f := writeFile(t, "redress.yaml", "db: "+db+"\naddr: 127.0.0.1:0\nsecure-cookies: yes\n")
	code, _, errs := redress(t, "serve", "--config", f)
	if code != exitUsage || !strings.Contains(errs, "line 3 (secure-cookies)") || !strings.Contains(errs, `"yes" is not true or false`) {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the database was created: %v", err)
	}
}

// TestOtherCommandsReadTheDatabaseFromTheSameConfiguration: migrate
// finds the database the file names, as serve would.
func TestOtherCommandsReadTheDatabaseFromTheSameConfiguration(t *testing.T) {
	clearSettings(t)
	db := filepath.Join(t.TempDir(), "from-file.db")
	f := writeFile(t, "redress.yaml", "db: "+db+"\nsmtp-host: mail.example.org\n")
	code, out, errs := redress(t, "migrate", "--config", f)
	if code != 0 || !strings.Contains(out, db) {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("migrate did not use the file's database: %v", err)
	}
}

// TestREADMEListsEverySetting keeps the README's table of settings the
// one the code makes, so the documentation cannot drift from the code.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), settingsTable()) {
		t.Errorf("README.md's table of settings is not the one the code makes; put this in its place under \"### Settings\":\n\n%s", settingsTable())
	}
}

// lineOf returns the line of out that starts with word and a space.
func lineOf(out, word string) string {
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, word+" ") {
			return line
		}
	}
	return ""
}
