// Package pgserver starts throwaway PostgreSQL servers for tests, so that
// Redress's PostgreSQL code is exercised against a real server instead of a
// fake, with nothing to set up beyond having PostgreSQL's binaries installed.
//
// A server lives in a directory of its own (data directory, log file and unix
// socket), listens on 127.0.0.1 on a free port, trusts every local
// connection, and trades durability for speed (fsync=off and friends). Each
// server is watched by a small shell process that stops it as soon as the
// process that started it exits, however it exits, so killed or crashed test
// binaries leave no postgres processes behind.
//
// The package uses only the standard library: it drives initdb, pg_ctl and
// psql rather than a Go PostgreSQL driver.
package pgserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// EnvBin names the environment variable that, when set, points at the
// directory holding initdb, pg_ctl and postgres, so that developers with
// PostgreSQL installed somewhere unusual (or several versions) can choose it.
const EnvBin = "REDRESS_PG_BIN"

// installHint tells a developer how to get the binaries Find looks for.
const installHint = "apt-get install postgresql, or set " + EnvBin + " to the directory holding initdb, pg_ctl and postgres"

// serverBinaries are the programs Start needs; a directory lacking any of
// them is not a usable PostgreSQL installation.
var serverBinaries = []string{"initdb", "pg_ctl", "postgres"}

// Find reports the directory holding PostgreSQL's server binaries (initdb,
// pg_ctl, postgres), so that tests can skip with an actionable message when
// PostgreSQL is missing instead of failing obscurely. It uses $REDRESS_PG_BIN
// if set, else the directory of initdb found on PATH (after resolving
// symlinks), else the newest /usr/lib/postgresql/*/bin.
func Find() (bin string, err error) {
	if b := os.Getenv(EnvBin); b != "" {
		if err := checkBin(b); err != nil {
			return "", fmt.Errorf("PostgreSQL is not installed where %s says: %v; fix %s or unset it", EnvBin, err, EnvBin)
		}
		return filepath.Abs(b)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		if d := filepath.Dir(p); checkBin(d) == nil {
			return filepath.Abs(d)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if checkBin(d) == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL is not installed: " + installHint +
		" (looked for initdb on PATH and in /usr/lib/postgresql/*/bin)")
}

// versionOf extracts the major version from /usr/lib/postgresql/<v>/bin so
// that Find prefers 16 over 9.6, which a string sort would not.
func versionOf(binDir string) float64 {
	v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	if err != nil {
		return -1
	}
	return v
}

// checkBin reports which server binary, if any, dir lacks.
func checkBin(dir string) error {
	for _, name := range serverBinaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("%s is missing from %s", name, dir)
		}
		if fi.IsDir() || fi.Mode()&0o111 == 0 {
			return fmt.Errorf("%s in %s is not executable", name, dir)
		}
	}
	return nil
}

// Server is a PostgreSQL server in a temporary directory, started by Start
// or Shared so that tests can connect to a real database; call Stop when done
// (the watchdog stops it anyway if the process exits first).
type Server struct {
	// Dir is the directory given to Start; it holds the data directory,
	// the log file and (when its path is short enough) the unix socket.
	Dir string
	// DataDir is the cluster's data directory (PGDATA), Dir/data.
	DataDir string
	// LogFile is the server's log, Dir/postgres.log, worth reading when a
	// test fails in a way that only the server can explain.
	LogFile string
	// SocketDir is the directory holding the server's unix socket: Dir,
	// or a short directory under os.TempDir when Dir's path is too long
	// for a unix socket address.
	SocketDir string
	// Port is the TCP port the server listens on at 127.0.0.1.
	Port int
	// Bin is the directory of the PostgreSQL binaries in use (see Find).
	Bin string
	// User is the system user the server runs as when the caller is root
	// (PostgreSQL refuses to run as root); empty when it runs as the caller.
	User string

	cred       *syscall.Credential // run initdb/pg_ctl as this user, when root
	removeDir  bool                // Dir belongs to the package (Shared): remove it when stopped
	ownSockDir bool                // SocketDir was made by Start: remove it when stopped

	watchdog     *exec.Cmd
	watchdogPipe *os.File // write end; closing it (or exiting) wakes the watchdog
	watchdogDone chan struct{}

	stopOnce sync.Once
	stopErr  error
}

