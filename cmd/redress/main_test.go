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

	"github.com/redresshq/redress/internal/clock"
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
	case <-time.After(15 * time.Second):
		t.Fatal("server did not start within 15 s")
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
// middle of a burst of creates, with no duplicated reference and an
// intact database.
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
	client := &http.Client{Timeout: 5 * time.Second}
	const workers, maxEach = 8, 250
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
					mu.Unlock()
				}
			}
		})
	}
	// Kill once a good number of creates have been acknowledged, while
	// the workers are still sending.
	deadline := clock.Wall().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 || clock.Wall().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
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
	s2.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s2.exited:
		if s2.err != nil {
			t.Errorf("graceful shutdown: %v", s2.err)
		}
	case <-time.After(25 * time.Second):
		t.Error("server did not stop within 25 s of SIGTERM")
	}
}

// The README's commands work as a newcomer types them.
func TestAuditVerifyCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "redress.db")
	s := startServer(t, db)
	client := &http.Client{Timeout: 5 * time.Second}
	for i := range 3 {
		if status, _, err := post(client, s.url+"/api/v1/cases", map[string]any{
			"kind": "compliment", "channel": "email", "summary": fmt.Sprint("thanks ", i),
			"complainant": map[string]any{"name": "Happy Resident", "email": "happy@example.org"},
		}); err != nil || status != 201 {
			t.Fatalf("create: %d %v", status, err)
		}
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.wait(); err != nil {
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
