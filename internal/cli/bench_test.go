package cli

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redresshq/redress/internal/loadgen"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// benchTables reads bench's text output: for each phase (its heading,
// such as "2 clients"), each op's row by the op's name.
func benchTables(t *testing.T, out string) map[string]map[string][]string {
	t.Helper()
	tables := map[string]map[string][]string{}
	var phase string
	for line := range strings.SplitSeq(out, "\n") {
		if name, _, ok := strings.Cut(line, ": "); ok && (strings.HasSuffix(name, " client") || strings.HasSuffix(name, " clients")) {
			phase = name
			tables[phase] = map[string][]string{}
			continue
		}
		f := strings.Fields(line)
		if phase != "" && len(f) == 7 && f[0] != "op" {
			tables[phase][f[0]] = f
		}
	}
	return tables
}

// TestBenchDrivesAServerOfItsOwnAndDeletesItsDatabase runs the real
// command with no --url: it starts Redress on a temporary SQLite
// database, prints a table for each phase with a row for each op, sends
// every op, exits 0 and leaves nothing behind in the temporary directory.
func TestBenchDrivesAServerOfItsOwnAndDeletesItsDatabase(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	// Equal weights, so that in 60 requests every op is sent (the chance
	// that one is not is (3/4)^60, under one in ten million); the default
	// mix's create, at 1 in 7, would be missed once in ten thousand runs.
	code, out, errs := redress(t, "bench", "--clients", "1,2", "--max-requests", "60", "--duration", "5s",
		"--mix", "create=1,command=1,read=1,search=1")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, want := range []string{
		"machine: " + runtime.GOOS + "/" + runtime.GOARCH, strconv.Itoa(runtime.NumCPU()) + " CPUs", runtime.Version(),
		"on a temporary database in " + tmp, "synchronous=FULL", "deleted at the end",
		"off:", "--no-notices",
		"warm-up: 50 cases created",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	tables := benchTables(t, out)
	for _, phase := range []string{"1 client", "2 clients"} {
		rows, ok := tables[phase]
		if !ok {
			t.Errorf("no table for %s:\n%s", phase, out)
			continue
		}
		total := 0
		for _, op := range loadgen.APIOpNames() {
			row, ok := rows[op]
			if !ok {
				t.Errorf("%s: no row for %s:\n%s", phase, op, out)
				continue
			}
			count, _ := strconv.Atoi(row[1])
			if count == 0 || row[6] != "0" || row[3] == "-" {
				t.Errorf("%s: %s sent %s, %s errors, p50 %s; want some, none failed", phase, op, row[1], row[6], row[3])
			}
			total += count
		}
		if total != 60 {
			t.Errorf("%s: the ops sent %d requests, want the cap of 60", phase, total)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in the temporary directory: %v", left)
	}
}

// TestBenchAddsTheCasesItReportsToItsDatabase runs bench on an empty
// --db of the store under test: afterwards the database holds exactly the
// cases the warm-up and the phases report creating, and one user, the
// one bench made for itself.
func TestBenchAddsTheCasesItReportsToItsDatabase(t *testing.T) {
	db := storeUnderTest(t)
	code, out, errs := redress(t, "bench", "--db", db, "--clients", "2", "--max-requests", "40", "--duration", "5s", "--json",
		"--mix", "create=1,command=1,read=1")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	var rep benchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Server.Kind != "self-started" || !strings.Contains(rep.Server.About, "on --db") || rep.Failed != 0 || len(rep.Phases) != 1 {
		t.Fatalf("server %+v, %d failed, %d phases", rep.Server, rep.Failed, len(rep.Phases))
	}
	created := rep.Warmup.Requests - rep.Warmup.Errors
	for _, op := range rep.Phases[0].Ops {
		if op.Op == loadgen.OpCreate {
			created += op.Count - op.Errors
		}
	}
	if created <= 50 {
		t.Fatalf("created %d cases in all, want the warm-up's 50 and some more", created)
	}
	raw, err := sqldb.OpenRaw(db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var cases, users int
	if err := raw.QueryRow(`SELECT count(*) FROM cases`).Scan(&cases); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`SELECT count(*) FROM users`).Scan(&users); err != nil {
		t.Fatal(err)
	}
	if cases != created || users != 1 {
		t.Errorf("the database holds %d cases and %d users; bench reported creating %d cases, and made one user", cases, users, created)
	}
}

// TestBenchRefusesADatabaseThatIsNotEmpty: bench must never add made-up
// complaints to a landlord's database, so a --db holding anything is
// refused, naming the flag, and left as it was.
func TestBenchRefusesADatabaseThatIsNotEmpty(t *testing.T) {
	t.Setenv("REDRESS_AUDIT_KEY", "")
	t.Setenv("REDRESS_AUDIT_KEY_FILE", "")
	demoDB, _ := demoOnSQLite(t)
	other := filepath.Join(t.TempDir(), "other.db")
	raw, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	// A rollback journal, not WAL, as another program may keep it: bench
	// must not turn on WAL, which is written into the file.
	if _, err := raw.Exec(`PRAGMA journal_mode = DELETE; CREATE TABLE invoices (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	otherBefore, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(text, []byte("not a database at all, but long enough to have a header\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	countCases := func() int {
		raw, err := sqldb.OpenRaw(demoDB)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM cases`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := countCases()
	for _, tt := range []struct {
		name, db string
		want     []string
	}{
		{"a landlord's database", demoDB, []string{"--db: the database is not empty", "cases and"}},
		{"another program's database", other, []string{"--db: the database is not empty", "not Redress's (invoices)"}},
		{"not a database", text, []string{"--db:"}},
		{"a directory", t.TempDir(), []string{"--db:", "is a directory"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := redress(t, "bench", "--db", tt.db, "--clients", "1", "--max-requests", "5")
			if code != 2 || out != "" {
				t.Errorf("exit %d, printed %q; want 2 and nothing", code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("%q does not say %q", errs, w)
				}
			}
		})
	}
	if after := countCases(); after != before {
		t.Errorf("the landlord's database went from %d cases to %d", before, after)
	}
	if after, err := os.ReadFile(other); err != nil || string(after) != string(otherBefore) {
		t.Errorf("the other program's database was changed (%v)", err)
	}
}

// TestBenchRefusesUnusableFlagsNamingThem: every unusable value is an
// error naming its flag and why, exit 2, before a server is started (no
// temporary database is made) or a request is sent (the server at --url
// hears nothing).
func TestBenchRefusesUnusableFlagsNamingThem(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("REDRESS_BENCH_TOKEN", "")
	var heard atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { heard.Add(1) }))
	t.Cleanup(srv.Close)
	at := []string{"--url", srv.URL, "--token", "rdr_test"}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"a duration that does not parse", []string{"--duration", "ten seconds"}, []string{"--duration", `"ten seconds" is not a duration`}},
		{"a duration without a unit", append([]string{"--duration", "10"}, at...), []string{"--duration", `"10" is not a duration`}},
		{"a zero duration", append([]string{"--duration", "0s"}, at...), []string{"--duration", "want more than 0"}},
		{"a negative duration", []string{"--duration", "-5s"}, []string{"--duration", "want more than 0"}},
		{"zero clients", append([]string{"--clients", "0"}, at...), []string{"--clients", "0 is not a number of clients"}},
		{"negative clients", []string{"--clients", "1,-8"}, []string{"--clients", "-8 is not a number of clients"}},
		{"clients that are not a number", []string{"--clients", "1,many"}, []string{"--clients", `"many" is not a whole number`}},
		{"an empty count of clients", []string{"--clients", "1,,8"}, []string{"--clients", `"" is not a whole number`}},
		{"too many clients", []string{"--clients", "100000"}, []string{"--clients", "more clients than bench runs"}},
		{"an unknown op", append([]string{"--mix", "create=1,delete=1"}, at...), []string{"--mix", `unknown op "delete"`, "create, command, read and search"}},
		{"a negative weight", []string{"--mix", "create=1,read=-4"}, []string{"--mix", "read=-4", "negative"}},
		{"every weight zero", []string{"--mix", "create=0,command=0,read=0,search=0"}, []string{"--mix", "every weight is 0"}},
		{"a weight that is not a number", []string{"--mix", "read=lots"}, []string{"--mix", `"lots" is not a whole number`}},
		{"a negative cap", append([]string{"--max-requests", "-1"}, at...), []string{"--max-requests", "negative"}},
		{"a cap that is not a number", []string{"--max-requests", "lots"}, []string{"max-requests"}},
		{"--url without a token", []string{"--url", srv.URL}, []string{"--url needs an API token", "REDRESS_BENCH_TOKEN"}},
		{"a URL that is not http", []string{"--url", "ftp://127.0.0.1/", "--token", "t"}, []string{"--url", `"ftp://127.0.0.1/" is not the http:// or https:// address`}},
		{"a URL with no scheme", []string{"--url", "127.0.0.1:8080", "--token", "t"}, []string{"--url", "is not the http:// or https:// address"}},
		{"a URL with no host", []string{"--url", "http://", "--token", "t"}, []string{"--url", "is not the http:// or https:// address"}},
		{"a token without --url", []string{"--token", "t"}, []string{"--token is for --url"}},
		{"--db with --url", append([]string{"--db", filepath.Join(tmp, "x.db")}, at...), []string{"--db and --url"}},
		{"an argument", []string{"now"}, []string{"bench takes no arguments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := redress(t, append([]string{"bench"}, tt.args...)...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, printed %q; want 2 and nothing", code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("%q does not say %q", errs, w)
				}
			}
		})
	}
	if n := heard.Load(); n > 0 {
		t.Errorf("the server at --url was sent %d requests", n)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("a server was started: left in the temporary directory: %v", left)
	}
}

