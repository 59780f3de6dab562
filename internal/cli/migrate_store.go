package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// migrateStoreCmd moves a landlord from a SQLite file to a PostgreSQL
// database: every row copied, the search index rebuilt, then the copy
// checked against its source and its audit trail verified. A copy that
// does not match exits 1; unusable flags or a target that is not empty
// exit 2.
func migrateStoreCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate-store", flag.ContinueOnError)
	from := fs.String("from", "", "the SQLite database to copy from (Redress stopped on it)")
	to := fs.String("to", "", "the PostgreSQL database to copy into, a postgres:// URL: new, or migrated and empty")
	cfg, pos, err := newConfig(fs, "audit-key").load(args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usagef("migrate-store takes no arguments, only --from and --to (got %q)", pos[0])
	case *from == "":
		return usagef("--from is required: the SQLite database to copy from")
	case sqldb.IsPostgres(*from):
		return usagef("--from must be a SQLite file, not a postgres:// URL")
	case *to == "":
		return usagef("--to is required: a postgres:// URL of the database to copy into")
	case !sqldb.IsPostgres(*to):
		return usagef("--to must be a postgres:// or postgresql:// URL, not %q", *to)
	}
	if info, err := os.Stat(*from); err != nil {
		return usagef("--from: %v", err)
	} else if info.IsDir() {
		return usagef("--from: %s is a directory", *from)
	}
	key, source, _, err := app.LoadAuditKey(*from, cfg.AuditKey, false)
	if err != nil {
		return usageError{err}
	}

	p := &progressLines{w: stderr, every: 500 * time.Millisecond, now: clock.Wall}
	rep, err := sqldb.CopyStore(context.Background(), *from, *to, key, p.report)
	if errors.Is(err, sqldb.ErrCopyMismatch) {
		printCopyReport(stdout, rep)
		fmt.Fprintf(stderr, "redress: %v\n", err)
		fmt.Fprintln(stderr, "redress: do not use the target: drop it, and copy again into a new database once the cause is found")
		return breachError{}
	}
	if err != nil {
		return usageError{err}
	}
	printCopyReport(stdout, rep)
	fmt.Fprintf(stdout, "audit trail intact in the target: %d events, hash chain verified, ending at %s; %d cases match what their events record\n",
		rep.Audit.Events, rep.Head, rep.Audit.Cases)
	switch {
	case key.IsZero():
		fmt.Fprintln(stdout, "The audit chain is not keyed. PostgreSQL needs an audit key: make one (openssl rand -hex 32), keep it safe, and give every instance the same REDRESS_AUDIT_KEY or REDRESS_AUDIT_KEY_FILE; the first start keys the chain from then on.")
	case source == "REDRESS_AUDIT_KEY":
		fmt.Fprintf(stdout, "The chain is keyed with %s. Give every instance on the new database the same key this command was given: REDRESS_AUDIT_KEY (or REDRESS_AUDIT_KEY_FILE); without it the chain cannot be verified or added to.\n", key)
	default:
		fmt.Fprintf(stdout, "The chain is keyed with %s, kept in %s. Give every instance on the new database REDRESS_AUDIT_KEY=<the contents of %s>, or REDRESS_AUDIT_KEY_FILE=<a copy of it, mode 600>; without it the chain cannot be verified or added to.\n", key, source, source)
	}
	fmt.Fprintf(stdout, "Then start Redress with --db on the new database; keep %s, stopped, as the record of before the move.\n", *from)
	return nil
}

// printCopyReport prints each table's rows in the source and the target.
func printCopyReport(w io.Writer, rep sqldb.CopyReport) {
	if len(rep.Tables) == 0 {
		return
	}
	width := len("table")
	for _, t := range rep.Tables {
		width = max(width, len(t.Name))
	}
	fmt.Fprintf(w, "%-*s %10s %10s\n", width, "table", "source", "target")
	for _, t := range rep.Tables {
		fmt.Fprintf(w, "%-*s %10d %10d  %s\n", width, t.Name, t.Source, t.Target, t.How)
	}
}

// progressLines writes the copy's progress: a line as each table is done,
// and for a large table its percentage, no more often than every.
type progressLines struct {
	w     io.Writer
	every time.Duration
	now   func() time.Time
	mu    sync.Mutex
	last  time.Time
}

// largeTable is the fewest rows a table has for its percentage to be
// shown as it is copied.
const largeTable = 5000

func (p *progressLines) report(table string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if done >= total {
		fmt.Fprintf(p.w, "%s: %d rows\n", table, done)
		p.last = p.now()
		return
	}
	if total < largeTable || p.now().Sub(p.last) < p.every {
		return
	}
	p.last = p.now()
	fmt.Fprintf(p.w, "%s: %d of %d rows (%d%%)\n", table, done, total, done*100/total)
}
