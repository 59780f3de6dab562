package pgserver

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
)

// needPostgres skips the test when PostgreSQL is not installed, unless
// REDRESS_REQUIRE_POSTGRES=1 says its absence is a failure (as in CI).
func needPostgres(t *testing.T) {
	t.Helper()
	if _, err := Find(); err != nil {
		if os.Getenv("REDRESS_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("REDRESS_REQUIRE_POSTGRES=1 but %v", err)
		}
		t.Skip(err.Error())
	}
}

// psql runs the psql binary directly (not through Exec) against host, which
// may be 127.0.0.1 or a socket directory.
func psql(t *testing.T, s *Server, host, sql string) string {
	t.Helper()
	p, err := s.psqlPath()
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(p, "-X", "-A", "-t", "-h", host, "-p", strconv.Itoa(s.Port), "-U", "postgres", "-d", "postgres", "-c", sql)
	c.Env = cleanEnv()
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("psql -h %s -c %q: %v\n%s", host, sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

func listening(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// killLeftover stops a server a failed test may have left behind.
func killLeftover(dataDir string) {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return
	}
	if pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); err == nil && pid > 0 {
		syscall.Kill(pid, syscall.SIGQUIT)
	}
}

func TestStartCreateDropStop(t *testing.T) {
	needPostgres(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	s, err := Start(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(); killLeftover(s.DataDir) })

	if got := psql(t, s, "127.0.0.1", "select 1"); got != "1" {
		t.Fatalf("select 1 over TCP = %q", got)
	}
	if got := psql(t, s, s.SocketDir, "select 1"); got != "1" {
		t.Fatalf("select 1 over the unix socket = %q", got)
	}
	if got, err := s.Exec(ctx, "postgres", "show fsync"); err != nil || got != "off" {
		t.Fatalf("show fsync = %q, %v; want off", got, err)
	}
	if got, err := s.Exec(ctx, "postgres", "show max_connections"); err != nil || got != "200" {
		t.Fatalf("show max_connections = %q, %v; want 200", got, err)
	}
	want := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/redress_t?sslmode=disable", s.Port)
	if got := s.URL("redress_t"); got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}

	if err := s.CreateDatabase(ctx, "redress_t", "template0"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Exec(ctx, "redress_t", "select current_database() || ' ' || pg_encoding_to_char(encoding) from pg_database where datname = current_database()"); err != nil || got != "redress_t UTF8" {
		t.Fatalf("in the new database: %q, %v", got, err)
	}
	if err := s.CreateDatabase(ctx, "redress_copy", "redress_t"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"redress_t", "redress_copy"} {
		if err := s.DropDatabase(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.Exec(ctx, "postgres", "select count(*) from pg_database where datname like 'redress_%'"); err != nil || got != "0" {
		t.Fatalf("databases left after DropDatabase: %q, %v", got, err)
	}
	for _, bad := range []string{"", "Redress", "a-b", `x"; drop database postgres; --`, strings.Repeat("a", 64)} {
		if err := s.CreateDatabase(ctx, bad, ""); err == nil {
			t.Errorf("CreateDatabase(%q) succeeded", bad)
		}
		if err := s.DropDatabase(ctx, bad); err == nil {
			t.Errorf("DropDatabase(%q) succeeded", bad)
		}
	}
	if err := s.CreateDatabase(ctx, "ok", "Bad-Template"); err == nil {
		t.Error("CreateDatabase with a bad template name succeeded")
	}

	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if listening(s.Port) {
		t.Error("the server still accepts connections after Stop")
	}
	if _, err := os.Stat(filepath.Join(s.DataDir, "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("postmaster.pid still there after Stop: %v", err)
	}
	if _, err := os.Stat(s.DataDir); err != nil {
		t.Errorf("Stop removed the caller's directory: %v", err)
	}
}

func TestSharedReturnsTheSameServer(t *testing.T) {
	needPostgres(t)
	t.Parallel()
	s1, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	if s1 != s2 {
		t.Fatalf("Shared returned two servers: ports %d and %d", s1.Port, s2.Port)
	}
	if got := psql(t, s1, "127.0.0.1", "select 1"); got != "1" {
		t.Fatalf("select 1 = %q", got)
	}
	if !strings.HasPrefix(s1.Dir, os.TempDir()) && !strings.HasPrefix(s1.Dir, "/tmp") {
		t.Errorf("shared server's directory %s is not under %s", s1.Dir, os.TempDir())
	}
}

func TestFindHonoursEnvironment(t *testing.T) {
	t.Setenv(EnvBin, t.TempDir())
	_, err := Find()
	if err == nil || !strings.Contains(err.Error(), EnvBin) || !strings.Contains(err.Error(), "initdb is missing") {
		t.Fatalf("Find with an empty %s: %v", EnvBin, err)
	}
}

// childEnv makes the test binary, re-executed by TestWatchdogStopsOrphanedServers,
// start the shared server and exit without stopping it.
const childEnv = "REDRESS_PGSERVER_ORPHAN_CHILD"

func TestHelperOrphanServers(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		return // only meaningful in the child process
	}
	// Shared goes through Start; its watchdog must also remove its directory.
	s, err := Shared()
	if err != nil {
		fmt.Printf("ERROR %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("SHARED %d %s\n", s.Port, s.Dir)
	os.Exit(0) // no Stop, no cleanup: as if the test binary were killed
}

func TestWatchdogStopsOrphanedServers(t *testing.T) {
	needPostgres(t)
	t.Parallel()
	c := exec.Command(os.Args[0], "-test.run=^TestHelperOrphanServers$", "-test.count=1")
	c.Env = append(os.Environ(), childEnv+"=1")
	c.Stderr = os.Stderr
	// Output also proves that the child's server and watchdog do not keep
	// its stdout open (go test would hang if they did).
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = c.Output(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		c.Process.Kill()
		t.Fatal("child did not finish within 60s; its server may keep its stdout open")
	}
	exited := clock.Wall()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var port int
	var dir string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "SHARED" {
			port, _ = strconv.Atoi(f[1])
			dir = f[2]
		}
	}
	if port == 0 || dir == "" {
		t.Fatalf("child printed no port:\n%s", out)
	}
	t.Cleanup(func() {
		killLeftover(filepath.Join(dir, "data"))
		os.RemoveAll(dir)
	})

	deadline := exited.Add(10 * time.Second)
	for {
		_, dirErr := os.Stat(dir)
		if !listening(port) && os.IsNotExist(dirErr) {
			t.Logf("the orphaned server stopped and its directory went %v after its parent exited",
				clock.Wall().Sub(exited).Round(10*time.Millisecond))
			return
		}
		if clock.Wall().After(deadline) {
			t.Fatalf("10s after the child exited: port %d listening=%v, directory %s: %v",
				port, listening(port), dir, dirErr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
