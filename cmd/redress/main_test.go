package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestMain lets the tests run this very binary as the redress command,
// as a separate process that can be killed.
func TestMain(m *testing.M) {
	if os.Getenv("REDRESS_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

const bootstrap = "test-bootstrap-token-0123456789abcdef"

// bound is how long a test waits for something that should happen soon
// (the server to start or stop, a request's answer, a burst to get going)
// before it gives up. It is a safety net against a hang, never a target:
// a shared CI machine under load can take seconds for what takes
// milliseconds on a quiet one.
const bound = 2 * time.Minute

// server is a redress serve process.
type server struct {
	cmd    *exec.Cmd
	url    string
	exited chan struct{} // closed when the process has exited
	err    error         // its exit error, once exited is closed
}

// wait waits for the process to exit and returns how it exited.
func (s *server) wait() error {
	<-s.exited
	return s.err
}

// stop asks the process to stop with SIGTERM, waits for it to exit, and
// returns how it exited. It fails the test if the process is still
// running after bound.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.exited:
		return s.err
	case <-time.After(bound):
		t.Fatalf("server did not stop within %s of SIGTERM", bound)
		return nil
	}
}

func startServer(t *testing.T, db string) *server {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1", "REDRESS_BOOTSTRAP_TOKEN="+bootstrap)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, exited: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=serving addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		s.wait()
	})
	select {
	case a := <-addr:
		s.url = "http://" + a
	case <-s.exited:
		t.Fatalf("server exited before serving: %v", s.err)
	case <-time.After(bound):
		t.Fatalf("server did not start serving within %s", bound)
	}
	return s
}

func post(client *http.Client, url string, body any) (int, map[string]any, error) {
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+bootstrap)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var m map[string]any
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	json.Unmarshal(raw, &m)
	return resp.StatusCode, m, nil
}

// Every case the server acknowledged with a 201 survives a SIGKILL in the
// middle of a burst of creates from 64 clients at once, whose writes the
// store commits together in shared transactions, with no duplicated
// reference and an intact database.
func TestEveryAcknowledgedCreateSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	db := filepath.Join(t.TempDir(), "redress.db")
	s := startServer(t, db)

	type ack struct{ ref, summary string }
	var (
		mu    sync.Mutex
		acked []ack
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: bound}
	const workers, maxEach, killAt = 64, 40, 400
	enough := make(chan struct{}) // closed at the killAt'th acknowledgement
	for w := range workers {
		wg.Go(func() {
			for i := range maxEach {
				summary := fmt.Sprintf("burst worker %d case %d", w, i)
				status, body, err := post(client, s.url+"/api/v1/cases", map[string]any{
					"kind": "complaint", "channel": "web", "summary": summary,
					"complainant": map[string]any{"name": "Crash Test", "email": "crash@example.org"},
				})
				if err != nil {
					return // The server is gone.
				}
				if status == http.StatusCreated {
					mu.Lock()
					acked = append(acked, ack{body["reference"].(string), summary})
					if len(acked) == killAt {
						close(enough)
					}
					mu.Unlock()
				}
			}
		})
	}
	// Kill once a good number of creates have been acknowledged, while
	// the workers are still sending. Should every worker stop first, or
	// the acknowledgements come too slowly for bound, the checks after
	// the kill say what happened.
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-enough:
	case <-finished:
		t.Log("every worker stopped before the kill")
	case <-time.After(bound):
		mu.Lock()
		t.Logf("only %d creates acknowledged within %s; killing now", len(acked), bound)
		mu.Unlock()
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	s.wait()
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d creates acknowledged before the kill; the test proves little", len(acked))
	}
	if len(acked) >= workers*maxEach {
		t.Fatal("the burst finished before the kill; the kill was not mid-burst")
	}

	// The database is intact, straight after the kill.
	sdb, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	var integrity string
	if err := sdb.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check = %q, %v", integrity, err)
	}
	sdb.Close()

	// Restart: every acknowledged case is there, with its own content.
	s2 := startServer(t, db)
	got := map[string]string{}
	cursor := ""
	for {
		req, _ := http.NewRequest("GET", s2.url+"/api/v1/cases?limit=500&cursor="+cursor, nil)
		req.Header.Set("Authorization", "Bearer "+bootstrap)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Cases []struct {
				Reference, Summary string
			}
			NextCursor string `json:"next_cursor"`
		}
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		for _, c := range page.Cases {
			if _, dup := got[c.Reference]; dup {
				t.Errorf("reference %s appears twice", c.Reference)
			}
			got[c.Reference] = c.Summary
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	for _, a := range acked {
		if got[a.ref] != a.summary {
			t.Errorf("acknowledged %s (%q) is missing or changed after the kill: %q", a.ref, a.summary, got[a.ref])
		}
	}
	t.Logf("%d creates acknowledged before SIGKILL; %d cases after restart; all acknowledged ones present", len(acked), len(got))

	// A second kill is not needed: stop gracefully and expect a clean exit.
	if err := s2.stop(t); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
	// The audit chain the shared commits wrote is whole: each create's
	// event follows the one committed before it.
	cmd := exec.CommandContext(context.Background(), os.Args[0], "audit", "verify", "--db", db)
	cmd.Env = append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1")
	out, err := cmd.CombinedOutput()
	if want := fmt.Sprintf("%d events, hash chain verified", len(got)); err != nil || !strings.Contains(string(out), want) {
		t.Errorf("audit verify after the kill: %v, want %q\n%s", err, want, out)
	}
}

// The README's commands work as a newcomer types them.
func TestAuditVerifyCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "redress.db")
	s := startServer(t, db)
	client := &http.Client{Timeout: bound}
	for i := range 3 {
		if status, _, err := post(client, s.url+"/api/v1/cases", map[string]any{
			"kind": "compliment", "channel": "email", "summary": fmt.Sprint("thanks ", i),
			"complainant": map[string]any{"name": "Happy Resident", "email": "happy@example.org"},
		}); err != nil || status != 201 {
			t.Fatalf("create: %d %v", status, err)
		}
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}

	run := func(args ...string) (int, string) {
		cmd := exec.CommandContext(context.Background(), os.Args[0], args...)
		cmd.Env = append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1")
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	if code, out := run("audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "3 events, hash chain verified") {
		t.Fatalf("audit verify: exit %d\n%s", code, out)
	}
	sdb, _ := sql.Open("sqlite", "file:"+db)
	if _, err := sdb.Exec(`UPDATE events SET actor = 'mallory@example.org' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	if code, out := run("audit", "verify", "--db", db); code != 1 || !strings.Contains(out, "it was edited") {
		t.Fatalf("audit verify after tampering: exit %d\n%s", code, out)
	}
	if code, out := run("migrate", "--db", db); code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: exit %d\n%s", code, out)
	}
}
