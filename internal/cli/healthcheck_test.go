package cli

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// closedPortURL returns a /readyz URL on 127.0.0.1 at a port that was
// free a moment ago and has nothing listening on it now.
func closedPortURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/readyz"
}

// The healthcheck exits 0 only on a 200, and otherwise 1 with one line
// saying why, naming the checks /readyz reports as failing, so that a
// container engine's health log tells the operator what to fix.
func TestHealthcheckExitsZeroOnlyWhenReady(t *testing.T) {
	ready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"ready":true,"checks":[{"name":"database","ok":true}]}`))
	}))
	defer ready.Close()
	notReady := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"ready":false,"checks":[{"name":"database","ok":true},{"name":"migrations","ok":false,"problem":"the database is at schema version 9\nand this redress knows 8: run a newer redress"},{"name":"calendar","ok":true}]}`))
	}))
	defer notReady.Close()
	redirecting := httptest.NewServer(http.RedirectHandler("/elsewhere", http.StatusFound))
	defer redirecting.Close()

	tests := []struct {
		name     string
		url      string
		code     int
		stdout   string
		stderr   []string // each must appear in the one line on stderr
		noStderr bool
	}{
		{name: "200", url: ready.URL + "/readyz", code: 0, stdout: "ready: " + ready.URL + "/readyz answered 200\n", noStderr: true},
		{name: "503 names the failing check, on one line", url: notReady.URL + "/readyz", code: 1,
			stderr: []string{"503 Service Unavailable", "migrations: the database is at schema version 9 and this redress knows 8: run a newer redress"}},
		{name: "404 is not ready", url: ready.URL + "/elsewhere", code: 1, stderr: []string{"404 Not Found"}},
		{name: "a redirect is not followed", url: redirecting.URL + "/readyz", code: 1, stderr: []string{"302 Found"}},
		{name: "nothing listening", url: closedPortURL(t), code: 1, stderr: []string{"connection refused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := redress(t, "healthcheck", "--url", tc.url)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if tc.noStderr && stderr != "" {
				t.Errorf("stderr = %q, want nothing", stderr)
			}
			if tc.stdout != "" && stdout != tc.stdout {
				t.Errorf("stdout = %q, want %q", stdout, tc.stdout)
			}
			if tc.code != 0 {
				if stdout != "" {
					t.Errorf("stdout = %q, want nothing when not ready", stdout)
				}
				if !strings.HasPrefix(stderr, "redress healthcheck: "+tc.url) || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
					t.Errorf("stderr = %q, want one line starting with the URL", stderr)
				}
			}
			for _, want := range tc.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr = %q, want it to contain %q", stderr, want)
				}
			}
		})
	}
}

// A server that accepts the connection and never answers is not ready
// once --timeout has passed: the probe ends with a reason rather than
// being killed by the container engine without one.
func TestHealthcheckGivesUpAfterTimeout(t *testing.T) {
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hung.Close()
	defer close(release)
	code, _, stderr := redress(t, "healthcheck", "--url", hung.URL+"/readyz", "--timeout", "100ms")
	if code != 1 || !strings.Contains(stderr, "did not answer within 100ms") {
		t.Fatalf("exit %d, stderr %q; want 1 and the timeout named", code, stderr)
	}
}

// Without --url the healthcheck asks /readyz at REDRESS_ADDR's port, on
// 127.0.0.1 when the server listens on every interface, as in the
// container image (REDRESS_ADDR=0.0.0.0:8080).
func TestHealthcheckDefaultURLFollowsREDRESSADDR(t *testing.T) {
	asked := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- r.Host + r.URL.Path
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("REDRESS_ADDR", "0.0.0.0:"+port)
	code, stdout, stderr := redress(t, "healthcheck")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	select {
	case got := <-asked:
		if want := "127.0.0.1:" + port + "/readyz"; got != want {
			t.Errorf("asked %q, want %q", got, want)
		}
	case <-time.After(time.Minute):
		t.Fatal("the server was never asked")
	}
	if want := "ready: http://127.0.0.1:" + port + "/readyz answered 200\n"; stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
}

// Settings that cannot work are usage errors (exit 2) naming the flag or
// variable, never a probe of some guessed address.
func TestHealthcheckRefusesUnusableSettings(t *testing.T) {
	tests := []struct {
		name string
		addr string // REDRESS_ADDR
		args []string
		want string
	}{
		{"REDRESS_ADDR without a port", "0.0.0.0", nil, `REDRESS_ADDR: "0.0.0.0" is not host:port`},
		{"--url not http", "", []string{"--url", "ftp://127.0.0.1/readyz"}, `--url: "ftp://127.0.0.1/readyz" is not an address`},
		{"--url without a host", "", []string{"--url", "/readyz"}, `--url: "/readyz" is not an address`},
		{"--timeout zero", "", []string{"--url", "http://127.0.0.1:1/readyz", "--timeout", "0s"}, "--timeout: 0s is not a positive duration"},
		{"--timeout not a duration", "", []string{"--timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{"an argument", "", []string{"http://127.0.0.1:8080/readyz"}, "healthcheck takes no arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.addr != "" {
				t.Setenv("REDRESS_ADDR", tc.addr)
			}
			code, _, stderr := redress(t, append([]string{"healthcheck"}, tc.args...)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}
