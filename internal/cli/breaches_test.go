package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/app"
)

// TestServeRefusesAPolicyThatBreachesTheCodeWithoutTheAcknowledgement
// runs the real serve command: greatwell-homes breaches the Code (6.5,
// 6.16), so serve stops, listing the breaches and naming the flag and the
// variable that accept them. With either, start-up gets past the policy
// and logs each breach; the test then makes serve stop just after, at a
// holidays file that is not there, so that it need not be signalled. (An
// address already taken no longer serves: serve binds it before anything
// else, policy included.)
func TestServeRefusesAPolicyThatBreachesTheCodeWithoutTheAcknowledgement(t *testing.T) {
	db := storeUnderTest(t)
	code, _, errs := redress(t, "serve", "--policy", "greatwell-homes", "--db", db, "--addr", "127.0.0.1:0", "--no-notices")
	if code == 0 {
		t.Fatal("serve started with breaches unacknowledged")
	}
	for _, w := range []string{"--accept-policy-breaches", "REDRESS_ACCEPT_POLICY_BREACHES", "Code 6.5, stage 1 extension", "Code 6.16, stage 2 extension"} {
		if !strings.Contains(errs, w) {
			t.Errorf("serve's error does not say %q:\n%s", w, errs)
		}
	}

	missing := filepath.Join(t.TempDir(), "no-such-holidays.json")
	for name, tc := range map[string]struct {
		env  string
		args []string
	}{
		"flag":     {"", []string{"--accept-policy-breaches"}},
		"variable": {"true", nil},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("REDRESS_ACCEPT_POLICY_BREACHES", tc.env)
			args := append([]string{"serve", "--policy", "greatwell-homes", "--db", db, "--addr", "127.0.0.1:0", "--no-notices", "--holidays", missing}, tc.args...)
			code, _, errs := redress(t, args...)
			if code == 0 || !strings.Contains(errs, "holidays file") {
				t.Fatalf("want serve to get past the policy and stop at the holidays file; exit %d:\n%s", code, errs)
			}
			if n := strings.Count(errs, "level=WARN msg=\"the policy breaches the Complaint Handling Code\""); n != 2 {
				t.Errorf("%d breaches logged, want 2:\n%s", n, errs)
			}
		})
	}
}

// TestAcceptPolicyBreachesSetting: the acknowledgement is off unless set,
// comes from the flag or the environment, and a value that does not parse
// stops start-up naming the setting rather than being taken as false.
func TestAcceptPolicyBreachesSetting(t *testing.T) {
	var cfg app.Config
	if err := serveConfig(nil, &cfg); err != nil || cfg.AcceptPolicyBreaches {
		t.Errorf("by default: accepted %v, %v", cfg.AcceptPolicyBreaches, err)
	}
	t.Setenv("REDRESS_ACCEPT_POLICY_BREACHES", "true")
	cfg = app.Config{}
	if err := serveConfig(nil, &cfg); err != nil || !cfg.AcceptPolicyBreaches {
		t.Errorf("REDRESS_ACCEPT_POLICY_BREACHES=true: accepted %v, %v", cfg.AcceptPolicyBreaches, err)
	}
	cfg = app.Config{}
	if err := serveConfig([]string{"--accept-policy-breaches=false"}, &cfg); err != nil || cfg.AcceptPolicyBreaches {
		t.Errorf("the flag does not win: accepted %v, %v", cfg.AcceptPolicyBreaches, err)
	}
	for _, tc := range []struct {
		env, flag, want string
	}{
		{"yes", "", "REDRESS_ACCEPT_POLICY_BREACHES"},
		{"", "--accept-policy-breaches=yes", "accept-policy-breaches"},
	} {
		t.Setenv("REDRESS_ACCEPT_POLICY_BREACHES", tc.env)
		var args []string
		if tc.flag != "" {
			args = []string{tc.flag}
		}
		cfg = app.Config{}
		err := serveConfig(args, &cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("env %q flag %q: %v, want an error naming %s", tc.env, tc.flag, err, tc.want)
		}
	}
}
