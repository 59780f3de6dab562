// Package cli is Redress's command line: it parses arguments, calls the
// domain packages and prints their answers. It holds no rules of its own,
// so the product and the command line can never disagree.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
)

// Exit codes. A compliance breach is not a usage error: scripts can tell
// "the policy is non-compliant" (1) from "the input was unusable" (2).
const (
	exitOK     = 0
	exitBreach = 1
	exitUsage  = 2
)

// usageError marks an error as the caller's: bad flags or unusable input.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

const usage = `Redress: complaints handling for social housing landlords.

Usage:
  redress serve [--config FILE] [--addr 127.0.0.1:8080] [--db redress.db]
                [--policy NAME_OR_FILE] [--demo] [--SETTING VALUE ...]
  redress config check [--config FILE] [--SETTING VALUE ...]
  redress migrate [--db FILE]
  redress import homes FILE.csv [--dry-run] [--map column=header,...] [--json] [--db FILE]
  redress import homes --template
  redress migrate-store --from FILE --to postgres://...
  redress audit verify [--db FILE] [--json] [--checkpoint LINE ...] [--checkpoints FILE]
  redress audit checkpoint [--db FILE]
  redress backup --out FILE [--db FILE]
  redress restore FILE [--db FILE] [--replace]
  redress export case REFERENCE [--out FILE] [--db FILE]
  redress retention run [--dry-run] [--batch N] [--json] [--policy NAME_OR_FILE] [--db FILE]
  redress export person KEY_OR_EMAIL --out FILE --by EMAIL [--db FILE]
  redress admin create-user --email E --role R [--name N] [--db FILE]
  redress admin reset-password --email E [--db FILE]
  redress deadline --received DATE [--policy NAME_OR_FILE] [--stage 1|2]
                   [--acknowledged DATE] [--responded DATE] [--extension-days N]
                   [--division D] [--holidays FILE] [--json]
  redress policy list
  redress policy show NAME
  redress policy check NAME_OR_FILE [--json]
  redress calendar holidays --division D --year Y [--holidays FILE] [--json]
  redress healthcheck [--url http://127.0.0.1:8080/readyz] [--timeout 5s]
  redress bench [--url http://HOST:PORT --token TOKEN] [--db FILE_OR_URL]
                [--clients 1,8,64] [--duration 10s] [--max-requests N]
                [--mix create=1,command=1,read=4,search=1] [--json]

Every setting of serve comes from, in order, its default, the YAML file
named by --config or REDRESS_CONFIG (name: value lines), its REDRESS_*
variable (REDRESS_SMTP_HOST for smtp-host) and its flag (--smtp-host);
secrets (audit-key, bootstrap-token, smtp-password, imap-password,
oidc-client-secret) come from their variable, from REDRESS_<NAME>_FILE or
from --<name>-file, never from a flag. redress config check prints every
setting, its value and where it came from; the README lists them all.

bench drives a Redress with load and prints each operation's throughput and
latencies: with --url, one already running (its token from --token or
REDRESS_BENCH_TOKEN); without, one it starts itself as serve would, on
--db (an empty database) or on a temporary SQLite database under $TMPDIR,
which should be on the disk the real database uses.

Dates are YYYY-MM-DD, in Europe/London. Divisions are england-and-wales,
scotland and northern-ireland. A holidays file is in the format of
https://www.gov.uk/bank-holidays.json and replaces the years it lists.
`

// Main runs the command line with args (without the program name) and
// returns the process's exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	err := run(args, stdout, stderr)
	if err == nil {
		return exitOK
	}
	var b breachError
	if errors.As(err, &b) {
		return exitBreach
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "redress: %v\n", err)
	return exitUsage
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch args[0] {
	case "serve":
		return serveCmd(args[1:], stdout, stderr)
	case "import":
		return importCmd(args[1:], stdout, stderr)
	case "config":
		return configCmd(args[1:], stdout)
	case "migrate-store":
		return migrateStoreCmd(args[1:], stdout, stderr)
	case "migrate":
		return migrateCmd(args[1:], stdout)
	case "audit":
		return auditCmd(args[1:], stdout)
	case "backup":
		return backupCmd(args[1:], stdout)
	case "restore":
		return restoreCmd(args[1:], stdout)
	case "export":
		return exportCmd(args[1:], stdout)
	case "retention":
		return retentionCmd(args[1:], stdout, stderr)
	case "admin":
		return adminCmd(args[1:], stdout)
	case "deadline":
		return deadlineCmd(args[1:], stdout)
	case "policy":
		return policyCmd(args[1:], stdout)
	case "calendar":
		return calendarCmd(args[1:], stdout)
	case "bench":
		return benchCmd(args[1:], stdout, stderr)
	case "healthcheck":
		return healthcheckCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usagef("unknown command %q; run redress help", args[0])
}

// parse parses flags that may come before, between or after positional
// arguments, as people type them, and returns the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// holidays returns the built-in bank holidays, updated from file if one
// is named.
func holidays(file string) (*calendar.Holidays, error) {
	if file == "" {
		return calendar.BuiltIn(), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, usagef("--holidays: %v", err)
	}
	defer f.Close()
	h, err := calendar.BuiltIn().WithFile(f)
	if err != nil {
		return nil, usagef("--holidays %s: %v", file, err)
	}
	return h, nil
}

// dateFlag parses a YYYY-MM-DD flag value, naming the flag on error.
func dateFlag(name, value string) (calendar.Date, error) {
	if value == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(strings.TrimSpace(value))
	if err != nil {
		return calendar.Date{}, usagef("--%s: %v", name, err)
	}
	return d, nil
}
