package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/app"
)

// TestServeSettingsThatDoNotParseStopStartUp sets each typed setting,
// from the environment or a flag, to something that does not parse or is
// out of range: every one is an error naming the variable or the flag,
// never a silent default (REDRESS_SECURE_COOKIES=yes used to mean
// cookies without Secure).
func TestServeSettingsThatDoNotParseStopStartUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string // all in the error
	}{
		{"secure cookies: yes", map[string]string{"REDRESS_SECURE_COOKIES": "yes"}, nil, []string{"REDRESS_SECURE_COOKIES", `"yes" is not true or false`}},
		{"secure cookies: on", map[string]string{"REDRESS_SECURE_COOKIES": "on"}, nil, []string{"REDRESS_SECURE_COOKIES"}},
		{"no migrate", map[string]string{"REDRESS_NO_MIGRATE": "enabled"}, nil, []string{"REDRESS_NO_MIGRATE"}},
		{"no notices", map[string]string{"REDRESS_NO_NOTICES": "nope"}, nil, []string{"REDRESS_NO_NOTICES"}},
		{"smtp port", map[string]string{"REDRESS_SMTP_PORT": "25x"}, nil, []string{"REDRESS_SMTP_PORT", "not a whole number"}},
		{"smtp port out of range", map[string]string{"REDRESS_SMTP_PORT": "70000"}, nil, []string{"REDRESS_SMTP_PORT", "not a port number"}},
		{"digest hour", map[string]string{"REDRESS_DIGEST_HOUR": "7am"}, nil, []string{"REDRESS_DIGEST_HOUR"}},
		{"digest hour out of range", map[string]string{"REDRESS_DIGEST_HOUR": "24"}, nil, []string{"REDRESS_DIGEST_HOUR", "not an hour"}},
		{"imap interval", map[string]string{"REDRESS_IMAP_INTERVAL": "5 minutes"}, nil, []string{"REDRESS_IMAP_INTERVAL", "not a duration"}},
		{"imap interval too short", map[string]string{"REDRESS_IMAP_INTERVAL": "10ms"}, nil, []string{"REDRESS_IMAP_INTERVAL", "too short"}},
		{"two bad variables, both named", map[string]string{"REDRESS_SECURE_COOKIES": "yes", "REDRESS_NO_NOTICES": "y"}, nil, []string{"REDRESS_SECURE_COOKIES", "REDRESS_NO_NOTICES"}},
		{"a bad variable under a good flag", map[string]string{"REDRESS_SECURE_COOKIES": "yes"}, []string{"--secure-cookies"}, []string{"REDRESS_SECURE_COOKIES"}},
		{"flag: secure cookies", nil, []string{"--secure-cookies=yes"}, []string{"secure-cookies"}},
		{"flag: smtp port", nil, []string{"--smtp-port", "submission"}, []string{"smtp-port"}},
		{"flag: smtp port out of range", nil, []string{"--smtp-port", "-1"}, []string{"--smtp-port", "not a port number"}},
		{"flag: digest hour", nil, []string{"--digest-hour", "seven"}, []string{"digest-hour"}},
		{"flag: imap interval", nil, []string{"--imap-interval", "often"}, []string{"imap-interval"}},
		{"flag: imap interval too short", nil, []string{"--imap-interval", "0s"}, []string{"--imap-interval", "too short"}},
		{"trusted proxies", map[string]string{"REDRESS_TRUSTED_PROXIES": "10.0.0.0/8, 10.0.0.0/33"}, nil, []string{"REDRESS_TRUSTED_PROXIES", "10.0.0.0/33"}},
		{"a bad trusted proxy variable under a good flag", map[string]string{"REDRESS_TRUSTED_PROXIES": "proxy.internal"}, []string{"--trusted-proxy", "10.0.0.1"}, []string{"REDRESS_TRUSTED_PROXIES", "proxy.internal"}},
		{"flag: trusted proxy", nil, []string{"--trusted-proxy", "10.0.0.1", "--trusted-proxy", "proxy.internal"}, []string{"trusted-proxy", "proxy.internal"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var cfg app.Config
			err := serveConfig(tc.args, &cfg)
			if err == nil {
				t.Fatalf("accepted: secure cookies %v, smtp port %d, digest hour %d, interval %s", cfg.SecureCookies, cfg.SMTP.Port, cfg.DigestHour, cfg.IMAP.Interval)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\ndoes not say %q", err, w)
				}
			}
		})
	}
}

