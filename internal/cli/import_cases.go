package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/history"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// importCasesCmd imports a landlord's earlier complaints log as cases
// that count in the reports for their years. Each case is built by the
// domain under the policy in force, with the calendar serve uses, so
// that its deadlines and working days are derived as for any case. With
// --dry-run it reports every case it would add and every row it would
// refuse, and changes nothing; a file with any refused row imports
// nothing, and importing the same file again adds nothing.
func importCasesCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import cases", flag.ContinueOnError)
	settings := newConfig(fs, "db", "policy", "holidays", "audit-key")
	dryRun := fs.Bool("dry-run", false, "report what the import would do, and change nothing")
	mapping := fs.String("map", "", "the log's own headers, column=header pairs, comma-separated, such as reference=Complaint No")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	template := fs.Bool("template", false, "print the file's first line, naming every column, and stop")
	cfg, pos, err := settings.load(args)
	if err != nil {
		return err
	}
	if *template {
		fmt.Fprint(stdout, history.Template())
		return nil
	}
	if len(pos) != 1 {
		return usagef("import cases needs one CSV file (redress import cases --template prints its first line)")
	}
	m, err := history.ParseMapping(*mapping)
	if err != nil {
		return usagef("--map: %v", err)
	}
	if cfg.Policy == "" {
		cfg.Policy = policy.Default
	}
	p, err := policy.Open(cfg.Policy)
	if err != nil {
		return usagef("--policy: %v", err)
	}
	h, err := holidays(cfg.Holidays)
	if err != nil {
		return err
	}
	cal, err := p.Calendar(h)
	if err != nil {
		return usagef("policy %s: %v", p.Name, err)
	}
	b, err := os.ReadFile(pos[0])
	if err != nil {
		return usageError{err}
	}
	sum := sha256.Sum256(b)
	fileSHA := hex.EncodeToString(sum[:])
	now := clock.Wall()
	pl := &progressLines{w: stderr, every: 500 * time.Millisecond, now: clock.Wall}
	f, err := history.ReadCSV(bytes.NewReader(b), m, calendar.DateOf(now), func(rows int) { pl.count("rows read", rows) })
	if err != nil {
		return usagef("%s: %v", pos[0], err)
	}
	if len(f.Errors) > 0 {
		printHistoryRefusals(stdout, pos[0], f.Lines, f.Errors, *asJSON)
		return breachError{}
	}
	if err := existingOrNew(cfg.DB, *dryRun); err != nil {
		return err
	}
	// The import adds to the audit chain, so it holds the key serve
	// keeps it with: a real import makes the key file beside a SQLite
	// database where serve would, and keys the chain as serve does at
	// start; a dry run changes nothing, so makes no key and keys nothing.
	key, _, _, err := app.LoadAuditKey(cfg.DB, cfg.AuditKey, !*dryRun)
	if err != nil {
		return usageError{err}
	}
	ctx := context.Background()
	st, err := sqldb.Open(ctx, cfg.DB, sqldb.Options{NoMigrate: *dryRun, AuditKey: key})
	if err != nil {
		return usageError{err}
	}
	defer st.Close()
	if !*dryRun {
		if _, err := st.KeyAuditChain(ctx); err != nil {
			return err
		}
	}
	build := func(row history.Row, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewImportedCase(row.Command(fileSHA), complaint.Env{
			Now: now, Actor: complaint.Actor{Email: complaint.ImportActor}, Policy: p, Calendar: cal, NewReference: nr,
		})
	}
	rep, err := st.ImportHistory(ctx, f, store.HistoryImport{DryRun: *dryRun}, build,
		func(done, total int) { pl.report("cases", int64(done), int64(total)) })
	if err != nil {
		return err
	}
	if len(rep.Refused) > 0 {
		printHistoryRefusals(stdout, pos[0], rep.Rows, rep.Refused, *asJSON)
		return breachError{}
	}
	printHistoryReport(stdout, pos[0], fileSHA, rep, *asJSON)
	return nil
}

func printHistoryRefusals(w io.Writer, name string, rows int, refused []history.RowError, asJSON bool) {
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		e.Encode(map[string]any{"file": name, "rows": rows, "refused": refused})
		return
	}
	fmt.Fprintf(w, "%s: %d rows read, %d refused; nothing was imported:\n", name, rows, len(refused))
	for _, e := range refused {
		fmt.Fprintf(w, "  %s\n", e)
	}
}

func printHistoryReport(w io.Writer, name, fileSHA string, rep store.HistoryReport, asJSON bool) {
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		e.Encode(struct {
			store.HistoryReport
			File       string `json:"file"`
			FileSHA256 string `json:"file_sha256"`
		}{rep, name, fileSHA})
		return
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would import (dry run: nothing was changed)"
	}
	fmt.Fprintf(w, "%s (SHA-256 %s): %d rows; %s: %d cases added, %d already imported and unchanged\n",
		name, fileSHA, rep.Rows, verb, rep.Added, rep.Unchanged)
	if rep.DryRun {
		for _, c := range rep.Cases {
			if c.Action == "add" {
				fmt.Fprintf(w, "  line %d: add %s as %s\n", c.Line, c.OriginalRef, c.Reference)
			}
		}
	}
}