// maxSocketPath is the longest unix socket path Linux accepts (sun_path is
// 108 bytes including the terminating NUL).
const maxSocketPath = 107

// Start initialises a data directory under dir and starts a server on it,
// so that a test gets a private PostgreSQL it can break at will.
//
// The cluster is made with initdb --locale=C -E UTF8 --auth=trust -U postgres
// and runs with settings for tests (fsync=off, synchronous_commit=off,
// full_page_writes=off, max_connections=200, shared_buffers=128MB), listening
// on 127.0.0.1 on a free port and on a unix socket in dir. When the caller is
// root, which initdb refuses, everything runs as the "postgres" system user
// (or "nobody" if there is none): dir is chowned to that user, and parent
// directories under os.TempDir that the user cannot search get o+x.
//
// Start returns once the server accepts connections. The server is watched
// by a small process that stops it within about a second of the calling
// process exiting without calling Stop, so killed test binaries leave
// nothing running.
func Start(ctx context.Context, dir string) (*Server, error) {
	return start(ctx, dir, false, nil)
}

// StartReplica starts a streaming replica of primary under dir: a copy of
// its data directory taken with pg_basebackup, which follows the primary
// and answers read-only queries, as a landlord's reporting replica does.
// It is watched and stopped like a server from Start.
func StartReplica(ctx context.Context, dir string, primary *Server) (*Server, error) {
	return start(ctx, dir, false, primary)
}

func start(ctx context.Context, dir string, removeDir bool, primary *Server) (*Server, error) {
	bin, err := Find()
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		dir = r
	}
	s := &Server{
		Dir:       dir,
		DataDir:   filepath.Join(dir, "data"),
		LogFile:   filepath.Join(dir, "postgres.log"),
		SocketDir: dir,
		Bin:       bin,
		removeDir: removeDir,
	}
	if os.Geteuid() == 0 {
		if err := s.dropRoot(); err != nil {
			return nil, err
		}
	}
	if len(dir)+len("/.s.PGSQL.65535.lock") > maxSocketPath {
		sd, err := os.MkdirTemp("", "pgsock")
		if err != nil {
			return nil, fmt.Errorf("pgserver: socket directory: %w", err)
		}
		s.SocketDir, s.ownSockDir = sd, true
		if err := s.chown(sd); err != nil {
			os.RemoveAll(sd)
			return nil, err
		}
	}

	if primary != nil {
		// -R writes standby.signal and the primary's address, so the copy
		// starts as a replica following it; the copy's postgresql.conf
		// already includes pgserver.conf, which startServer rewrites. A
		// fast checkpoint starts the copy at once rather than after a
		// spread one (minutes).
		if out, err := s.command(ctx, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(primary.Port), "-U", "postgres",
			"-D", s.DataDir, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast").CombinedOutput(); err != nil {
			s.cleanupSockDir()
			return nil, fmt.Errorf("pgserver: pg_basebackup into %s failed: %v\n%s", s.DataDir, err, lastLines(string(out), 20))
		}
		return s.run(ctx)
	}
	if out, err := s.command(ctx, "initdb", "-D", s.DataDir, "--locale=C", "-E", "UTF8",
		"--auth=trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		s.cleanupSockDir()
		return nil, fmt.Errorf("pgserver: initdb in %s failed: %v\n%s", s.DataDir, err, lastLines(string(out), 20))
	}
	conf, err := os.OpenFile(filepath.Join(s.DataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = conf.WriteString("\n# Settings for tests, written by redress/internal/pgserver.\ninclude_if_exists = 'pgserver.conf'\n")
		if cerr := conf.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		s.cleanupSockDir()
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	return s.run(ctx)
}

// run starts the server on its prepared data directory, under its
// watchdog.
func (s *Server) run(ctx context.Context) (*Server, error) {
	// The watchdog starts before the server so that a caller killed while
	// pg_ctl is still waiting does not leave the new server behind.
	if err := s.startWatchdog(); err != nil {
		s.cleanupSockDir()
		return nil, err
	}
	var err error
	for attempt := 0; ; attempt++ {
		err = s.startServer(ctx)
		if err == nil {
			return s, nil
		}
		if attempt > 0 || !portClash(s.LogFile) || ctx.Err() != nil {
			break
		}
	}
	s.stopWatchdog() // also kills a postmaster that pg_ctl left running
	s.cleanupSockDir()
	return nil, err
}

// dropRoot picks the unprivileged user the server runs as and hands dir to it.
func (s *Server) dropRoot() error {
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return errors.New("pgserver: running as root, but PostgreSQL refuses to run as root and there is neither a postgres nor a nobody user to run it as: create a postgres user (apt-get install postgresql does)")
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("pgserver: user %s has a non-numeric uid or gid", u.Username)
	}
	s.User = u.Username
	s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if err := s.chown(s.Dir); err != nil {
		return err
	}
	return makeSearchable(s.Dir, uid, gid, u.Username)
}

