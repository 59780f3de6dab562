package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/redresshq/redress/internal/mail"
)

// dockerfile is what the tests read from the repository's Dockerfile:
// the build stage's go build command and environment, and the final
// stage's user, volume, environment, entry point and health check. The
// tests take them from the file itself, so that the image and the
// tests that stand in for it cannot drift apart.
type dockerfile struct {
	buildEnv   []string // the build stage's ENV, as KEY=VALUE
	goBuild    []string // the build stage's go build command, as words
	user       string   // the final stage's USER, uid:gid
	volume     string   // the final stage's VOLUME
	env        []string // the final stage's ENV, as KEY=VALUE
	entrypoint []string // the final stage's ENTRYPOINT
	health     []string // the final stage's HEALTHCHECK command
}

// readDockerfile reads the Dockerfile at path. It understands only what
// the Dockerfile's own header comment promises to keep to (one command
// per RUN, double quotes, the JSON form of ENTRYPOINT and HEALTHCHECK's
// CMD) and fails on anything else, rather than test something else.
func readDockerfile(t *testing.T, path string) dockerfile {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Join continuation lines, leaving out comments, as Docker does.
	var instrs []string
	var cur strings.Builder
	for line := range strings.Lines(string(raw)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if more, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(more + " ")
			continue
		}
		cur.WriteString(line)
		instrs = append(instrs, cur.String())
		cur.Reset()
	}
	var d dockerfile
	stage := -1 // the index of the current FROM
	final := false
	for _, in := range instrs {
		op, rest, _ := strings.Cut(in, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(op) {
		case "FROM":
			stage++
			final = !strings.Contains(strings.ToUpper(rest), " AS ") // the last, unnamed stage
		case "ENV":
			for _, kv := range words(t, rest) {
				if !strings.Contains(kv, "=") {
					t.Fatalf("Dockerfile: ENV %q: want KEY=VALUE pairs", rest)
				}
				if final {
					d.env = append(d.env, kv)
				} else {
					d.buildEnv = append(d.buildEnv, kv)
				}
			}
		case "RUN":
			if w := words(t, rest); !final && len(w) > 2 && w[0] == "go" && w[1] == "build" {
				d.goBuild = w
			}
		case "USER":
			d.user = rest
		case "VOLUME":
			d.volume = rest
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(rest), &d.entrypoint); err != nil {
				t.Fatalf("Dockerfile: ENTRYPOINT %s: want the JSON form: %v", rest, err)
			}
		case "HEALTHCHECK":
			_, cmd, ok := strings.Cut(rest, "CMD ")
			if err := json.Unmarshal([]byte(cmd), &d.health); !ok || err != nil {
				t.Fatalf("Dockerfile: HEALTHCHECK %s: want CMD in the JSON form: %v", rest, err)
			}
		}
	}
	if stage < 1 || d.goBuild == nil || d.user == "" || d.volume == "" || d.env == nil || d.entrypoint == nil || d.health == nil {
		t.Fatalf("Dockerfile: want two stages, a go build in the first and USER, VOLUME, ENV, ENTRYPOINT and HEALTHCHECK in the last; read %+v", d)
	}
	return d
}

// words splits s as a shell would split a simple command: at spaces,
// except inside double quotes, which are removed.
func words(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var w strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if inWord {
				out = append(out, w.String())
				w.Reset()
				inWord = false
			}
		case strings.ContainsRune(`'\$&|;<>`+"`", r):
			t.Fatalf("Dockerfile: %q: only plain words and double quotes are read here", s)
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("Dockerfile: %q: unbalanced double quote", s)
	}
	if inWord {
		out = append(out, w.String())
	}
	return out
}

