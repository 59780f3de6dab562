package cli

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/web"
)

// envSettings reads the typed REDRESS_* variables that are the defaults
// of serve's flags. A value that does not parse is never taken as its
// default: it is kept as an error naming the variable, and start-up
// stops with it, so that REDRESS_SECURE_COOKIES=yes (which strconv does
// not read as true) stops the server rather than quietly serving session
// cookies without Secure. An empty variable counts as unset, as compose
// files and shell scripts often write one.
type envSettings struct{ errs []error }

// lookup returns REDRESS_<name>, trimmed, if it is set and not empty.
func (e *envSettings) lookup(name string) (string, bool) {
	v, ok := os.LookupEnv("REDRESS_" + name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// boolean returns REDRESS_<name> as true or false, or def if unset.
func (e *envSettings) boolean(name string, def bool) bool {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("REDRESS_%s: %q is not true or false", name, v))
		return def
	}
	return b
}

// integer returns REDRESS_<name> as a whole number, or def if unset.
func (e *envSettings) integer(name string, def int) int {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("REDRESS_%s: %q is not a whole number", name, v))
		return def
	}
	return n
}

// duration returns REDRESS_<name> as a duration such as 90s or 5m, or def
// if unset.
func (e *envSettings) duration(name string, def time.Duration) time.Duration {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("REDRESS_%s: %q is not a duration such as 30s or 5m", name, v))
		return def
	}
	return d
}

// proxies returns REDRESS_<name> as trusted proxies, comma-separated
// networks or addresses, or none if unset.
func (e *envSettings) proxies(name string) web.Proxies {
	v, ok := e.lookup(name)
	if !ok {
		return nil
	}
	ps, err := web.ParseProxies(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("REDRESS_%s: %w", name, err))
		return nil
	}
	return ps
}

// err returns every variable that did not parse, as one usage error.
func (e *envSettings) err() error {
	if len(e.errs) == 0 {
		return nil
	}
	return usageError{errors.Join(e.errs...)}
}
