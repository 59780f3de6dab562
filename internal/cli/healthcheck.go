package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// healthcheckDefaultTimeout bounds one probe. /readyz gives the database
// 2 seconds to answer, so 5 seconds leaves room for a loaded machine
// while still finishing well inside a container engine's own probe
// timeout, which would otherwise kill the probe without a reason.
const healthcheckDefaultTimeout = 5 * time.Second

// healthcheckCmd asks a running Redress whether it is ready, for a
// container image that has no curl or wget: it exits 0 when the URL
// answers 200, and 1 with a one-line reason otherwise (a refused
// connection, a timeout, or a failing check named by /readyz). Flags
// that cannot work are usage errors (exit 2), as for every command.
func healthcheckCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	settings := newConfig(fs, "addr")
	rawURL := fs.String("url", "", "the address to ask; by default /readyz on this machine at REDRESS_ADDR's port (127.0.0.1:8080 if unset)")
	timeout := fs.Duration("timeout", healthcheckDefaultTimeout, "how long to wait for the answer")
	cfg, pos, err := settings.load(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("healthcheck takes no arguments, only flags; got %q", pos[0])
	}
	if *timeout <= 0 {
		return usagef("--timeout: %s is not a positive duration such as 5s", *timeout)
	}
	target := *rawURL
	if target == "" {
		if target, err = readyzURL(cfg.Addr); err != nil {
			return err
		}
	} else if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--url: %q is not an address such as http://127.0.0.1:8080/readyz", target)
	}
	if reason := probe(target, *timeout); reason != "" {
		fmt.Fprintf(stderr, "redress healthcheck: %s\n", reason)
		return breachError{}
	}
	fmt.Fprintf(stdout, "ready: %s answered 200\n", target)
	return nil
}

// readyzURL returns the /readyz address of a server listening on addr
// (REDRESS_ADDR). A server listening on every interface (0.0.0.0, :: or
// no host, as in a container) is asked on 127.0.0.1, which it also
// listens on; one bound to a single address is asked there, since
// 127.0.0.1 would not reach it.
func readyzURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", usagef("REDRESS_ADDR: %q is not a listen address such as 0.0.0.0:8080, so the healthcheck cannot tell which port to ask; give --url", addr)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}

// probe asks target once and returns why it is not ready, or "" when it
// answered 200. Proxy variables are ignored, since the server is asked
// directly, and redirects are not followed, since /readyz never sends
// one: a redirect means the URL is not Redress's readiness endpoint.
func probe(target string, timeout time.Duration) string {
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Sprintf("%s: %v", target, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Sprintf("%s did not answer within %s", target, timeout)
		}
		return fmt.Sprintf("%s: %v", target, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return ""
	}
	reason := fmt.Sprintf("%s answered %s", target, resp.Status)
	if failing := failingChecks(resp.Body); failing != "" {
		reason += ": " + failing
	}
	return reason
}

// failingChecks reads a /readyz body and returns its failing checks as
// "name: problem" joined with "; ", or "" if the body is not one. The
// problems are written for operators and name no secret, so they may go
// to the container engine's health log. The body is read to 64 KiB at
// most, so a wrong URL answering with a large page costs little.
func failingChecks(body io.Reader) string {
	var ans struct {
		Checks []struct {
			Name    string `json:"name"`
			OK      bool   `json:"ok"`
			Problem string `json:"problem"`
		} `json:"checks"`
	}
	if err := json.NewDecoder(io.LimitReader(body, 64<<10)).Decode(&ans); err != nil {
		return ""
	}
	var failing []string
	for _, c := range ans.Checks {
		if !c.OK {
			// One line: a problem's own line breaks would split it.
			failing = append(failing, c.Name+": "+strings.Join(strings.Fields(c.Problem), " "))
		}
	}
	return strings.Join(failing, "; ")
}