// buildLikeTheImage builds redress into out with the Dockerfile's go
// build command and build-stage environment, and checks that the result
// is statically linked: no program interpreter (the dynamic loader) and
// no dynamic section, so it runs on an image with no C library.
func buildLikeTheImage(t *testing.T, d dockerfile, out string) {
	t.Helper()
	args := slices.Clone(d.goBuild[1:])
	i := slices.Index(args, "-o")
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("Dockerfile: go build without -o: %q", d.goBuild)
	}
	args[i+1] = out
	cmd := exec.Command("go", args...)
	cmd.Dir = filepath.Join("..", "..") // the module's root, the build's context
	cmd.Env = append(os.Environ(), d.buildEnv...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is dynamically linked and would not run on distroless/static", p.Type)
		}
	}
	if f.Section(".dynamic") != nil || f.Section(".interp") != nil {
		t.Error("the binary has a .dynamic or .interp section: it is dynamically linked")
	}
	if !slices.Contains(d.buildEnv, "CGO_ENABLED=0") {
		t.Error("the Dockerfile's build stage does not set CGO_ENABLED=0")
	}
	if !slices.Contains(d.goBuild, "-trimpath") {
		t.Error("the Dockerfile's go build does not use -trimpath: the binary would carry the build machine's paths")
	}
}

