package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// getReady asks a's /readyz and returns its status and decoded answer.
func getReady(t *testing.T, a *App) (int, readyAnswer, string) {
	t.Helper()
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var ans readyAnswer
	if err := json.Unmarshal(body, &ans); err != nil {
		t.Fatalf("/readyz body %q: %v", body, err)
	}
	return resp.StatusCode, ans, string(body)
}

// check returns the named check of ans.
func check(t *testing.T, ans readyAnswer, name string) readyCheck {
	t.Helper()
	for _, c := range ans.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", name, ans)
	return readyCheck{}
}

func newReadyApp(t *testing.T) (*App, string) {
	t.Helper()
	dsn := testdb.DSN(t)
	a, err := New(context.Background(), Config{DB: dsn, AuditKey: testdb.AuditKey()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, dsn
}

func TestReadyzIsReadyOnAFreshStore(t *testing.T) {
	a, _ := newReadyApp(t)
	status, ans, body := getReady(t, a)
	if status != http.StatusOK || !ans.Ready {
		t.Fatalf("/readyz = %d %s, want 200 and ready", status, body)
	}
	for _, name := range []string{"database", "migrations", "calendar"} {
		if c := check(t, ans, name); !c.OK || c.Problem != "" {
			t.Errorf("%s: %+v, want ok", name, c)
		}
	}
}

func TestReadyzNamesTheCalendarWhenItRunsOutWithinAYear(t *testing.T) {
	a, _ := newReadyApp(t)
	// The built-in bank holidays end with 2040: by the app's clock, in
	// June 2040 the next year's deadlines cannot be counted.
	a.now = func() time.Time { return time.Date(2040, time.June, 1, 9, 0, 0, 0, time.UTC) }
	status, ans, body := getReady(t, a)
	if status != http.StatusServiceUnavailable || ans.Ready {
		t.Fatalf("/readyz = %d %s, want 503", status, body)
	}
	c := check(t, ans, "calendar")
	if c.OK || !strings.Contains(c.Problem, "2041") || !strings.Contains(c.Problem, "REDRESS_HOLIDAYS") {
		t.Errorf("calendar check %+v, want it to name 2041 and the holidays setting", c)
	}
	if !check(t, ans, "database").OK || !check(t, ans, "migrations").OK {
		t.Errorf("only the calendar should fail: %s", body)
	}
}

func TestReadyzNamesTheDatabaseWhenItIsClosed(t *testing.T) {
	a, dsn := newReadyApp(t)
	a.Store.Close()
	status, ans, body := getReady(t, a)
	if status != http.StatusServiceUnavailable || ans.Ready {
		t.Fatalf("/readyz = %d %s, want 503", status, body)
	}
	if c := check(t, ans, "database"); c.OK || !strings.Contains(c.Problem, "did not answer") {
		t.Errorf("database check %+v, want it to say the database did not answer", c)
	}
	if c := check(t, ans, "migrations"); c.OK {
		t.Errorf("migrations check %+v, want not checked", c)
	}
	if !check(t, ans, "calendar").OK {
		t.Errorf("the calendar should still pass: %s", body)
	}
	// The answer goes to anyone: it never names where the database is.
	if strings.Contains(body, dsn) || strings.Contains(body, "redress.db") || strings.Contains(body, "postgres") {
		t.Errorf("/readyz body names the database: %s", body)
	}
}

// schemaAt is a store whose database reports the schema version applied.
type schemaAt struct {
	store.Store
	applied int
}

func (s schemaAt) SchemaVersions(ctx context.Context) (int, int, error) {
	_, known, err := s.Store.(schemaReporter).SchemaVersions(ctx)
	return s.applied, known, err
}

func TestReadyzNamesMigrationsThatAreNotCurrent(t *testing.T) {
	a, _ := newReadyApp(t)
	_, known, err := a.Store.(schemaReporter).SchemaVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	real := a.Store
	for _, tc := range []struct {
		applied int
		want    string
	}{
		{known - 1, "run redress migrate"}, // an older instance's restore, say
		{known + 1, "run a newer redress"}, // a newer instance migrated it
	} {
		a.Store = schemaAt{Store: real, applied: tc.applied}
		status, ans, body := getReady(t, a)
		if status != http.StatusServiceUnavailable {
			t.Errorf("schema %d of %d: /readyz = %d %s, want 503", tc.applied, known, status, body)
		}
		if c := check(t, ans, "migrations"); c.OK || !strings.Contains(c.Problem, tc.want) {
			t.Errorf("schema %d of %d: migrations check %+v, want %q", tc.applied, known, c, tc.want)
		}
	}
	a.Store = real
}

// holidays2041 is a government-format file with England and Wales's
// bank holidays of 2041, as a landlord would load to extend the calendar.
const holidays2041 = `{"england-and-wales": {"division": "england-and-wales", "events": [
 {"title": "New Year’s Day", "date": "2041-01-01", "notes": "", "bunting": true},
 {"title": "Good Friday", "date": "2041-04-19", "notes": "", "bunting": false},
 {"title": "Easter Monday", "date": "2041-04-22", "notes": "", "bunting": true},
 {"title": "Early May bank holiday", "date": "2041-05-06", "notes": "", "bunting": true},
 {"title": "Spring bank holiday", "date": "2041-05-27", "notes": "", "bunting": true},
 {"title": "Summer bank holiday", "date": "2041-08-26", "notes": "", "bunting": true},
 {"title": "Christmas Day", "date": "2041-12-25", "notes": "", "bunting": true},
 {"title": "Boxing Day", "date": "2041-12-26", "notes": "", "bunting": true}]}}`

func TestTheCalendarMustCoverTheNext365Days(t *testing.T) {
	builtIn, err := calendar.New(nil, calendar.EnglandAndWales, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := calendar.BuiltIn().WithFile(strings.NewReader(holidays2041))
	if err != nil {
		t.Fatal(err)
	}
	extended, err := calendar.New(h, calendar.EnglandAndWales, nil)
	if err != nil {
		t.Fatal(err)
	}
	scotland, err := calendar.New(h, calendar.Scotland, nil) // the file adds nothing for Scotland
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cal  *calendar.Calendar
		now  string
		want string // in the problem; "" for ready
	}{
		{"a year inside the built-in years", builtIn, "2026-12-03T10:00:00Z", ""},
		{"the last day whose year ahead ends in 2040", builtIn, "2040-01-01T10:00:00Z", ""},
		{"a day whose year ahead reaches 2041", builtIn, "2040-01-02T10:00:00Z", "2041"},
		{"midsummer of the last built-in year", builtIn, "2040-06-01T10:00:00Z", "in 2041 are not known"},
		{"a loaded file for 2041 extends it", extended, "2040-06-01T10:00:00Z", ""},
		{"but only for the division it lists", scotland, "2040-06-01T10:00:00Z", "scotland in 2041"},
		{"before the built-in years", builtIn, "1999-06-01T10:00:00Z", "in 1999 are not known"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now, err := time.Parse(time.RFC3339, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			got := calendarProblem(tc.cal, now)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("calendarProblem(%s) = %q, want %q", tc.now, got, tc.want)
			}
		})
	}
}

func TestReadinessChangesAreLoggedOnceNotPerProbe(t *testing.T) {
	a, _ := newReadyApp(t)
	var log bytes.Buffer
	a.log = slog.New(slog.NewTextHandler(&log, nil))
	getReady(t, a) // ready from the start: nothing to say
	a.now = func() time.Time { return time.Date(2040, time.June, 1, 9, 0, 0, 0, time.UTC) }
	getReady(t, a)
	getReady(t, a)
	a.now = func() time.Time { return time.Date(2030, time.June, 1, 9, 0, 0, 0, time.UTC) }
	getReady(t, a)
	getReady(t, a)
	got := log.String()
	if n := strings.Count(got, "not ready"); n != 1 || !strings.Contains(got, "calendar:") {
		t.Errorf("log has %d \"not ready\" lines, want 1 naming the calendar:\n%s", n, got)
	}
	if n := strings.Count(got, "ready again"); n != 1 {
		t.Errorf("log has %d \"ready again\" lines, want 1:\n%s", n, got)
	}
}