// chown gives path to the user the server runs as, if it is not the caller.
func (s *Server) chown(path string) error {
	if s.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
		return fmt.Errorf("pgserver: giving %s to user %s: %w", path, s.User, err)
	}
	return nil
}

// makeSearchable makes sure the user uid/gid can reach dir, adding o+x to
// parents under os.TempDir that lack it (t.TempDir makes 0700 parents) and
// refusing to touch anything elsewhere.
func makeSearchable(dir string, uid, gid int, name string) error {
	tmp := os.TempDir()
	if r, err := filepath.EvalSymlinks(tmp); err == nil {
		tmp = r
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("pgserver: %w", err)
		}
		if !searchable(fi, uid, gid) {
			rel, err := filepath.Rel(tmp, p)
			if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
				return fmt.Errorf("pgserver: PostgreSQL refuses to run as root, so it runs as user %s, who cannot reach %s because %s is not searchable by it: use a directory under %s, or chmod o+x %s",
					name, dir, p, tmp, p)
			}
			if err := os.Chmod(p, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("pgserver: letting user %s reach %s: %w", name, dir, err)
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// searchable reports whether uid/gid may traverse the directory fi
// (ignoring supplementary groups and ACLs, which errs on the safe side).
func searchable(fi os.FileInfo, uid, gid int) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	m := fi.Mode().Perm()
	switch {
	case int(st.Uid) == uid:
		return m&0o100 != 0
	case int(st.Gid) == gid:
		return m&0o010 != 0
	default:
		return m&0o001 != 0
	}
}

// startServer picks a free port, writes the test settings and runs pg_ctl start -w.
func (s *Server) startServer(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return fmt.Errorf("pgserver: finding a free port: %w", err)
	}
	s.Port = port
	settings := fmt.Sprintf(`listen_addresses = '127.0.0.1'
port = %d
unix_socket_directories = %s
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
`, port, quoteConf(s.SocketDir))
	confPath := filepath.Join(s.DataDir, "pgserver.conf")
	if err := os.WriteFile(confPath, []byte(settings), 0o600); err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	if err := s.chown(confPath); err != nil {
		return err
	}
	out, err := s.command(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", s.DataDir, "-l", s.LogFile).CombinedOutput()
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	if err != nil {
		return fmt.Errorf("pgserver: starting PostgreSQL in %s on port %d failed: %v\n%s\nlast lines of %s:\n%s",
			s.DataDir, port, err, lastLines(string(out), 20), s.LogFile, logTail(s.LogFile, 20))
	}
	return nil
}

// quoteConf quotes a postgresql.conf string value.
func quoteConf(v string) string {
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// freePort asks the kernel for a free port; someone else may take it before
// the server binds it, which Start handles by retrying once.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// portClash reports whether the log says the server lost the race for its port.
func portClash(logFile string) bool {
	t := logTail(logFile, 20)
	return strings.Contains(t, "already in use") || strings.Contains(t, "could not create any TCP/IP sockets")
}

// logTail returns the last n lines of a log file, for error messages.
func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return lastLines(string(b), n)
}

// lastLines keeps error messages readable when a program says a lot.
func lastLines(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// command prepares a server binary to run as the server's user, in Dir, with
// no PG* variables from the caller's environment leaking in.
func (s *Server) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, filepath.Join(s.Bin, name), args...)
	c.Dir = s.Dir
	c.Env = cleanEnv()
	if s.cred != nil {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	c.WaitDelay = 5 * time.Second
	return c
}

// cleanEnv is the caller's environment without PG* variables, which would
// otherwise redirect psql or pg_ctl (PGHOST, PGDATA, PGOPTIONS, ...).
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// watchdogScript waits for its stdin, a pipe whose only writer is the Go
// process, to deliver "stop" (Stop) or end-of-file (the process died; the
// kernel closes the pipe whatever killed it). On death it gives a server that
// is still being started a moment to write postmaster.pid. Either way it then
// shuts the server down immediately (SIGQUIT, as pg_ctl stop -m immediate
// does, which also works for root, whom pg_ctl refuses), waits for it to go,
// and removes the directories it was told to.
//
// Arguments: $1 postmaster.pid, $2 directory to remove or "", $3 socket
// directory to remove or "".
const watchdogScript = `
trap '' INT HUP
pidfile=$1
if IFS= read -r msg && [ "$msg" = stop ]; then
	:
else
	i=0
	while [ ! -f "$pidfile" ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done
fi
if [ -f "$pidfile" ]; then
	pid=$(head -n 1 "$pidfile" 2>/dev/null)
	if [ -n "$pid" ]; then kill -QUIT "$pid" 2>/dev/null; fi
	i=0
	while [ -f "$pidfile" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
fi
if [ -n "$3" ]; then rm -rf "$3"; fi
if [ -n "$2" ]; then rm -rf "$2"; fi
`

// startWatchdog starts the process that stops the server when the caller
// goes away; it runs as the caller (so it can signal and remove everything)
// in its own process group (so a terminal's Ctrl-C does not kill it before
// it has done its job), with no inherited output (so go test does not wait
// for it).
func (s *Server) startWatchdog() error {
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("pgserver: watchdog: %w", err)
	}
	var rmDir, rmSock string
	if s.removeDir {
		rmDir = s.Dir
	}
	if s.ownSockDir {
		rmSock = s.SocketDir
	}
	c := exec.Command("/bin/sh", "-c", watchdogScript, "pgserver-watchdog",
		filepath.Join(s.DataDir, "postmaster.pid"), rmDir, rmSock)
	c.Stdin = r
	c.Dir = "/"
	c.Env = cleanEnv()
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		r.Close()
		w.Close()
		return fmt.Errorf("pgserver: starting watchdog: %w", err)
	}
	r.Close()
	s.watchdog, s.watchdogPipe = c, w
	s.watchdogDone = make(chan struct{})
	go func() {
		c.Wait()
		close(s.watchdogDone)
	}()
	return nil
}

