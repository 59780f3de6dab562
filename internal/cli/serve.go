package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// serveConfig reads serve's settings into cfg: the defaults, then the
// configuration file, the REDRESS_* variables and the flags (config.go).
// Every setting that does not parse, or is out of range, and every
// combination that cannot work, is an error naming the flag, the
// variable or the file's line: nothing is quietly taken as its default.
func serveConfig(args []string, cfg *app.Config) error {
	l, err := loadServe("serve", args)
	if err != nil {
		return err
	}
	*cfg = l.Config
	return nil
}

// loadServe reads every setting, as serve takes them, for serve and
// config check.
func loadServe(cmd string, args []string) (*loaded, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	l, pos, err := newConfig(fs).load(args)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, usagef("%s takes no arguments, only flags; got %q", cmd, pos[0])
	}
	return l, nil
}

// serveCmd starts the server with the settings serveConfig reads, and
// serves until it is interrupted or terminated.
func serveCmd(args []string, stdout, stderr io.Writer) error {
	l, err := loadServe("serve", args)
	if err != nil {
		return err
	}
	cfg := l.Config
	cfg.Stdout = stdout
	// The address is bound before anything else: a port in use (another
	// Redress already running) stops serve at once, before a database is
	// opened or made, a demo loaded or a password printed for a server
	// that will never answer.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return usagef("--addr %s: %v: is another Redress or another program already listening there?", cfg.Addr, err)
	}
	defer ln.Close()
	// The address bound, so that ":0" prints the port it was given.
	cfg.Addr = ln.Addr().String()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	for _, w := range l.warnings {
		log.Warn(w)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return usageError{err}
	}
	defer a.Close()
	return a.Serve(ctx, ln)
}

func migrateCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg, _, err := newConfig(fs, "db").load(args)
	if err != nil {
		return err
	}
	db := &cfg.DB
	st, err := sqldb.Open(context.Background(), *db, sqldb.Options{})
	if err != nil {
		return usageError{err}
	}
	defer st.Close()
	fmt.Fprintf(stdout, "%s: schema version %d\n", *db, sqldb.SchemaVersion(*db))
	return nil
}