// TestBenchExitsOneWhenRequestsFail drives a server that refuses every
// request: the results are printed, each op's error is shown, and the
// exit status is 1.
func TestBenchExitsOneWhenRequestsFail(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error": {"code": "unauthorized", "message": "the API token is not valid"}}`))
	}))
	t.Cleanup(srv.Close)
	code, out, errs := redress(t, "bench", "--url", srv.URL, "--token", "wrong", "--clients", "1", "--max-requests", "10")
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, want := range []string{"warm-up: 0 cases created", "50 errors", "401 Unauthorized: the API token is not valid"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "50 of the warm-up's 50 creates failed") {
		t.Errorf("stderr does not say the warm-up failed: %q", errs)
	}
}

// TestBenchExitsOneWhenAPhaseHasFailures drives a server whose search is
// broken: every phase is still run and printed, with the search errors
// counted and shown under the table, and the exit status is 1.
func TestBenchExitsOneWhenAPhaseHasFailures(t *testing.T) {
	mux := http.NewServeMux()
	var n atomic.Int64
	mux.HandleFunc("POST /api/v1/cases", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"reference": "C-2026-` + strconv.FormatInt(n.Add(1), 10) + `"}`))
	})
	mux.HandleFunc("GET /api/v1/cases", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"error": {"code": "internal", "message": "the search index is broken"}}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	code, out, errs := redress(t, "bench", "--url", srv.URL, "--token", "t", "--clients", "1,2", "--max-requests", "40",
		"--mix", "create=1,search=1")
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	tables := benchTables(t, out)
	failed := 0
	for _, phase := range []string{"1 client", "2 clients"} {
		create, search := tables[phase]["create"], tables[phase]["search"]
		if create == nil || search == nil {
			t.Fatalf("%s: no rows for create and search:\n%s", phase, out)
		}
		if create[6] != "0" || search[6] != search[1] || search[3] != "-" {
			t.Errorf("%s: create %v, search %v; want no create errors and every search an error, with no latency", phase, create, search)
		}
		e, _ := strconv.Atoi(search[6])
		failed += e
	}
	if !strings.Contains(out, "500 Internal Server Error: the search index is broken") {
		t.Errorf("the search's error is not shown:\n%s", out)
	}
	if !strings.Contains(errs, strconv.Itoa(failed)+" requests failed") {
		t.Errorf("stderr does not say %d requests failed: %q", failed, errs)
	}
}
