package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/store/testdb"
)

// redress runs the command line in-process, exactly as main does.
func redress(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

// storeUnderTest returns a new database of the run's store for commands
// to be given as --db, and sets the audit key the store needs as an
// operator would: PostgreSQL's in REDRESS_AUDIT_KEY, none for SQLite,
// whose serve makes a key file beside the database.
func storeUnderTest(t *testing.T) string {
	t.Helper()
	if k := testdb.AuditKey(); k != "" {
		t.Setenv("REDRESS_AUDIT_KEY", k)
	}
	return testdb.DSN(t)
}

func deadlineJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := redress(t, append([]string{"deadline", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return m
}

func TestDeadlineCommand(t *testing.T) {
	holidaysFile := filepath.Join(t.TempDir(), "bank-holidays.json")
	// A newly announced holiday on 29 December 2026 in England, in the
	// government's format: the 2026 list is replaced by the file's.
	err := os.WriteFile(holidaysFile, []byte(`{"england-and-wales":{"division":"england-and-wales","events":[
		{"title":"Christmas Day","date":"2026-12-25","notes":"","bunting":true},
		{"title":"Boxing Day","date":"2026-12-28","notes":"Substitute day","bunting":true},
		{"title":"A new holiday","date":"2026-12-29","notes":"","bunting":true}]}}`), 0o600)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		args   []string
		want   map[string]any
		absent []string
	}{
		{"Code stage 1 over Christmas", []string{"--received", "2026-12-21"},
			map[string]any{"policy": "code-2024", "division": "england-and-wales", "stage": 1.0, "received": "2026-12-21", "acknowledge_by": "2026-12-30", "respond_by": "2027-01-14"},
			[]string{"escalate_by", "acknowledged_on_time"}},
		{"acknowledged early", []string{"--policy", "code-2024", "--stage", "1", "--received", "2026-12-21", "--acknowledged", "2026-12-22"},
			map[string]any{"respond_by": "2027-01-08", "acknowledged_on_time": true}, nil},
		{"Scotland", []string{"--received", "2026-12-21", "--division", "scotland"},
			map[string]any{"division": "scotland", "acknowledge_by": "2026-12-30", "respond_by": "2027-01-15"}, nil},
		{"responded: escalate_by empty where the policy sets no window", []string{"--received", "2026-12-01", "--acknowledged", "2026-12-02", "--responded", "2026-12-17"},
			map[string]any{"escalate_by": "", "responded_on_time": false}, nil},
		{"Gentoo window", []string{"--policy", "gentoo", "--received", "2026-12-01", "--acknowledged", "2026-12-02", "--responded", "2026-12-23"},
			map[string]any{"escalate_by": "2027-01-18", "responded_on_time": false}, nil},
		{"28 calendar days", []string{"--policy", "customer-feedback", "--received", "2026-12-01", "--responded", "2026-12-15"},
			map[string]any{"escalate_by": "2027-01-12", "responded_on_time": true}, nil},
		{"extension over the cap", []string{"--received", "2026-12-21", "--acknowledged", "2026-12-22", "--extension-days", "11"},
			map[string]any{"respond_by": "2027-01-25", "respond_by_original": "2027-01-08", "extension_over_cap": true}, nil},
		{"stage 2", []string{"--stage", "2", "--received", "2027-01-04"},
			map[string]any{"stage": 2.0, "acknowledge_by": "2027-01-11", "respond_by": "2027-02-08"}, nil},
		{"stage 2 never has an escalation date", []string{"--policy", "gentoo", "--stage", "2", "--received", "2027-01-04", "--responded", "2027-01-20"},
			map[string]any{"escalate_by": ""}, nil},
		{"7-day stage 2", []string{"--policy", "feedback-policy-2018", "--stage", "2", "--received", "2027-01-04"},
			map[string]any{"respond_by": "2027-01-11"}, nil},
		{"holidays file", []string{"--received", "2026-12-21", "--holidays", holidaysFile},
			map[string]any{"acknowledge_by": "2026-12-31"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deadlineJSON(t, tt.args...)
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
			for _, k := range tt.absent {
				if _, ok := got[k]; ok {
					t.Errorf("%s present: %v", k, got[k])
				}
			}
		})
	}
}

func TestPolicyFileWorksWhereverAPresetDoes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ours.yaml")
	code, yaml, errs := redress(t, "policy", "show", "code-2024")
	if code != 0 {
		t.Fatalf("policy show code-2024: exit %d: %s", code, errs)
	}
	yaml = strings.Replace(yaml, "name: code-2024", "name: ours", 1)
	yaml = strings.Replace(yaml, "division: england-and-wales", "division: northern-ireland\nclosure_days: [2026-12-29]", 1)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	got := deadlineJSON(t, "--policy", file, "--received", "2026-12-21")
	if got["policy"] != "ours" || got["division"] != "northern-ireland" || got["acknowledge_by"] != "2026-12-31" {
		t.Errorf("policy file not used: %v", got)
	}
	if code, out, _ := redress(t, "policy", "check", file); code != 0 || !strings.Contains(out, "No findings") {
		t.Errorf("check of a copy of the Code: exit %d\n%s", code, out)
	}
}

func TestCommandLineErrorsNameTheProblem(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\ntitle: x\ndivision: wales\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"deadline"}, "--received is required"},
		{[]string{"deadline", "--received", "2026-02-30"}, `--received: "2026-02-30" is not a date`},
		{[]string{"deadline", "--received", "2026-12-21", "--acknowledged", "2026-12-20"}, "--acknowledged: 2026-12-20 is before --received"},
		{[]string{"deadline", "--received", "2026-12-21", "--stage", "3"}, "--stage: 3 is not a stage"},
		{[]string{"deadline", "--received", "2026-12-21", "--policy", "nope"}, "--policy: no preset policy \"nope\""},
		{[]string{"deadline", "--received", "2026-12-21", "--division", "wales"}, "--division: \"wales\" is not a division"},
		{[]string{"deadline", "--received", "2026-12-21", "--extension-days", "-1"}, "--extension-days: -1 is negative"},
		{[]string{"deadline", "--received", "2040-12-20", "--stage", "2"}, "bank holidays for england-and-wales in 2041 are not known"},
		{[]string{"deadline", "--received", "2026-12-21", "--holidays", bad}, "--holidays " + bad + ": holidays file: line 1"},
		{[]string{"deadline", "--received", "2026-12-21", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"policy", "check", bad}, "line 3: division: \"wales\" is not a division"},
		{[]string{"policy", "show", "nope"}, "the presets are code-2024"},
		{[]string{"policy"}, "policy needs a subcommand"},
		{[]string{"calendar", "holidays", "--year", "2041"}, "bank holidays for england-and-wales in 2041 are not known (known: 2000 to 2040)"},
		{[]string{"calendar", "holidays", "--division", "wales", "--year", "2026"}, "--division"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		code, out, errs := redress(t, tt.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", tt.args, code)
		}
		if !strings.Contains(errs, tt.want) {
			t.Errorf("%v: stderr %q does not contain %q", tt.args, errs, tt.want)
		}
		if out != "" {
			t.Errorf("%v: printed %q on failure", tt.args, out)
		}
	}
}