// stopWatchdog tells the watchdog to stop the server (if still running) and
// waits for it to finish.
func (s *Server) stopWatchdog() error {
	if s.watchdog == nil {
		return nil
	}
	s.watchdogPipe.WriteString("stop\n")
	s.watchdogPipe.Close()
	select {
	case <-s.watchdogDone:
		return nil
	case <-time.After(20 * time.Second):
		syscall.Kill(-s.watchdog.Process.Pid, syscall.SIGKILL)
		<-s.watchdogDone
		return errors.New("pgserver: watchdog did not finish within 20s")
	}
}

// cleanupSockDir removes a socket directory made by Start.
func (s *Server) cleanupSockDir() {
	if s.ownSockDir {
		os.RemoveAll(s.SocketDir)
	}
}

// URL returns a postgres:// URL for database on the server (user postgres,
// host 127.0.0.1, sslmode=disable), ready for any driver, so that callers
// need not know how the server was set up.
func (s *Server) URL(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Stop stops the server (pg_ctl stop -m fast) and its watchdog, and removes
// what the package created on its own (Shared's directory, a separate socket
// directory), so that tests release ports, memory and disk. Calling it again
// returns the first result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	if _, err := os.Stat(filepath.Join(s.DataDir, "postmaster.pid")); err == nil {
		if out, err := s.command(ctx, "pg_ctl", "stop", "-m", "fast", "-w", "-D", s.DataDir).CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("pgserver: pg_ctl stop: %v: %s", err, strings.TrimSpace(string(out))))
		}
	}
	if err := s.stopWatchdog(); err != nil {
		errs = append(errs, err)
	}
	s.cleanupSockDir()
	if s.removeDir {
		if err := os.RemoveAll(s.Dir); err != nil {
			errs = append(errs, fmt.Errorf("pgserver: %w", err))
		}
	}
	return errors.Join(errs...)
}