// listing is every file and directory under a tree, with what would
// change if it were written: its mode, size, owner and modification
// time.
func listing(t *testing.T, root, skip string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == skip {
			return filepath.SkipDir
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		out[path] = fmt.Sprintf("%v %d %d:%d %s", info.Mode(), info.Size(), st.Uid, st.Gid, info.ModTime().Format(time.RFC3339Nano))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The image's binary, built as the Dockerfile builds it, runs as the
// image runs it: as the Dockerfile's non-root USER, from a directory it
// cannot write, in a working directory it cannot write, with no HOME,
// only the environment the Dockerfile sets (its volume's paths moved to
// a directory of the test's) and only the volume writable. serve --demo
// starts and is ready, the HEALTHCHECK command passes, a case can be
// created with a token the demo printed, a SIGTERM stops it cleanly, the
// volume then holds the database and its audit key, which verify, and
// nothing outside the volume was written.
func TestImageRunsAsNonRootWithOnlyTheVolumeWritable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts it; skipped with -short")
	}
	d := readDockerfile(t, filepath.Join("..", "..", "Dockerfile"))
	uidText, gidText, ok := strings.Cut(d.user, ":")
	uid, err1 := strconv.ParseUint(uidText, 10, 32)
	gid, err2 := strconv.ParseUint(gidText, 10, 32)
	if !ok || err1 != nil || err2 != nil || uid == 0 || gid == 0 {
		t.Fatalf("Dockerfile: USER %q: want a non-root uid:gid by number", d.user)
	}
	if os.Geteuid() != 0 {
		t.Skip("running as another user needs root: this test must run as root to switch to the Dockerfile's USER " + d.user)
	}

	// The sandbox: a root-owned tree the user may read but not write,
	// with the volume, owned by the user, inside it.
	root := t.TempDir()
	for _, dir := range []string{filepath.Dir(root), root} {
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(root, "bin", "redress")
	work := filepath.Join(root, "work")   // the working directory
	tmp := filepath.Join(root, "tmp")     // the image's /tmp, writable by all
	volume := filepath.Join(root, "data") // the image's VOLUME
	for _, dir := range []string{filepath.Dir(bin), work, tmp, volume} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(tmp, 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(volume, int(uid), int(gid)); err != nil {
		t.Fatal(err)
	}
	buildLikeTheImage(t, d, bin)

	// The image's environment and nothing else, with the volume's paths
	// moved into the sandbox and the address on a free loopback port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var env []string
	for _, kv := range d.env {
		k, v, _ := strings.Cut(kv, "=")
		if rest, ok := strings.CutPrefix(v, d.volume+"/"); ok {
			v = filepath.Join(volume, rest)
		}
		if k == "REDRESS_ADDR" {
			v = addr
		}
		env = append(env, k+"="+v)
	}
	env = append(env, "TMPDIR="+tmp)
	if !slices.Contains(env, "REDRESS_DB="+filepath.Join(volume, "redress.db")) {
		t.Fatalf("Dockerfile: ENV does not put REDRESS_DB on the volume %s: %q", d.volume, d.env)
	}
	redressAs := func(args ...string) *exec.Cmd {
		if args[0] != d.entrypoint[0] {
			t.Fatalf("the HEALTHCHECK runs %q, not the ENTRYPOINT %q", args[0], d.entrypoint[0])
		}
		cmd := exec.Command(bin, args[1:]...)
		cmd.Dir = work
		cmd.Env = env
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}
		return cmd
	}
	before := listing(t, root, volume)

	// docker run IMAGE serve --demo
	cmd := redressAs(append(d.entrypoint, "serve", "--demo")...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, url: "http://" + addr, exited: make(chan struct{})}
	var (
		mu  sync.Mutex
		log bytes.Buffer // stderr, for the failure messages
	)
	serving, token := make(chan struct{}), make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		once := sync.OnceFunc(func() { close(serving) })
		for sc.Scan() {
			mu.Lock()
			log.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if strings.Contains(sc.Text(), "msg=serving") {
				once()
			}
		}
	}()
	go func() {
		// The demo's table of staff: EMAIL ROLE PASSWORD TOKEN.
		sc := bufio.NewScanner(stdout)
		found := false
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if !found && len(f) == 4 && strings.Contains(f[0], "@") && (f[1] == "officer" || f[1] == "admin") {
				token <- f[3]
				found = true
			}
		}
	}()
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		s.wait()
	})
	logs := func() string { mu.Lock(); defer mu.Unlock(); return log.String() }
	select {
	case <-serving:
	case <-s.exited:
		t.Fatalf("serve --demo exited before serving: %v\n%s", s.err, logs())
	case <-time.After(bound):
		t.Fatalf("serve --demo did not start serving within %s\n%s", bound, logs())
	}

	client := &http.Client{Timeout: bound}
	resp, err := client.Get(s.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz answered %s\n%s", resp.Status, logs())
	}

	// The image's HEALTHCHECK, run as the image runs it.
	hc := redressAs(d.health...)
	if out, err := hc.CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "ready: ") {
		t.Fatalf("HEALTHCHECK %q: %v\n%s", d.health, err, out)
	}

	var tok string
	select {
	case tok = <-token:
	case <-time.After(bound):
		t.Fatal("serve --demo printed no officer's or admin's token")
	}
	body, _ := json.Marshal(map[string]any{
		"kind": "complaint", "channel": "web", "summary": "The container's first complaint",
		"complainant": map[string]any{"name": "Volume Tester", "email": "volume@example.org"},
	})
	req, _ := http.NewRequest("POST", s.url+"/api/v1/cases", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ Reference string }
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || created.Reference == "" {
		t.Fatalf("create a case with the demo's token: %s, reference %q\n%s", resp.Status, created.Reference, logs())
	}

	// docker stop sends SIGTERM.
	if err := s.stop(t); err != nil {
		t.Fatalf("serve did not stop cleanly on SIGTERM: %v\n%s", err, logs())
	}

	// The volume holds the database and its audit key, the user's, and
	// they belong together: the chain verifies with that key.
	for _, name := range []string{"redress.db", "redress.audit.key"} {
		info, err := os.Stat(filepath.Join(volume, name))
		if err != nil {
			t.Errorf("the volume has no %s: %v", name, err)
			continue
		}
		if st := info.Sys().(*syscall.Stat_t); uint64(st.Uid) != uid {
			t.Errorf("%s is owned by uid %d, want the image's user %d", name, st.Uid, uid)
		}
	}
	verify := redressAs(d.entrypoint[0], "audit", "verify")
	if out, err := verify.CombinedOutput(); err != nil || !regexp.MustCompile(`\d+ events, hash chain verified`).Match(out) {
		t.Errorf("audit verify on the volume: %v\n%s", err, out)
	}

	// Nothing outside the volume was written: not the binary's
	// directory, not the working directory, not /tmp.
	after := listing(t, root, volume)
	for path, was := range before {
		if now, ok := after[path]; !ok {
			t.Errorf("%s was removed", path)
		} else if now != was {
			t.Errorf("%s changed: %s, was %s", path, now, was)
		}
	}
	for path, now := range after {
		if _, ok := before[path]; !ok {
			t.Errorf("%s was written outside the volume: %s", path, now)
		}
	}
}