func TestPolicyCheckExitCodes(t *testing.T) {
	for name, want := range map[string]int{
		"code-2024": 0, "gentoo": 0, "five-steps": 0,
		"greatwell-homes": 1, "customer-feedback": 1, "feedback-policy-2018": 1,
	} {
		code, out, _ := redress(t, "policy", "check", name, "--json")
		if code != want {
			t.Errorf("%s: exit %d, want %d", name, code, want)
		}
		var res struct {
			Policy   string
			Breach   bool
			Findings []map[string]string
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		if res.Policy != name || res.Breach != (want == 1) || res.Findings == nil {
			t.Errorf("%s: %+v", name, res)
		}
		for _, f := range res.Findings {
			if f["provision"] == "" || f["severity"] == "" || f["step"] == "" {
				t.Errorf("%s: finding without provision, severity or step: %v", name, f)
			}
		}
	}
}

func TestPolicyShowAndList(t *testing.T) {
	code, out, _ := redress(t, "policy", "show", "gentoo")
	if code != 0 || !strings.Contains(out, "# Source: shared/policies/000_af375b7ecc673556.txt") {
		t.Errorf("show gentoo: exit %d\n%s", code, out)
	}
	code, out, _ = redress(t, "policy", "list")
	if code != 0 || strings.Count(out, "\n") != 6 || !strings.HasPrefix(out, "code-2024") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
}

func TestCalendarHolidays(t *testing.T) {
	code, out, _ := redress(t, "calendar", "holidays", "--division", "scotland", "--year", "2026")
	if code != 0 || !strings.Contains(out, "2026-11-30  Monday     St Andrew’s Day") || strings.Count(out, "\n") != 10 {
		t.Errorf("exit %d\n%s", code, out)
	}
	code, out, _ = redress(t, "calendar", "holidays", "--division", "northern-ireland", "--year", "2025", "--json")
	var res struct {
		Holidays []struct{ Date, Title, Notes string }
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || len(res.Holidays) != 10 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if h := res.Holidays[6]; h.Date != "2025-07-14" || h.Notes != "Substitute day" {
		t.Errorf("Boyne 2025 = %+v", h)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"--help"}} {
		if code, out, _ := redress(t, args...); code != 0 || !strings.Contains(out, "redress deadline") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	if code, out, _ := redress(t, "deadline", "-h"); code != 0 || !strings.Contains(out, "--extension-days") {
		t.Errorf("deadline -h: exit %d", code)
	}
}
