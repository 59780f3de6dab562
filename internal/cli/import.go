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

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/tenancy"
)

// importCmd runs `redress import homes FILE.csv` and `redress import
// cases FILE.csv`.
func importCmd(args []string, stdout, stderr io.Writer) error {
	switch {
	case len(args) > 0 && args[0] == "homes":
		return importHomesCmd(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "cases":
		return importCasesCmd(args[1:], stdout, stderr)
	}
	return usagef("import needs a subcommand: homes FILE.csv or cases FILE.csv")
}

// importHomesCmd imports the landlord's homes and tenancies from a CSV
// export of its housing management system. With --dry-run it reports
// every home and tenancy it would add or change and every row it would
// refuse, and changes nothing; a file with any refused row imports
// nothing, so that a register is never half-updated.
func importHomesCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import homes", flag.ContinueOnError)
	settings := newConfig(fs, "db")
	dryRun := fs.Bool("dry-run", false, "report what the import would do, and change nothing")
	mapping := fs.String("map", "", "the export's own headers, column=header pairs, comma-separated, such as tenancy_ref=Tenancy No")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	template := fs.Bool("template", false, "print the file's first line, naming every column, and stop")
	cfg, pos, err := settings.load(args)
	if err != nil {
		return err
	}
	if *template {
		fmt.Fprint(stdout, tenancy.Template())
		return nil
	}
	if len(pos) != 1 {
		return usagef("import homes needs one CSV file (redress import homes --template prints its first line)")
	}
	m, err := tenancy.ParseMapping(*mapping)
	if err != nil {
		return usagef("--map: %v", err)
	}
	b, err := os.ReadFile(pos[0])
	if err != nil {
		return usageError{err}
	}
	sum := sha256.Sum256(b)
	p := &progressLines{w: stderr, every: 500 * time.Millisecond, now: clock.Wall}
	f, err := tenancy.ReadCSV(bytes.NewReader(b), m, func(rows int) { p.count("rows read", rows) })
	if err != nil {
		return usagef("%s: %v", pos[0], err)
	}
	if len(f.Errors) > 0 {
		printRowErrors(stdout, pos[0], f, *asJSON)
		return breachError{}
	}
	if err := existingOrNew(cfg.DB, *dryRun); err != nil {
		return err
	}
	st, err := sqldb.Open(context.Background(), cfg.DB, sqldb.Options{NoMigrate: *dryRun})
	if err != nil {
		return usageError{err}
	}
	defer st.Close()
	rep, err := st.ImportRegister(context.Background(), f, store.RegisterImport{
		FileSHA256: hex.EncodeToString(sum[:]), By: "redress import homes", At: clock.Wall(), DryRun: *dryRun,
	}, func(done, total int) { p.report("tenancies", int64(done), int64(total)) })
	if err != nil {
		return err
	}
	printRegisterReport(stdout, pos[0], rep, *asJSON)
	return nil
}

// existingOrNew refuses a dry run on a database that is not there: a
// mistyped path would otherwise report that everything is new.
func existingOrNew(db string, dryRun bool) error {
	if dryRun {
		return existingDB(db)
	}
	return nil
}

func printRowErrors(w io.Writer, name string, f *tenancy.File, asJSON bool) {
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		e.Encode(map[string]any{"file": name, "rows": f.Rows, "refused": f.Errors})
		return
	}
	fmt.Fprintf(w, "%s: %d rows read, %d refused; nothing was imported:\n", name, f.Rows, len(f.Errors))
	for _, e := range f.Errors {
		fmt.Fprintf(w, "  %s\n", e)
	}
}

func printRegisterReport(w io.Writer, name string, rep store.RegisterReport, asJSON bool) {
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		e.Encode(rep)
		return
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would import (dry run: nothing was changed)"
	}
	fmt.Fprintf(w, "%s: %d rows; %s: homes %d added, %d changed, %d unchanged; tenancies %d added, %d changed, %d unchanged\n",
		name, rep.Rows, verb, rep.HomesAdded, rep.HomesChanged, rep.HomesUnchanged, rep.TenanciesAdded, rep.TenanciesChanged, rep.TenanciesUnchanged)
	if rep.DryRun {
		for _, c := range rep.Changes {
			fmt.Fprintf(w, "  line %d: %s %s %s", c.Line, c.Action, c.Kind, c.Ref)
			if len(c.Fields) > 0 {
				fmt.Fprintf(w, " (%v)", c.Fields)
			}
			fmt.Fprintln(w)
		}
	}
}

// count prints how many of something are done so far, at most every
// p.every, for work whose total is not known until it ends.
func (p *progressLines) count(what string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.now().Sub(p.last) < p.every {
		return
	}
	p.last = p.now()
	fmt.Fprintf(p.w, "%s: %d\n", what, n)
}
