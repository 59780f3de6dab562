package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/redresshq/redress/internal/policy"
)

// breachError reports a failed check (a policy breaching the Code, or a
// broken audit trail): exit code 1, with the findings already printed.
type breachError struct{}

func (breachError) Error() string { return "the policy breaches the Code" }

func policyCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("policy needs a subcommand: list, show or check")
	}
	switch args[0] {
	case "list":
		for _, name := range policy.Presets() {
			p, err := policy.Preset(name)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%-22s %s\n", name, p.Title)
		}
		return nil
	case "show":
		fs := flag.NewFlagSet("policy show", flag.ContinueOnError)
		pos, err := parse(fs, args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usagef("policy show takes one preset name")
		}
		data, err := policy.PresetYAML(pos[0])
		if err != nil {
			return usageError{err}
		}
		_, err = stdout.Write(data)
		return err
	case "check":
		return policyCheck(args[1:], stdout)
	}
	return usagef("unknown policy subcommand %q: want list, show or check", args[0])
}

func policyCheck(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("policy check", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("policy check takes one preset name or policy file")
	}
	p, err := policy.Open(pos[0])
	if err != nil {
		var inv *policy.InvalidError
		if *asJSON && errors.As(err, &inv) {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(map[string]any{"policy": pos[0], "valid": false, "errors": inv.Fields})
		}
		return usageError{err}
	}
	findings := policy.Check(p)
	breach := policy.HasBreach(findings)
	if *asJSON {
		if findings == nil {
			findings = []policy.Finding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"policy": p.Name, "valid": true, "breach": breach, "findings": findings}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "%s: %s\n", p.Name, p.Title)
		if len(findings) == 0 {
			fmt.Fprintln(stdout, "No findings: the policy meets the Complaint Handling Code (2024).")
		} else {
			for _, f := range findings {
				fmt.Fprintf(stdout, "\n%-7s  %-8s  %s\n", f.Severity, f.Provision, f.Step)
				fmt.Fprintf(stdout, "%18s policy: %s\n", "", f.Policy)
				fmt.Fprintf(stdout, "%18s Code:   %s\n", "", f.Code)
				fmt.Fprintf(stdout, "%18s %s\n", "", f.Message)
			}
			n := map[policy.Severity]int{}
			for _, f := range findings {
				n[f.Severity]++
			}
			fmt.Fprintf(stdout, "\n%d breaches, %d warnings, %d notes\n", n[policy.Breach], n[policy.Warning], n[policy.Note])
		}
	}
	if breach {
		return breachError{}
	}
	return nil
}
