package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// auditCmd checks the audit trail, or prints a checkpoint of it for an
// operator to keep outside the database.
func auditCmd(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "verify":
			return auditVerifyCmd(args[1:], stdout)
		case "checkpoint":
			return auditCheckpointCmd(args[1:], stdout)
		}
	}
	return usagef("audit needs a subcommand: verify or checkpoint")
}

// openAudited opens the database, without migrating it, with its audit
// key if one is found (REDRESS_AUDIT_KEY, REDRESS_AUDIT_KEY_FILE, or the
// key file beside the database). It never makes a key: a key made now
// could verify nothing.
func openAudited(cfg *loaded) (*sqldb.DB, store.AuditKey, error) {
	db := cfg.DB
	if err := existingDB(db); err != nil {
		return nil, store.AuditKey{}, err
	}
	key, _, _, err := app.LoadAuditKey(db, cfg.AuditKey, false)
	if err != nil {
		return nil, store.AuditKey{}, usageError{err}
	}
	st, err := sqldb.Open(context.Background(), db, sqldb.Options{NoMigrate: true, AuditKey: key})
	if err != nil {
		return nil, store.AuditKey{}, usageError{err}
	}
	return st, key, nil
}

// stringsFlag is a flag that may be given more than once.
type stringsFlag []string

func (f *stringsFlag) String() string     { return strings.Join(*f, "\n") }
func (f *stringsFlag) Set(v string) error { *f = append(*f, v); return nil }

// auditVerifyCmd checks the chain and every case against its events, and
// the chain against kept checkpoints; any problem exits 1.
func auditVerifyCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	settings := newConfig(fs, "db", "audit-key")
	asJSON := fs.Bool("json", false, "print JSON")
	var lines stringsFlag
	fs.Var(&lines, "checkpoint", "a checkpoint line kept from `redress audit checkpoint` or the log; may be given more than once")
	file := fs.String("checkpoints", "", "a file of kept checkpoint lines (a log will do: lines without a checkpoint are skipped)")
	cfg, _, err := settings.load(args)
	if err != nil {
		return err
	}
	var cps []store.Checkpoint
	for _, l := range lines {
		cp, err := store.ParseCheckpoint(l)
		if err != nil {
			return usagef("--checkpoint: %v", err)
		}
		cps = append(cps, cp)
	}
	if *file != "" {
		kept, err := readCheckpoints(*file)
		if err != nil {
			return err
		}
		cps = append(cps, kept...)
	}
	st, key, err := openAudited(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	rep, err := st.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if len(cps) > 0 {
		problems, err := st.VerifyCheckpoints(ctx, cps)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			rep.OK = false
			rep.Problems = append(rep.Problems, problems...)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			store.AuditReport
			Checkpoints int    `json:"checkpoints"`
			KeyID       string `json:"key_id,omitempty"`
		}{rep, len(cps), key.ID()})
	} else if rep.OK {
		keyed := "no audit key given"
		if !key.IsZero() {
			keyed = "with " + key.String()
		}
		fmt.Fprintf(stdout, "audit trail intact: %d events, hash chain verified (%s); %d cases match what their events record", rep.Events, keyed, rep.Cases)
		if len(cps) > 0 {
			fmt.Fprintf(stdout, "; the chain holds all %d kept checkpoints", len(cps))
		}
		fmt.Fprintln(stdout)
		for _, a := range rep.Anonymised {
			why := "under the retention rule " + a.Rule
			if a.Request != "" {
				why = "on erasure request " + a.Request
			}
			fmt.Fprintf(stdout, "  %s was anonymised on %s %s\n", a.Reference, a.At.Format("2006-01-02"), why)
		}
	} else {
		fmt.Fprintf(stdout, "AUDIT TRAIL BROKEN: %d problems in %d events and %d cases\n", len(rep.Problems), rep.Events, rep.Cases)
		for _, p := range rep.Problems {
			fmt.Fprintln(stdout, "  "+p)
		}
	}
	if !rep.OK {
		return breachError{}
	}
	return nil
}

// readCheckpoints reads every checkpoint in a file of kept lines, such as
// a log, skipping lines that hold none.
func readCheckpoints(name string) ([]store.Checkpoint, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, usagef("--checkpoints: %v", err)
	}
	defer f.Close()
	var cps []store.Checkpoint
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if !strings.Contains(sc.Text(), "redress-audit-checkpoint/") {
			continue
		}
		cp, err := store.ParseCheckpoint(sc.Text())
		if err != nil {
			return nil, usagef("--checkpoints %s line %d: %v", name, n, err)
		}
		cps = append(cps, cp)
	}
	if err := sc.Err(); err != nil {
		return nil, usagef("--checkpoints: %v", err)
	}
	if len(cps) == 0 {
		return nil, usagef("--checkpoints: %s holds no checkpoint", name)
	}
	return cps, nil
}

// auditCheckpointCmd prints the chain's head, signed with the audit key,
// as one line to keep outside the database.
func auditCheckpointCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("audit checkpoint", flag.ContinueOnError)
	cfg, _, err := newConfig(fs, "db", "audit-key").load(args)
	if err != nil {
		return err
	}
	db := &cfg.DB
	st, key, err := openAudited(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if key.IsZero() {
		return usagef("no audit key: set REDRESS_AUDIT_KEY or REDRESS_AUDIT_KEY_FILE, or keep it in %s", app.AuditKeyPath(*db))
	}
	cp, err := st.AuditCheckpoint(context.Background(), clock.Wall())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, cp.String())
	return nil
}

// existingDB refuses a SQLite path with no database at it, so that a
// mistyped path is an error rather than a new, empty database; a
// PostgreSQL URL is checked by connecting to it.
func existingDB(db string) error {
	if sqldb.IsPostgres(db) {
		return nil
	}
	if _, err := os.Stat(db); err != nil {
		return usagef("--db: %v", err)
	}
	return nil
}
