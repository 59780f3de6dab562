package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/loadgen"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// benchWarmupCases is how many cases the warm-up creates before the timed
// phases, so that the first command, read and search has cases to work
// on and a search has a page of them to list.
const benchWarmupCases = 50

// benchMaxClients bounds --clients: each client holds a connection, and
// beyond this the bench measures its own machine's file descriptors
// rather than the server.
const benchMaxClients = 1000

// benchOptions are bench's flags, checked.
type benchOptions struct {
	url, token, db string
	clients        []int
	duration       time.Duration
	maxRequests    int
	mix            loadgen.Mix
	json           bool
}

// benchFlags reads and checks bench's flags. Every value that is unusable
// is an error naming its flag, before anything is started or sent.
func benchFlags(args []string) (benchOptions, error) {
	var o benchOptions
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "", "a running Redress to drive, such as http://127.0.0.1:8080; without it bench starts its own")
	fs.StringVar(&o.token, "token", "", "an API token for --url, of a user who may log complaints (REDRESS_BENCH_TOKEN)")
	// --db has no default from REDRESS_DB: that names the landlord's
	// database, which bench must never fill with made-up complaints.
	fs.StringVar(&o.db, "db", "", "an empty database for the server bench starts, a SQLite file or a postgres:// URL; a temporary SQLite file if not given")
	clients := fs.String("clients", "1,8,64", "the number of concurrent clients of each phase, comma-separated")
	duration := fs.String("duration", "10s", "how long each phase runs, such as 10s or 1m")
	fs.IntVar(&o.maxRequests, "max-requests", 0, "stop each phase after this many requests; 0 for no cap")
	mix := fs.String("mix", loadgen.DefaultMix, "how often each op is chosen: create, command, read and search with whole-number weights")
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return o, err
	}
	if len(pos) > 0 {
		return o, usagef("bench takes no arguments, only flags; got %q", pos[0])
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	if o.clients, err = parseClients(*clients); err != nil {
		return o, err
	}
	if o.duration, err = time.ParseDuration(strings.TrimSpace(*duration)); err != nil {
		return o, usagef("--duration: %q is not a duration; want one such as 10s or 1m", *duration)
	}
	if o.duration <= 0 {
		return o, usagef("--duration: %s is not a length of time to run for; want more than 0, such as 10s", o.duration)
	}
	if o.maxRequests < 0 {
		return o, usagef("--max-requests: %d is negative; want 0 for no cap, or the requests each phase stops after", o.maxRequests)
	}
	if o.mix, err = loadgen.ParseMix(*mix, loadgen.APIOpNames()); err != nil {
		return o, usagef("--mix: %v", err)
	}
	if o.url == "" {
		if given["token"] {
			return o, usagef("--token is for --url; without --url bench starts its own server and makes its own token")
		}
		return o, nil
	}
	if o.db != "" {
		return o, usagef("--db and --url: give one or the other; the server at --url runs on its own database")
	}
	u, err := url.Parse(o.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return o, usagef("--url: %q is not the http:// or https:// address of a server, such as http://127.0.0.1:8080", o.url)
	}
	o.url = strings.TrimRight(u.String(), "/")
	if o.token == "" {
		o.token = strings.TrimSpace(os.Getenv("REDRESS_BENCH_TOKEN"))
	}
	if o.token == "" {
		return o, usagef("--url needs an API token: give --token or set REDRESS_BENCH_TOKEN, the token of a user who may log complaints")
	}
	return o, nil
}

// parseClients reads --clients: whole numbers of clients, 1 or more.
func parseClients(s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, usagef("--clients: %q is not a whole number; want numbers of clients separated by commas, such as 1,8,64", part)
		}
		if n < 1 {
			return nil, usagef("--clients: %d is not a number of clients; want 1 or more", n)
		}
		if n > benchMaxClients {
			return nil, usagef("--clients: %d is more clients than bench runs at once (%d)", n, benchMaxClients)
		}
		out = append(out, n)
	}
	return out, nil
}

// benchServer is the server a bench drives: one at --url, or one bench
// started in this process.
type benchServer struct {
	url, token string
	// kind is "url" or "self-started"; about says what the server is, and
	// off what of serve's background work was turned off, for the output.
	kind  string
	about string
	off   []string
	// stop stops a server bench started and removes its temporary
	// database; nil for --url.
	stop func()
}