func TestServeSettingsComeFromTheEnvironmentAndFlagsWin(t *testing.T) {
	t.Setenv("REDRESS_SECURE_COOKIES", "true")
	t.Setenv("REDRESS_NO_NOTICES", " 1 ")
	t.Setenv("REDRESS_NO_MIGRATE", "") // empty is unset
	t.Setenv("REDRESS_SMTP_PORT", "2525")
	t.Setenv("REDRESS_DIGEST_HOUR", "8")
	t.Setenv("REDRESS_IMAP_INTERVAL", "90s")
	var cfg app.Config
	if err := serveConfig(nil, &cfg); err != nil {
		t.Fatal(err)
	}
	if !cfg.SecureCookies || !cfg.NoNotices || cfg.NoMigrate || cfg.SMTP.Port != 2525 || cfg.DigestHour != 8 || cfg.IMAP.Interval != 90*time.Second {
		t.Errorf("from the environment: %+v", cfg)
	}
	cfg = app.Config{}
	if err := serveConfig([]string{"--secure-cookies=false", "--smtp-port", "587", "--digest-hour", "6", "--imap-interval", "2m"}, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.SecureCookies || cfg.SMTP.Port != 587 || cfg.DigestHour != 6 || cfg.IMAP.Interval != 2*time.Minute {
		t.Errorf("flags over the environment: %+v", cfg)
	}
}

// TestTrustedProxiesComeFromTheEnvironmentOrRepeatedFlags reads the
// proxies as a comma-separated variable, or as flags, repeated or
// comma-separated, which replace the variable's list; none is the
// default.
func TestTrustedProxiesComeFromTheEnvironmentOrRepeatedFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"none by default", "", nil, "[]"},
		{"the variable, comma-separated", "10.0.0.0/8, 192.0.2.7", nil, "[10.0.0.0/8 192.0.2.7/32]"},
		{"flags, repeated and comma-separated", "", []string{"--trusted-proxy", "10.0.0.0/8", "--trusted-proxy=2001:db8::/32,192.0.2.7"}, "[10.0.0.0/8 2001:db8::/32 192.0.2.7/32]"},
		{"flags replace the variable", "10.0.0.0/8", []string{"--trusted-proxy", "172.16.0.0/12"}, "[172.16.0.0/12]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("REDRESS_TRUSTED_PROXIES", tt.env)
			var cfg app.Config
			if err := serveConfig(tt.args, &cfg); err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(cfg.TrustedProxies); got != tt.want {
				t.Errorf("%s, want %s", got, tt.want)
			}
		})
	}
}

// serveRefusalBound is how long a serve refused at start-up may take to
// return: generous, as it only reads its settings, but short enough that a
// server that started after all fails the test rather than hanging it.
const serveRefusalBound = 30 * time.Second

// TestServeWithSecureCookiesYesExitsNamingIt runs `redress serve` as main
// does, with REDRESS_SECURE_COOKIES=yes: it exits 2 naming the variable
// before it opens the database or listens.
func TestServeWithSecureCookiesYesExitsNamingIt(t *testing.T) {
	t.Setenv("REDRESS_SECURE_COOKIES", "yes")
	db := storeUnderTest(t)
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := redress(t, "serve", "--db", db, "--addr", "127.0.0.1:0")
		done <- result{code, stderr}
	}()
	var code int
	var stderr string
	select {
	case r := <-done:
		code, stderr = r.code, r.stderr
	case <-time.After(serveRefusalBound):
		t.Fatalf("redress serve was still running %s after starting with REDRESS_SECURE_COOKIES=yes", serveRefusalBound)
	}
	if code != exitUsage || !strings.Contains(stderr, "REDRESS_SECURE_COOKIES") || !strings.Contains(stderr, `"yes"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the database was opened: %v", err)
	}
}
