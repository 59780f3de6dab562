package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// readyTimeout bounds each readiness probe's database query: a load
// balancer asks every few seconds, and a database that takes longer than
// this to answer one row is not one to send residents to.
const readyTimeout = 2 * time.Second

// readyHorizon is how many days ahead the holiday calendar must reach for
// Redress to be ready: a stage 1 response, an extension and a stage 2
// response set in the next year all need the bank holidays of the days
// they span (Code 5.8, 6.1, 6.14), and a deadline that cannot be worked
// out is refused rather than guessed, so a calendar that runs out within
// the year is a failure coming, named before it stops casework.
const readyHorizon = 365

// schemaReporter is what the readiness check needs of the store: the
// schema version the database has applied and the newest this build
// knows (sqldb.DB implements it).
type schemaReporter interface {
	SchemaVersions(ctx context.Context) (applied, known int, err error)
}

// readyCheck is one line of a readiness answer: a check's name and, when
// it fails, why, in words an operator can act on. It never carries a
// secret or anyone's personal data: the database's own error, which may
// name its host or user, goes only to the log.
type readyCheck struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
	// detail is the underlying error, for the log only.
	detail error
}

// readyAnswer is the body of /readyz.
type readyAnswer struct {
	Ready  bool         `json:"ready"`
	Checks []readyCheck `json:"checks"`
}

// readyz answers /readyz: 200 when the database answers, its schema is
// the one this build knows and the holiday calendar covers the next
// readyHorizon days from the app's clock; otherwise 503 naming each
// failing check. Like /healthz it needs no sign-in and is not logged per
// request; a change between ready and not ready is logged once.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	ans := a.readiness(r.Context())
	a.logReadiness(ans)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !ans.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(ans)
}

// readiness runs the three checks.
func (a *App) readiness(ctx context.Context) readyAnswer {
	db, schema := a.databaseChecks(ctx)
	cal := readyCheck{Name: "calendar", OK: true}
	if p := calendarProblem(a.Cal, a.now()); p != "" {
		cal = readyCheck{Name: "calendar", Problem: p}
	}
	ans := readyAnswer{Ready: true, Checks: []readyCheck{db, schema, cal}}
	for _, c := range ans.Checks {
		ans.Ready = ans.Ready && c.OK
	}
	return ans
}

// databaseChecks asks the database, within readyTimeout, for its schema
// version: the one query both proves it answers and says whether its
// migrations are the ones this build knows.
func (a *App) databaseChecks(ctx context.Context) (db, schema readyCheck) {
	db, schema = readyCheck{Name: "database"}, readyCheck{Name: "migrations"}
	sr, ok := a.Store.(schemaReporter)
	if !ok {
		db.OK = true
		schema.Problem = "the store cannot report its schema version"
		return db, schema
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	applied, known, err := sr.SchemaVersions(ctx)
	if err != nil {
		db.detail = err
		db.Problem = "the database did not answer"
		if errors.Is(err, context.DeadlineExceeded) {
			db.Problem = fmt.Sprintf("the database did not answer within %s", readyTimeout)
		}
		schema.Problem = "not checked: the database did not answer"
		return db, schema
	}
	db.OK = true
	switch {
	case applied < known:
		schema.Problem = fmt.Sprintf("the database's schema is version %d, older than this redress's %d: run redress migrate", applied, known)
	case applied > known:
		schema.Problem = fmt.Sprintf("the database's schema is version %d, newer than this redress knows (%d): run a newer redress", applied, known)
	default:
		schema.OK = true
	}
	return db, schema
}

// calendarProblem says why cal cannot be trusted for the readyHorizon
// days from now (today included), or returns "" when it can. Deadlines
// are counted in working days, which need each year's bank holidays.
func calendarProblem(cal *calendar.Calendar, now time.Time) string {
	today := calendar.DateOf(now)
	until := today.AddDays(readyHorizon)
	_, err := cal.WorkingDaysBetween(today.AddDays(-1), until)
	if err == nil {
		return ""
	}
	var nc *calendar.NotCoveredError
	if errors.As(err, &nc) {
		return fmt.Sprintf("the bank holidays of %s in %d are not known, and deadlines up to %s need them: load a newer bank-holidays file (--holidays, REDRESS_HOLIDAYS)",
			nc.Division, nc.Year, until)
	}
	return err.Error()
}

// logReadiness logs a change between ready and not ready (or between two
// sets of problems) once, rather than on every probe.
func (a *App) logReadiness(ans readyAnswer) {
	var problems []string
	var details []any
	for _, c := range ans.Checks {
		if !c.OK {
			problems = append(problems, c.Name+": "+c.Problem)
		}
		if c.detail != nil {
			details = append(details, c.Name+"_error", c.detail)
		}
	}
	now := strings.Join(problems, "; ")
	prev := a.readyState.Swap(&now)
	if (prev == nil && now == "") || (prev != nil && *prev == now) {
		return
	}
	if now == "" {
		a.log.Info("ready again")
		return
	}
	a.log.Warn("not ready", append([]any{"problems", now}, details...)...)
}