// startBenchServer starts Redress in this process as serve would, on db
// or, if db is empty, on a new SQLite database in a temporary directory,
// listening on 127.0.0.1 at a port of the system's choosing. Its settings
// come from serveConfig, the REDRESS_* environment included, so the
// figures are those of the product as it is run (a SQLite database in WAL
// mode with synchronous=FULL, the policy in force, the access log); only
// what would reach outside the machine or add background noise is turned
// off, and said so. Its one user is the admin that serve's bootstrap
// token makes, with a token made here.
func startBenchServer(ctx context.Context, db string, stderr io.Writer) (*benchServer, error) {
	temp := ""
	if db == "" {
		dir, err := os.MkdirTemp("", "redress-bench-")
		if err != nil {
			return nil, err
		}
		temp = dir
		db = filepath.Join(dir, "redress.db")
	} else if err := refuseNonEmptyBenchDB(db); err != nil {
		return nil, err
	}
	cleanup := func() {
		if temp != "" {
			os.RemoveAll(temp)
		}
	}
	var cfg app.Config
	if err := serveConfig([]string{"--addr", "127.0.0.1:0", "--db", db, "--no-notices"}, &cfg); err != nil {
		cleanup()
		return nil, err
	}
	// A bench never mails anyone, reads a real mailbox, asks an identity
	// provider anything or reads a replica of another database, whatever
	// the environment configures for serve.
	cfg.SMTP.Host, cfg.IMAP.Addr, cfg.OIDCIssuer, cfg.DBReplica = "", "", "", ""
	cfg.NoMigrate, cfg.Demo = false, false
	if temp != "" {
		cfg.AuditKey = "" // the temporary database's own key file, deleted with it
	}
	token, _ := auth.NewToken()
	cfg.BootstrapToken = token
	cfg.Stdout = io.Discard
	// Every line is formatted, as serve formats its log, so the figures
	// include logging's cost; only errors are shown, as the access log of
	// thousands of requests would bury the results.
	log := slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(io.Discard, nil),
		slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}),
	))
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		cleanup()
		if temp != "" {
			return nil, fmt.Errorf("bench: starting the server: %w", err)
		}
		return nil, usagef("--db: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		cleanup()
		return nil, err
	}
	serveCtx, stopServing := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(serveCtx, ln) }()

	s := &benchServer{
		url: "http://" + ln.Addr().String(), token: token, kind: "self-started",
		off: []string{
			"email notices and the daily digest (--no-notices)",
			"outgoing mail (no --smtp-host)",
			"the feedback mailbox (no --imap-addr)",
			"single sign-on (the API uses tokens)",
		},
		stop: func() {
			stopServing()
			if err := <-served; err != nil {
				fmt.Fprintf(stderr, "redress: bench: stopping the server: %v\n", err)
			}
			a.Close()
			cleanup()
		},
	}
	store := "SQLite in WAL mode with synchronous=FULL, as serve runs it"
	if sqldb.IsPostgres(db) {
		store = "PostgreSQL"
	}
	if temp != "" {
		s.about = fmt.Sprintf("started by bench in this process at %s, on a temporary database in %s (%s), deleted at the end", s.url, temp, store)
	} else {
		s.about = fmt.Sprintf("started by bench in this process at %s, on --db %s (%s), which keeps the cases bench made", s.url, redactDSN(db), store)
	}
	return s, nil
}

