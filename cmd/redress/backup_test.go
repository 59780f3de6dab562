package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// redress runs the redress command as its own process, as an operator
// would from a shell beside the running server, and returns its exit code
// and output.
func redress(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1"), env...)
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil {
		t.Fatalf("redress %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// A backup taken by `redress backup` from another process, while `serve`
// runs and eight clients are creating cases over HTTP, restores with
// `redress restore` to a database that passes the integrity check and
// `redress audit verify` (also against the manifest's checkpoint), holds
// every case acknowledged before the backup began, none twice, and that a
// server then starts on, ready. A restore over the live database is
// refused, and one without the audit key says where to put it.
func TestBackupWhileServingRestoresWithTheRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "redress.db")
	s := startServer(t, db)

	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: bound}
	stop := make(chan struct{})
	enough := make(chan struct{})
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status, body, err := post(client, s.url+"/api/v1/cases", map[string]any{
					"kind": "complaint", "channel": "web", "summary": fmt.Sprintf("backup worker %d case %d", w, i),
					"complainant": map[string]any{"name": "Backup Test", "email": "backup@example.org"},
				})
				if err != nil || status != http.StatusCreated {
					t.Errorf("create: %d %v", status, err)
					return
				}
				mu.Lock()
				acked = append(acked, body["reference"].(string))
				if len(acked) == 100 {
					close(enough)
				}
				mu.Unlock()
			}
		})
	}
	<-enough
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	out := filepath.Join(dir, "redress-backup.db")
	code, said := redress(t, nil, "backup", "--db", db, "--out", out)
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(said, "backed up "+db+" to "+out) {
		t.Fatalf("backup: exit %d\n%s", code, said)
	}
	t.Logf("%d creates acknowledged before the backup began, %d while it ran\n%s", len(before), during, said)
	var m struct {
		Cases      int    `json:"cases"`
		Checkpoint string `json:"checkpoint"`
	}
	if b, err := os.ReadFile(out + ".manifest.json"); err != nil || json.Unmarshal(b, &m) != nil || m.Checkpoint == "" {
		t.Fatalf("manifest: %s, %v", b, err)
	}

	// Over the live database: refused, nothing moved aside.
	if code, said := redress(t, nil, "restore", out, "--db", db, "--replace"); code != 2 || !strings.Contains(said, "is live") {
		t.Errorf("restore over the live database: exit %d\n%s", code, said)
	}
	if aside, _ := filepath.Glob(db + ".before-restore-*"); len(aside) > 0 {
		t.Errorf("a restore over the live database moved it aside: %v", aside)
	}

	// Elsewhere, without the key: refused, saying where it goes.
	restored := filepath.Join(t.TempDir(), "restored.db")
	keyFile := strings.TrimSuffix(restored, ".db") + ".audit.key"
	if code, said := redress(t, nil, "restore", out, "--db", restored); code != 2 || !strings.Contains(said, "no audit key") || !strings.Contains(said, keyFile) {
		t.Errorf("restore without the key: exit %d\n%s", code, said)
	}
	if _, err := os.Stat(restored); err == nil {
		t.Fatal("a refused restore left a database")
	}
	// With the key put where the restored database's server will find it.
	key, err := os.ReadFile(filepath.Join(dir, "redress.audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(keyFile, key, 0o600)
	if code, said := redress(t, nil, "restore", out, "--db", restored); code != 0 || !strings.Contains(said, "audit trail verified") {
		t.Fatalf("restore: exit %d\n%s", code, said)
	}
	if code, said := redress(t, nil, "audit", "verify", "--db", restored, "--checkpoint", m.Checkpoint); code != 0 || !strings.Contains(said, "hash chain verified") || !strings.Contains(said, "holds all 1 kept checkpoints") {
		t.Errorf("audit verify of the restored database: exit %d\n%s", code, said)
	}

	sdb, err := sql.Open("sqlite", "file:"+restored+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var integrity string
	if err := sdb.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check = %q, %v", integrity, err)
	}
	rows, err := sdb.Query(`SELECT reference FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for rows.Next() {
		var ref string
		rows.Scan(&ref)
		if got[ref] {
			t.Errorf("%s is in the restored database twice", ref)
		}
		got[ref] = true
	}
	rows.Close()
	sdb.Close()
	for _, ref := range before {
		if !got[ref] {
			t.Errorf("%s was acknowledged before the backup began but is not in it", ref)
		}
	}
	if len(got) != m.Cases {
		t.Errorf("the restored database holds %d cases, the manifest %d", len(got), m.Cases)
	}

	// The live server is stopped, then a server starts on the restored
	// database, with its key, and is ready.
	if err := s.stop(t); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
	s2 := startServer(t, restored)
	resp, err := client.Get(s2.url + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz on the restored database: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := s2.stop(t); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
}
