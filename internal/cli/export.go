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
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/brand"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/sar"
	"github.com/redresshq/redress/internal/store"
)

// exportCmd writes a case's evidence pack for the Housing Ombudsman
// (export case) or a person's subject access export (export person).
func exportCmd(args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "person" {
		return exportPersonCmd(args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "case" {
		return usagef("export needs a subcommand: case REFERENCE, or person KEY_OR_EMAIL")
	}
	return exportCaseCmd(args, stdout)
}

// exportCaseCmd writes a case's evidence pack for the Housing Ombudsman.
// A pack whose record fails verification is still written, since it is
// the evidence, but the command exits 1 and says what failed.
func exportCaseCmd(args []string, stdout io.Writer) error {
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
	// The landlord's name as the pages show it: the letterhead's, else
	// the service name.
	landlord := brand.New(st, cfg.ServiceName, nil).Name(ctx)
	pack, err := evidence.BuildFor(ctx, st, ref, landlord, clock.Wall(), store.Viewer{AllConfidential: true})
	if complaint.ErrorCode(err) == complaint.NotFound {
		return usagef("there is no case %s", ref)
	}
	if err != nil {
		return err
	}
	if err := writeZip(*out, ".evidence-*.zip", pack.Zip, nil); err != nil {
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

// writeZip writes b to a temporary file beside out and renames it, so a
// half-written ZIP is never left under the name asked for. before, if
// given, runs once the file is on disk and before it takes its name: an
// error from it leaves nothing behind.
func writeZip(out, pattern string, b []byte, before func() error) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), pattern)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
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
	if before != nil {
		if err := before(); err != nil {
			return err
		}
	}
	return os.Rename(tmp.Name(), out)
}

// exportPersonCmd writes a person's subject access export (internal/sar)
// and records it on every case it holds. Whoever holds the database file
// may read every case in it, confidential ones included, so the export
// is not limited by what a viewer may see; but a disclosure must name
// who made it, so --by names a manager or admin, whom each case's audit
// trail records. The export is recorded once written and before it
// takes its name, so a file under --out has always been recorded.
func exportPersonCmd(args []string, stdout io.Writer) error {
	fset := flag.NewFlagSet("export person", flag.ContinueOnError)
	settings := newConfig(fset, "db", "audit-key", "service-name")
	out := fset.String("out", "", "the ZIP file to write (required)")
	by := fset.String("by", "", "the email of the manager or admin making the export, recorded on every case it holds (required)")
	cfg, rest, err := settings.load(args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("export person needs one person: an email address, or a key such as email:name@example.org, tenancy:T123 or phone:07700900123")
	}
	subject, err := sar.ParseSubject(rest[0])
	if err != nil {
		return usagef("%v", err)
	}
	if *out == "" {
		return usagef("--out: is required: the ZIP file to write")
	}
	if _, err := os.Stat(*out); err == nil {
		return usagef("--out: %s already exists; choose another file", *out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return usagef("--out: %v", err)
	}
	if strings.TrimSpace(*by) == "" {
		return usagef("--by: is required: the email of the manager or admin making the export")
	}
	ctx := context.Background()
	st, _, err := openAudited(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, strings.TrimSpace(*by))
	if complaint.ErrorCode(err) == complaint.NotFound {
		return usagef("--by: there is no user %s", *by)
	}
	if err != nil {
		return err
	}
	if r := auth.Role(u.Role); r != auth.Manager && r != auth.Admin {
		return usagef("--by: %s is a %s; a subject access export is made by a manager or an admin", u.Email, u.Role)
	}
	now := clock.Wall()
	ex, err := sar.Build(ctx, st, sar.Request{Subject: subject, Viewer: store.Viewer{Email: u.Email, AllConfidential: true},
		By: u.Email, Landlord: brand.New(st, cfg.ServiceName, nil).Name(ctx), Now: now})
	if complaint.ErrorCode(err) == complaint.NotFound {
		return usagef("no case names %s", subject.Key())
	}
	if err != nil {
		return err
	}
	record := func() error {
		return sar.Record(ctx, ex, sar.StoreApply(st, complaint.Actor{Email: u.Email, Role: u.Role}, clock.Wall))
	}
	if err := writeZip(*out, ".subject-access-*.zip", ex.Zip, record); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d case(s) naming %s, SHA-256 %s, recorded on each case as made by %s\n", *out, len(ex.Cases), subject.Key(), ex.SHA256, u.Email)
	return nil
}