// composeService is what the compose test reads of a service in
// compose.yaml.
type composeService struct {
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

// mounts returns the service's named volumes by where they are mounted.
func (s composeService) mounts() map[string]string {
	m := map[string]string{}
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 {
			m[parts[1]] = parts[0]
		}
	}
	return m
}

// compose.yaml, which no container engine here can run, holds together
// as Redress reads it: the mail settings are ones Redress accepts
// (plain text only to 127.0.0.1, so not to another container), no
// password sits in REDRESS_DB, every file Redress is told to read (a
// _FILE secret, the pgpass file, the extra certificates) is on a volume
// mounted into it that the secrets service writes, PostgreSQL's
// database gets the character type Redress requires, Redress waits for
// healthy dependencies, and its health check is the image's.
func TestComposeFileWiresRedressAsRedressReadsIt(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]composeService `yaml:"services"`
		Volumes  map[string]any            `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	r, ok := c.Services["redress"]
	if !ok {
		t.Fatal("compose.yaml has no redress service")
	}
	env := r.Environment

	port, _ := strconv.Atoi(env["REDRESS_SMTP_PORT"])
	smtp := mail.Config{Host: env["REDRESS_SMTP_HOST"], Port: port, Security: env["REDRESS_SMTP_SECURITY"], From: env["REDRESS_MAIL_FROM"]}
	if err := smtp.Check(); err != nil {
		t.Errorf("Redress refuses the compose file's mail settings %+v: %v", smtp, err)
	}

	db, err := url.Parse(env["REDRESS_DB"])
	if err != nil || db.Scheme != "postgres" {
		t.Fatalf("REDRESS_DB %q is not a postgres:// URL: %v", env["REDRESS_DB"], err)
	}
	if _, has := db.User.Password(); has {
		t.Error("REDRESS_DB carries the database password")
	}
	files := []string{db.Query().Get("passfile")}
	for k, v := range env {
		if strings.HasSuffix(k, "_FILE") {
			files = append(files, v)
		}
	}
	for _, dir := range strings.Split(env["SSL_CERT_DIR"], ":") {
		if dir != "/etc/ssl/certs" {
			files = append(files, dir+"/")
		}
	}
	if !slices.ContainsFunc(files, func(f string) bool { return strings.HasPrefix(f, "/") && strings.Contains(f, "audit_key") }) {
		t.Error("the redress service is given no audit key file, which PostgreSQL requires")
	}
	written := c.Services["secrets"].mounts()
	for _, f := range files {
		volume := ""
		for target, name := range r.mounts() {
			if strings.HasPrefix(f, target+"/") {
				volume = name
			}
		}
		if volume == "" {
			t.Errorf("redress is told to read %s, which is on no volume mounted into it", f)
			continue
		}
		if !slices.Contains(slices.Collect(maps.Values(written)), volume) {
			t.Errorf("%s is on the volume %s, which the secrets service does not write", f, volume)
		}
	}

	if args := c.Services["postgres"].Environment["POSTGRES_INITDB_ARGS"]; !strings.Contains(args, "--lc-ctype=C") {
		t.Errorf("POSTGRES_INITDB_ARGS %q: Redress refuses a database whose character type is not C", args)
	}
	for name, dep := range r.DependsOn {
		if dep.Condition != "service_healthy" {
			t.Errorf("redress depends on %s with condition %q, want service_healthy", name, dep.Condition)
		}
		if len(c.Services[name].Healthcheck.Test) == 0 {
			t.Errorf("redress waits for %s to be healthy, which has no health check", name)
		}
	}
	for name, s := range c.Services {
		for _, v := range s.mounts() {
			if _, ok := c.Volumes[v]; !ok && !strings.HasPrefix(v, ".") && !strings.HasPrefix(v, "/") {
				t.Errorf("service %s mounts the volume %s, which compose.yaml does not declare", name, v)
			}
		}
	}
	d := readDockerfile(t, filepath.Join("..", "..", "Dockerfile"))
	if got, want := r.Healthcheck.Test, append([]string{"CMD"}, d.health...); !slices.Equal(got, want) {
		t.Errorf("the redress service's health check is %q, the image's %q", got, want)
	}
}
