package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

// retentionCmd runs retention now, for operators: the daily job in serve
// does the same at its hour.
func retentionCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "run" {
		return usagef("retention needs a subcommand: run")
	}
	fs := flag.NewFlagSet("retention run", flag.ContinueOnError)
	settings := newConfig(fs, "db", "audit-key", "policy")
	dryRun := fs.Bool("dry-run", false, "count and list what is due, and anonymise nothing")
	batch := fs.Int("batch", 0, "anonymise at most this many cases (0: every case due)")
	asJSON := fs.Bool("json", false, "print JSON")
	cfg, rest, err := settings.load(args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("retention run takes no arguments, only flags; got %q", rest[0])
	}
	if *batch < 0 {
		return usagef("--batch: %d is negative: give a number of cases, or 0 for all", *batch)
	}
	p, err := policy.Open(cfg.Policy)
	if err != nil {
		return usagef("--policy: %v", err)
	}
	st, _, err := openAudited(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	res, err := store.RunRetention(context.Background(), st, p.Retention, clock.Wall(), *batch, *dryRun, log)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			store.RetentionResult
			DryRun bool `json:"dry_run"`
		}{res, *dryRun})
	}
	verb := "anonymised"
	if *dryRun {
		verb = "would anonymise"
	}
	fmt.Fprintf(stdout, "retention: %d due, %d held, %s %d, %d failed, %d left for the next run\n", res.Due, res.Held, verb, res.Anonymised, res.Failed, res.Remaining)
	for _, ref := range res.References {
		fmt.Fprintln(stdout, "  "+ref)
	}
	if res.Failed > 0 {
		return fmt.Errorf("%d cases could not be anonymised: see the log above", res.Failed)
	}
	return nil
}
