package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestAPolicyThatBreachesTheCodeIsNotServedSilently: a policy whose
// compliance check finds a breach stops start-up, with a message listing
// each breach and naming the setting that accepts them; with the setting
// Redress starts and logs each breach as a warning. A policy without a
// breach starts as it always did, logging none.
func TestAPolicyThatBreachesTheCodeIsNotServedSilently(t *testing.T) {
	for _, name := range policy.Presets() {
		t.Run(name, func(t *testing.T) {
			p, err := policy.Preset(name)
			if err != nil {
				t.Fatal(err)
			}
			var breaches []policy.Finding
			for _, f := range policy.Check(p) {
				if f.Severity == policy.Breach {
					breaches = append(breaches, f)
				}
			}
			db := testdb.DSN(t)

			var logged bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logged, nil))
			a, err := New(context.Background(), Config{DB: db, AuditKey: testdb.AuditKey(), Policy: name}, log)
			if len(breaches) == 0 {
				if err != nil {
					t.Fatalf("a policy without breaches did not start: %v", err)
				}
				a.Close()
				if strings.Contains(logged.String(), "breaches the Complaint Handling Code") {
					t.Errorf("breaches logged for a policy without any:\n%s", logged.String())
				}
				return
			}
			if err == nil {
				a.Close()
				t.Fatalf("started with %d breaches and no acknowledgement", len(breaches))
			}
			msg := err.Error()
			for _, w := range []string{"--accept-policy-breaches", "REDRESS_ACCEPT_POLICY_BREACHES=true", "breaches the Complaint Handling Code"} {
				if !strings.Contains(msg, w) {
					t.Errorf("the error does not say %q:\n%s", w, msg)
				}
			}
			for _, f := range breaches {
				if !strings.Contains(msg, "Code "+f.Provision+", "+f.Step+": "+f.Message) {
					t.Errorf("the error does not list the breach of %s (%s):\n%s", f.Provision, f.Step, msg)
				}
			}

			logged.Reset()
			a, err = New(context.Background(), Config{DB: db, AuditKey: testdb.AuditKey(), Policy: name, AcceptPolicyBreaches: true}, log)
			if err != nil {
				t.Fatalf("with the breaches accepted: %v", err)
			}
			defer a.Close()
			lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
			var warned int
			for _, l := range lines {
				if strings.Contains(l, "level=WARN") && strings.Contains(l, "breaches the Complaint Handling Code") {
					warned++
				}
			}
			if warned != len(breaches) {
				t.Errorf("%d breaches logged as warnings, want %d:\n%s", warned, len(breaches), logged.String())
			}
			for _, f := range breaches {
				if !strings.Contains(logged.String(), "provision="+quoteIfNeeded(f.Provision)) {
					t.Errorf("no warning names provision %s:\n%s", f.Provision, logged.String())
				}
			}
		})
	}
}

// quoteIfNeeded is how slog's text handler writes a value.
func quoteIfNeeded(s string) string {
	if strings.ContainsAny(s, " ,=\"") {
		return `"` + s + `"`
	}
	return s
}