// refuseNonEmptyBenchDB refuses a --db that holds anything but Redress's
// empty schema: bench fills its database with made-up complaints, which
// must never land among a landlord's real ones, and its bootstrap user is
// only made in a database that has none.
func refuseNonEmptyBenchDB(dsn string) error {
	postgres := sqldb.IsPostgres(dsn)
	if !postgres {
		info, err := os.Stat(dsn)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // made new by the server
		}
		if err != nil {
			return usagef("--db: %v", err)
		}
		if info.IsDir() {
			return usagef("--db: %s is a directory; want a database file", dsn)
		}
	}
	db, err := sqldb.OpenReadOnly(dsn)
	if err != nil {
		return usagef("--db: %v", err)
	}
	defer db.Close()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := db.Query(q)
	if err != nil {
		return usagef("--db: %v", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return usagef("--db: %v", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return usagef("--db: %v", err)
	}
	if len(tables) == 0 {
		return nil
	}
	if !slices.Contains(tables, "cases") || !slices.Contains(tables, "users") {
		slices.Sort(tables)
		if len(tables) > 5 {
			tables = append(tables[:5], "…")
		}
		return usagef("--db: the database is not empty: it holds tables that are not Redress's (%s); give bench a new, empty database", strings.Join(tables, ", "))
	}
	var cases, users int
	if err := db.QueryRow(`SELECT count(*) FROM cases`).Scan(&cases); err != nil {
		return usagef("--db: %v", err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM users`).Scan(&users); err != nil {
		return usagef("--db: %v", err)
	}
	if cases > 0 || users > 0 {
		return usagef("--db: the database is not empty: it holds %d cases and %d users; bench adds made-up complaints, so give it a new, empty database", cases, users)
	}
	return nil
}

// redactDSN hides a postgres:// URL's password, for the output.
func redactDSN(dsn string) string {
	if !sqldb.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a postgres:// URL)"
	}
	return u.Redacted()
}

// benchReport is what bench prints, as text or (--json) as JSON.
type benchReport struct {
	Machine struct {
		OS   string `json:"os"`
		Arch string `json:"arch"`
		CPUs int    `json:"cpus"`
		Go   string `json:"go"`
	} `json:"machine"`
	Server struct {
		Kind  string   `json:"kind"`
		About string   `json:"about"`
		Off   []string `json:"off,omitempty"`
	} `json:"server"`
	Mix            string        `json:"mix"`
	TimeoutSeconds float64       `json:"timeout_seconds"`
	Warmup         phaseReport   `json:"warmup"`
	Phases         []phaseReport `json:"phases"`
	// Failed is every request that failed, the warm-up's included.
	Failed int `json:"failed"`
}

// phaseReport is one phase's results.
type phaseReport struct {
	Clients        int        `json:"clients"`
	ElapsedSeconds float64    `json:"elapsed_seconds"`
	Requests       int        `json:"requests"`
	Errors         int        `json:"errors"`
	Ops            []opReport `json:"ops"`
	All            opReport   `json:"all"`
}

// opReport is one op's results in a phase. Latencies are of the requests
// that succeeded, in milliseconds; the throughput is successes per second.
type opReport struct {
	Op           string   `json:"op"`
	Count        int      `json:"count"`
	PerSecond    float64  `json:"per_second"`
	P50MS        float64  `json:"p50_ms"`
	P95MS        float64  `json:"p95_ms"`
	P99MS        float64  `json:"p99_ms"`
	Errors       int      `json:"errors"`
	ErrorSamples []string `json:"error_samples,omitempty"`
}

func newPhaseReport(r loadgen.Result) phaseReport {
	p := phaseReport{Clients: r.Clients, ElapsedSeconds: round3(r.Elapsed.Seconds()), Requests: r.All.Count, Errors: r.All.Errors, All: newOpReport(r.All)}
	for _, o := range r.Ops {
		p.Ops = append(p.Ops, newOpReport(o))
	}
	return p
}

func newOpReport(o loadgen.OpResult) opReport {
	return opReport{
		Op: o.Name, Count: o.Count, PerSecond: round3(o.PerSecond), Errors: o.Errors, ErrorSamples: o.ErrorSamples,
		P50MS: millis(o.Latency.P50), P95MS: millis(o.Latency.P95), P99MS: millis(o.Latency.P99),
	}
}

func millis(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// benchCmd drives a Redress with load and prints what it measured: a
// warm-up that creates cases, then a timed phase for each number of
// clients. Unusable flags exit 2 before anything is sent; any request
// that failed exits 1, after everything is printed.
func benchCmd(args []string, stdout, stderr io.Writer) error {
	o, err := benchFlags(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := &benchServer{url: o.url, token: o.token, kind: "url", about: "at --url " + o.url + ", already running; bench adds its made-up complaints to that server's database"}
	if o.url == "" {
		if srv, err = startBenchServer(ctx, o.db, stderr); err != nil {
			return err
		}
		defer srv.stop()
	}
	most := slices.Max(o.clients)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = most + 4
	tr.MaxIdleConnsPerHost = most + 4
	defer tr.CloseIdleConnections()
	target := loadgen.Target{BaseURL: srv.url, Token: srv.token, Client: &http.Client{Transport: tr}}

	rep := benchReport{Phases: []phaseReport{}}
	rep.Machine.OS, rep.Machine.Arch, rep.Machine.CPUs, rep.Machine.Go = runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version()
	rep.Server.Kind, rep.Server.About, rep.Server.Off = srv.kind, srv.about, srv.off
	rep.Mix = o.mix.String()
	rep.TimeoutSeconds = loadgen.DefaultTimeout.Seconds()

	var cases loadgen.Cases
	ops := loadgen.APIOps(&cases)
	// The warm-up is bounded by its count of creates and, should the
	// server be very slow, by a generous time.
	warm, err := loadgen.Run(ctx, target, ops, loadgen.Config{
		Clients: min(4, most), Duration: 2 * time.Minute, MaxRequests: benchWarmupCases,
		Mix:      loadgen.Mix{{Op: loadgen.OpCreate, Weight: 1}},
		Progress: benchProgress(stderr, "warm-up", 0, benchWarmupCases),
	})
	rep.Warmup = newPhaseReport(warm)
	rep.Failed = warm.Failed()
	if err != nil {
		return fmt.Errorf("bench interrupted during the warm-up: %w", err)
	}
	if rep.Failed == 0 {
		for _, n := range o.clients {
			res, err := loadgen.Run(ctx, target, ops, loadgen.Config{
				Clients: n, Duration: o.duration, MaxRequests: o.maxRequests, Mix: o.mix,
				Progress: benchProgress(stderr, clientsName(n), o.duration, 0),
			})
			rep.Phases = append(rep.Phases, newPhaseReport(res))
			rep.Failed += res.Failed()
			if err != nil {
				printBench(stdout, rep, o.json)
				return fmt.Errorf("bench interrupted with %s: %w", clientsName(n), err)
			}
		}
	}
	if err := printBench(stdout, rep, o.json); err != nil {
		return err
	}
	switch {
	case warm.Failed() > 0:
		fmt.Fprintf(stderr, "redress: bench: %d of the warm-up's %d creates failed, so there was nothing to measure; the first errors are above\n", warm.Failed(), warm.All.Count)
		return breachError{}
	case rep.Failed > 0:
		fmt.Fprintf(stderr, "redress: bench: %d requests failed; the first errors of each op are under its phase\n", rep.Failed)
		return breachError{}
	}
	return nil
}

// benchProgress returns a phase's progress line, written to stderr about
// once a second: of the duration if there is one, else of the count.
func benchProgress(w io.Writer, phase string, of time.Duration, count int) func(loadgen.Progress) {
	return func(p loadgen.Progress) {
		done := fmt.Sprintf("%d requests", p.Requests)
		if count > 0 {
			done = fmt.Sprintf("%d of %d requests", p.Requests, count)
		}
		at := fmt.Sprintf("%.0fs", p.Elapsed.Seconds())
		if of > 0 {
			at += " of " + of.String()
		}
		fmt.Fprintf(w, "bench: %s: %s, %s, %d errors\n", phase, at, done, p.Errors)
	}
}

func clientsName(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d clients", n)
}

// printBench prints the report as text tables, or as JSON.
func printBench(w io.Writer, rep benchReport, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	m := rep.Machine
	fmt.Fprintf(w, "machine: %s/%s, %d CPUs, %s\n", m.OS, m.Arch, m.CPUs, m.Go)
	fmt.Fprintf(w, "server:  %s\n", rep.Server.About)
	if len(rep.Server.Off) > 0 {
		fmt.Fprintf(w, "off:     %s\n", strings.Join(rep.Server.Off, "; "))
	}
	fmt.Fprintf(w, "mix:     %s; each request times out after %gs; latencies are of the requests that succeeded, nearest-rank percentiles; per s counts successes\n", rep.Mix, rep.TimeoutSeconds)
	wu := rep.Warmup
	fmt.Fprintf(w, "warm-up: %d cases created by %s in %.2fs, %d errors\n", wu.Requests-wu.Errors, clientsName(wu.Clients), wu.ElapsedSeconds, wu.Errors)
	printErrorSamples(w, wu)
	for _, p := range rep.Phases {
		fmt.Fprintf(w, "\n%s: %.2fs, %d requests, %d errors\n", clientsName(p.Clients), p.ElapsedSeconds, p.Requests, p.Errors)
		fmt.Fprintf(w, "  %-8s %8s %9s %9s %9s %9s %7s\n", "op", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "errors")
		for _, o := range append(slices.Clone(p.Ops), p.All) {
			fmt.Fprintf(w, "  %-8s %8d %9.1f %9s %9s %9s %7d\n", o.Op, o.Count, o.PerSecond, benchMS(o, o.P50MS), benchMS(o, o.P95MS), benchMS(o, o.P99MS), o.Errors)
		}
		printErrorSamples(w, p)
	}
	return nil
}

// benchMS writes a latency in milliseconds: two decimals for the small
// ones, where they matter, fewer as they grow; a dash for an op with no
// successes, which has none.
func benchMS(o opReport, ms float64) string {
	switch {
	case o.Count-o.Errors == 0:
		return "-"
	case ms < 100:
		return strconv.FormatFloat(ms, 'f', 2, 64)
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 1, 64)
	}
	return strconv.FormatFloat(ms, 'f', 0, 64)
}

// printErrorSamples prints each op's first distinct errors.
func printErrorSamples(w io.Writer, p phaseReport) {
	for _, o := range p.Ops {
		if o.Errors == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s: %d errors, the first:\n", o.Op, o.Errors)
		for _, s := range o.ErrorSamples {
			fmt.Fprintf(w, "    %s\n", s)
		}
	}
}
