package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveDemo runs `redress serve --demo` on the SQLite database db until
// it serves, then stops it with SIGTERM and returns what it printed to
// standard output: the demo's passwords on a first start, how to get one
// on a restart.
func serveDemo(t *testing.T, db string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--demo", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		once := false
		for sc.Scan() {
			if !once && strings.Contains(sc.Text(), "msg=serving") {
				once = true
				close(serving)
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-serving:
	case err := <-exited:
		t.Fatalf("serve --demo exited before serving: %v\n%s", err, stdout.String())
	case <-time.After(bound):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("serve --demo did not serve within %s", bound)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve --demo stopped with %v", err)
		}
	case <-time.After(bound):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("serve --demo did not stop within %s of SIGTERM", bound)
	}
	// Wait has returned, so every byte written to standard output has
	// been copied.
	return stdout.String()
}

// Restarting `serve --demo` on the demo's database loads nothing again
// and, rather than printing nothing, says how to get a password: the
// printed `redress admin reset-password` command, run as printed, gives
// the demo's admin a new one.
func TestRestartingTheDemoPrintsHowToGetAPasswordAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	db := filepath.Join(t.TempDir(), "demo.db")
	first := serveDemo(t, db)
	if !strings.Contains(first, "Loaded the demo organisation") || !strings.Contains(first, "rdr_") {
		t.Fatalf("the first start printed no passwords and tokens:\n%s", first)
	}
	again := serveDemo(t, db)
	if strings.Contains(again, "rdr_") || strings.Contains(again, "Loaded the demo organisation") {
		t.Errorf("the restart loaded the demo again or printed tokens:\n%s", again)
	}
	m := regexp.MustCompile(`redress (admin reset-password --email (\S+) --db (\S+))\n`).FindStringSubmatch(again)
	if m == nil || m[2] != "sam.adeyemi@riverside-vale.example" || m[3] != db {
		t.Fatalf("the restart printed no reset-password command for the demo's admin on %s:\n%s", db, again)
	}
	for _, email := range []string{"helen.marsh@riverside-vale.example", "nina.kowalski@riverside-vale.example"} {
		if !strings.Contains(again, email) {
			t.Errorf("the restart does not name the demo's user %s:\n%s", email, again)
		}
	}
	code, out := redress(t, nil, strings.Fields(m[1])...)
	if code != 0 || !strings.Contains(out, "sam.adeyemi@riverside-vale.example") {
		t.Errorf("the printed command exited %d:\n%s", code, out)
	}
}

// A port already in use stops `serve --demo` with the usage exit code and
// a message naming --addr, before it opens or makes a database (no file
// appears), loads the demo or prints a password.
func TestServeOnABusyPortFailsBeforeMakingTheDatabase(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "new.db")
	cmd := exec.Command(os.Args[0], "serve", "--demo", "--db", db, "--addr", ln.Addr().String())
	cmd.Env = append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(bound):
		cmd.Process.Kill()
		<-done
		t.Fatalf("serve on a busy port was still running after %s", bound)
	}
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Errorf("exit code %d, want 2 (usage)", code)
	}
	if msg := stderr.String(); !strings.Contains(msg, "--addr "+ln.Addr().String()) || !strings.Contains(msg, "address already in use") {
		t.Errorf("the error does not name --addr and the port in use:\n%s", msg)
	}
	if stdout.Len() > 0 {
		t.Errorf("printed before failing:\n%s", stdout.String())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s was made before the port was found busy", e.Name())
	}
}