// psqlPath finds psql next to the server binaries, else on PATH (Debian
// keeps a wrapper in /usr/bin).
func (s *Server) psqlPath() (string, error) {
	p := filepath.Join(s.Bin, "psql")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	p, err := exec.LookPath("psql")
	if err != nil {
		return "", errors.New("pgserver: psql is not installed: apt-get install postgresql-client")
	}
	return p, nil
}

// Exec runs sql in database through psql over TCP and returns its output
// (unaligned, tuples only, trailing newline trimmed), so that tests and
// helpers can set up or inspect databases without a Go PostgreSQL driver.
// It stops at the first error, which carries psql's message.
func (s *Server) Exec(ctx context.Context, database, sql string) (string, error) {
	psql, err := s.psqlPath()
	if err != nil {
		return "", err
	}
	conninfo := fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=%s sslmode=disable connect_timeout=10",
		s.Port, quoteConninfo(database))
	c := exec.CommandContext(ctx, psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql)
	c.Env = cleanEnv()
	c.WaitDelay = 5 * time.Second
	var stdout, stderr strings.Builder
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		return "", fmt.Errorf("pgserver: psql in database %q: %v: %s", database, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimRight(stdout.String(), "\n"), nil
}

// quoteConninfo quotes a libpq conninfo value.
func quoteConninfo(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// dbName is what CreateDatabase and DropDatabase accept, which keeps the
// names safe to splice into SQL and valid without quoting surprises.
var dbName = regexp.MustCompile(`^[a-z0-9_]{1,63}$`)

func checkName(what, name string) error {
	if !dbName.MatchString(name) {
		return fmt.Errorf("pgserver: %s name %q must be 1 to 63 characters of [a-z0-9_]", what, name)
	}
	return nil
}

// CreateDatabase creates database name, copied from template when template
// is not empty (template0 for a pristine database, or a database a test
// prepared once and wants many fresh copies of), so that each test can have
// a database of its own cheaply. Names must match [a-z0-9_]+. The template
// must have no open connections while it is copied.
func (s *Server) CreateDatabase(ctx context.Context, name, template string) error {
	if err := checkName("database", name); err != nil {
		return err
	}
	sql := `CREATE DATABASE "` + name + `"`
	if template != "" {
		if err := checkName("template", template); err != nil {
			return err
		}
		sql += ` TEMPLATE "` + template + `"`
	}
	_, err := s.Exec(ctx, "postgres", sql)
	return err
}

// DropDatabase drops database name if it exists, disconnecting anyone still
// connected (WITH (FORCE)), so that tests can clean up even when a
// connection pool has not yet been closed. Names must match [a-z0-9_]+.
func (s *Server) DropDatabase(ctx context.Context, name string) error {
	if err := checkName("database", name); err != nil {
		return err
	}
	_, err := s.Exec(ctx, "postgres", `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
	return err
}

// sharedServer starts the test binary's shared server once.
var sharedServer = sync.OnceValues(func() (*Server, error) {
	dir, err := os.MkdirTemp("", "redress-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := start(ctx, dir, true, nil)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
})

// Shared returns one server for the whole test binary, started on first use
// in a temporary directory under os.TempDir, so that test packages pay for
// initdb once and give each test its own database with CreateDatabase
// instead of its own server. Later calls return the same server, or the same
// error. There is no need to stop it (and tests must not): the watchdog
// stops it and removes its directory when the test binary exits, so no
// TestMain is needed.
func Shared() (*Server, error) {
	return sharedServer()
}
