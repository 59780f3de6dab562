package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/store"
)

// exportCmd writes a case's evidence pack for the Housing Ombudsman. A
// pack whose record fails verification is still written, since it is the
// evidence, but the command exits 1 and says what failed.
func exportCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "case" {
		return usagef("export needs a subcommand: case REFERENCE")
	}
	fset := flag.NewFlagSet("export case", flag.ContinueOnError)
	settings := newConfig(fset, "db", "audit-key", "service-name")
	out := fset.String("out", "", "the ZIP file to write (default REFERENCE-evidence.zip)")
	cfg, rest, err := settings.load(args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("export case needs one case reference, like C-2026-000123")
	}
	ref := rest[0]
	if *out == "" {
		*out = ref + "-evidence.zip"
	}
	if _, err := os.Stat(*out); err == nil {
		return usagef("--out: %s already exists; choose another file", *out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return usagef("--out: %v", err)
	}
	ctx := context.Background()
	st, _, err := openAudited(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	// Whoever holds the database file may read every case in it, so the
	// pack names every linked case, as a manager's would.
	pack, err := evidence.BuildFor(ctx, st, ref, cfg.ServiceName, clock.Wall(), store.Viewer{AllConfidential: true})
	if complaint.ErrorCode(err) == complaint.NotFound {
		return usagef("there is no case %s", ref)
	}
	if err != nil {
		return err
	}
	// Written to a temporary file beside the target and renamed, so a
	// half-written pack is never left under the name asked for.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".evidence-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(pack.Zip); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	v := pack.Verification
	fmt.Fprintf(stdout, "wrote %s: case %s, %d events, %d letters\n", *out, pack.Reference, v.Events, v.Letters)
	if !v.OK() {
		fmt.Fprintln(stdout, "VERIFICATION FAILED: the record may have been changed after it was made:")
		for _, p := range v.Problems {
			fmt.Fprintln(stdout, "  "+p)
		}
		return breachError{}
	}
	fmt.Fprintln(stdout, "verified: every event, letter and file matches its hash, the case is what its events record, and the audit chain is unbroken")
	return nil
}
