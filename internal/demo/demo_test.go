package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/argon2"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// loaded is a database with the demo loaded into it, as Seed left it.
type loaded struct {
	st  *sqldb.DB
	key store.AuditKey
	pol *policy.Policy
	now time.Time
	out string // what Seed printed
}

// seed opens the database db, keyed with key as Redress keys it, and
// loads the demo into it under the policy pol (empty: the default) as of
// now, hashing passwords with hash.
func seed(t *testing.T, db string, key store.AuditKey, pol string, now time.Time, hash func(string) (string, error)) *loaded {
	t.Helper()
	ctx := context.Background()
	if pol == "" {
		pol = policy.Default
	}
	p, err := policy.Open(pol)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(calendar.BuiltIn())
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqldb.Open(ctx, db, sqldb.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.KeyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err = Seed(ctx, Config{Store: st, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return now }, HashPassword: hash, Out: &buf, Addr: "127.0.0.1:8080"})
	if err != nil {
		t.Fatalf("the demo under %q on %s: %v", pol, now, err)
	}
	return &loaded{st: st, key: key, pol: p, now: now, out: buf.String()}
}

// openDemo loads the demo into db under the named policy as of now,
// with the password hash Redress ships.
func openDemo(t *testing.T, db, pol string) *loaded {
	t.Helper()
	key, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	return seed(t, db, key, pol, clock.Wall(), nil)
}

func allCases(t *testing.T, l *loaded) []complaint.Case {
	t.Helper()
	cases, next, err := l.st.ListCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if next != "" {
		t.Fatal("the demo has more than 500 cases")
	}
	return cases
}

// printedTokens returns the tokens in the demo's output.
func printedTokens(out string) []string {
	var toks []string
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "rdr_") {
			toks = append(toks, f)
		}
	}
	return toks
}

// checkDemo checks what every demo must show, whatever the policy and
// the date.
func checkDemo(t *testing.T, l *loaded) {
	t.Helper()
	ctx := context.Background()
	cases := allCases(t, l)
	if len(cases) < 12 {
		t.Errorf("the demo has %d cases, want about 15", len(cases))
	}

	statuses := map[complaint.Status]int{}
	stages := map[int]int{}
	kinds := map[complaint.Kind]int{}
	var hs, confidential, rep, group, adjusted, extended, withRemedies bool
	for _, c := range cases {
		statuses[c.Status]++
		stages[c.Stage]++
		kinds[c.Kind]++
		hs = hs || c.HealthAndSafety
		confidential = confidential || c.Confidential
		rep = rep || (c.Representative != nil && c.Representative.ConsentRecorded)
		group = group || (c.Group != nil && c.Group.PointOfContact != "")
		adjusted = adjusted || len(c.Adjustments) > 0
		withRemedies = withRemedies || len(c.Remedies) > 0
		for _, st := range c.Stages {
			for _, x := range st.Extensions {
				extended = extended || x.OmbudsmanDetailsGiven
			}
		}
	}
	want := []complaint.Status{complaint.StatusReceived, complaint.StatusAcknowledged, complaint.StatusResponded, complaint.StatusClosed, complaint.StatusWithdrawn}
	if len(l.pol.Exclusions) > 0 {
		want = append(want, complaint.StatusRefused)
	} else if statuses[complaint.StatusRefused] > 0 {
		t.Errorf("a case was refused under policy %s, which has no exclusions", l.pol.Name)
	}
	for _, s := range want {
		if statuses[s] == 0 {
			t.Errorf("no demo case is %s (statuses: %v)", s, statuses)
		}
	}
	for _, n := range []int{1, 2} {
		if stages[n] == 0 {
			t.Errorf("no demo case is at stage %d", n)
		}
	}
	for _, k := range []complaint.Kind{complaint.KindComplaint, complaint.KindServiceRequest, complaint.KindCompliment, complaint.KindSuggestion} {
		if kinds[k] == 0 {
			t.Errorf("no demo case is a %s", k)
		}
	}
	for name, ok := range map[string]bool{
		"health and safety": hs, "confidential": confidential, "representative with consent": rep,
		"group with a point of contact": group, "adjustments": adjusted, "extension with Ombudsman details": extended,
		"remedies": withRemedies,
	} {
		if !ok {
			t.Errorf("no demo case has %s", name)
		}
	}

	overdue, _, err := l.st.ListCases(ctx, store.CaseFilter{
		Viewer: store.Viewer{AllConfidential: true}, Overdue: true, Today: calendar.DateOf(l.now), Limit: 500,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(overdue) == 0 {
		t.Error("no demo case is overdue")
	}

	for _, c := range cases {
		if c.Stage != 2 {
			continue
		}
		if c.Handler == "" {
			t.Errorf("stage 2 case %s has no handler", c.Reference)
		}
		if slices.Contains(c.Stages[0].Handlers, c.Handler) {
			t.Errorf("stage 2 case %s is handled by %s, who handled stage 1 (%v)", c.Reference, c.Handler, c.Stages[0].Handlers)
		}
		for _, h := range c.Stages[1].Handlers {
			if slices.Contains(c.Stages[0].Handlers, h) {
				t.Errorf("stage 2 of %s was handled by %s, a stage 1 handler", c.Reference, h)
			}
		}
	}

	rep2, err := l.st.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep2.OK || rep2.Events == 0 {
		t.Errorf("audit: %+v", rep2)
	}

	out := l.out
	toks := printedTokens(out)
	users, err := l.st.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) != len(users) || len(users) != 6 {
		t.Fatalf("printed %d tokens for %d users, want 6 of each:\n%s", len(toks), len(users), out)
	}
	roles := map[string]bool{}
	for _, tok := range toks {
		u, err := l.st.UserByToken(ctx, auth.HashToken(tok))
		if err != nil {
			t.Errorf("printed token does not work: %v", err)
			continue
		}
		if !strings.Contains(out, u.Email) {
			t.Errorf("the token of %s is printed without the email", u.Email)
		}
		roles[u.Role] = true
	}
	for _, r := range auth.Roles {
		if !roles[string(r)] {
			t.Errorf("no demo user has role %s", r)
		}
	}
	if !strings.Contains(out, "Authorization: Bearer") {
		t.Errorf("the output does not say how to use a token:\n%s", out)
	}
}

func TestDemoCoversEveryStatusStageAndRule(t *testing.T) {
	l := openDemo(t, filepath.Join(scratchDir(t), "demo.db"), "")
	checkDemo(t, l)

	// A viewer sees no confidential case they did not handle.
	cases, _, err := l.st.ListCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{Email: "nina.kowalski@riverside-vale.example"}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.Confidential {
			t.Errorf("the viewer can see confidential case %s", c.Reference)
		}
	}
}

// The demo's service areas and categories are lists staff choose from
// (issue 22), each holding what the demo's cases use, so that logging a
// contact in the demo offers picklists rather than free text.
func TestDemoKeepsListsOfItsServiceAreasAndCategories(t *testing.T) {
	l := openDemo(t, filepath.Join(scratchDir(t), "demo.db"), "")
	ctx := context.Background()
	used := map[string]map[string]bool{store.ListServiceAreas: {}, store.ListCategories: {}}
	for _, c := range allCases(t, l) {
		if c.ServiceArea != "" {
			used[store.ListServiceAreas][store.NameKey(c.ServiceArea)] = true
		}
		for _, cat := range c.Categories {
			used[store.ListCategories][store.NameKey(cat)] = true
		}
	}
	for _, list := range store.Lists {
		entries, err := l.st.Picklist(ctx, list)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, e := range entries {
			if e.Active() {
				listed[store.NameKey(e.Name)] = true
			}
		}
		if len(used[list]) == 0 {
			t.Fatalf("no demo case has a %s: the test proves nothing", list)
		}
		for name := range used[list] {
			if !listed[name] {
				t.Errorf("%s %q is on a demo case but not on the list", list, name)
			}
		}
	}
}

// The demo's damp and mould case carries its Awaab's Law clocks (issue
// 14): a significant hazard, investigated in time, its later clocks
// running, flagged for the senior managers.
func TestDemoMouldCaseCarriesItsAwaabsLawClocks(t *testing.T) {
	l := openDemo(t, filepath.Join(scratchDir(t), "demo.db"), "")
	var mould *complaint.Case
	for _, c := range allCases(t, l) {
		if strings.HasPrefix(c.Summary, "Black mould in my son's bedroom") {
			mould = &c
		}
	}
	if mould == nil {
		t.Fatal("the demo has no damp and mould case")
	}
	h := mould.Hazard
	if h == nil || h.Class != complaint.HazardSignificant || h.InvestigatedAt.IsZero() || !mould.Statutory() || !mould.HealthAndSafety {
		t.Fatalf("the mould case's hazard = %+v (flagged %v), want a significant hazard, investigated, under the law, flagged", h, mould.HealthAndSafety)
	}
	running := 0
	for _, k := range h.Clocks {
		switch {
		case k.Code == "investigate" && !k.Met():
			t.Errorf("the investigation clock is not met: %+v", k)
		case k.MetAt.IsZero():
			running++
		}
	}
	if running == 0 {
		t.Errorf("no clock of the mould case is still running: %+v", h.Clocks)
	}
}

func TestDemoLoadsOnlyIntoAnEmptyDatabase(t *testing.T) {
	db := filepath.Join(scratchDir(t), "demo.db")
	a := openDemo(t, db, "")
	n := len(allCases(t, a))
	if len(printedTokens(a.out)) == 0 {
		t.Fatal("the first start printed no tokens")
	}
	if err := a.st.Close(); err != nil {
		t.Fatal(err)
	}

	b := seed(t, db, a.key, "", clock.Wall(), nil)
	out2 := b.out
	if got := len(allCases(t, b)); got != n {
		t.Errorf("second start with the demo: %d cases, want %d", got, n)
	}
	users, err := b.st.CountUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if users != 6 {
		t.Errorf("second start with the demo: %d users, want 6", users)
	}
	if toks := printedTokens(out2); len(toks) > 0 {
		t.Errorf("second start printed %d new tokens:\n%s", len(toks), out2)
	}
}

func TestDemoLoadsUnderEveryPreset(t *testing.T) {
	for _, name := range policy.Presets() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l := openDemo(t, filepath.Join(scratchDir(t), "demo.db"), name)
			if l.pol.Name != name {
				t.Fatalf("policy %s is in force, want %s", l.pol.Name, name)
			}
			checkDemo(t, l)
		})
	}
}

// A landlord's own policy may list no exclusions; the demo then has no
// refused case rather than failing.
func TestDemoWithoutExclusionsSkipsTheRefusal(t *testing.T) {
	src, err := policy.PresetYAML(policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "exclusions")
	doc["name"] = "no-exclusions"
	data, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := scratchDir(t)
	file := filepath.Join(dir, "no-exclusions.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	l := openDemo(t, filepath.Join(dir, "demo.db"), file)
	if len(l.pol.Exclusions) != 0 {
		t.Fatalf("the policy has %d exclusions, want none", len(l.pol.Exclusions))
	}
	checkDemo(t, l)
}

// The demo counts back from today in working days, so it must load, with
// a case overdue, on any day: a weekend, a bank holiday, between
// Christmas and New Year, across a change of year or of clocks.
//
// Each of the 28 loads is a whole demo checked in full. They run in
// parallel, and hash the passwords with a cheap argon2id, which makes
// checking them cheap too: the hash does not depend on the date, and the
// other demo tests load with the one Redress ships.
func TestDemoLoadsWhateverTheDate(t *testing.T) {
	dates := []string{
		"2026-12-25 10:00", // Christmas Day
		"2026-12-29 00:05", // just after midnight between Christmas and New Year
		"2027-01-04 09:00", // first working day of the year
		"2027-03-29 12:00", // Easter Monday
		"2027-03-31 23:55", // last minutes of a TSM year; clocks changed on Sunday
		"2027-06-12 15:00", // a Saturday
		"2027-10-31 01:30", // the hour the clocks go back
	}
	for _, pol := range []string{policy.Default, "feedback-policy-2018", "five-steps", "gentoo"} {
		for _, day := range dates {
			t.Run(pol+"/"+day, func(t *testing.T) {
				t.Parallel()
				now, err := time.ParseInLocation("2006-01-02 15:04", day, calendar.London)
				if err != nil {
					t.Fatal(err)
				}
				key, err := store.NewAuditKey()
				if err != nil {
					t.Fatal(err)
				}
				l := seed(t, filepath.Join(scratchDir(t), "demo.db"), key, pol, now, cheapHash)
				checkDemo(t, l)
				checkDemoPasswords(t, l)
			})
		}
	}
}

// cheapHash hashes a password as auth.HashPassword does, argon2id in a
// PHC string that auth.VerifyPassword accepts, but with the least memory
// argon2 allows (8 KiB) rather than 64 MiB.
func cheapHash(pw string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	const m, t, p = 8, 1, 1
	key := argon2.IDKey([]byte(pw), salt, t, m, p, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkDemoPasswords checks that the password printed for each demo user
// signs them in. It is not part of checkDemo because with the shipped
// hash each check costs 64 MiB of argon2id.
func checkDemoPasswords(t *testing.T, l *loaded) {
	t.Helper()
	n, out := 0, l.out
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) != 4 || !strings.HasPrefix(f[3], "rdr_") {
			continue
		}
		n++
		_, pw, err := l.st.UserPassword(context.Background(), f[0])
		if err != nil {
			t.Errorf("%s: %v", f[0], err)
			continue
		}
		if ok, err := auth.VerifyPassword(pw.Hash, f[2]); !ok || err != nil {
			t.Errorf("the password printed for %s does not sign them in (%v)", f[0], err)
		}
	}
	if staff := demoStaff(t); n != len(staff) {
		t.Errorf("printed %d users with a password and a token, want %d:\n%s", n, len(staff), out)
	}
}

// demoStaff returns the staff as landlord.yaml lists them.
func demoStaff(t *testing.T) []store.User {
	t.Helper()
	var doc struct {
		Staff []store.User `yaml:"staff"`
	}
	if err := yaml.Unmarshal(landlordYAML, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Staff
}

// scratchDir returns a directory for a throwaway database, removed when
// the test ends: in memory (/dev/shm) where there is one, so that its
// commits do not wait for fsync, and otherwise a temporary directory.
// Durability itself is tested in the store's own package.
func scratchDir(t *testing.T) string {
	t.Helper()
	select {
	case shmSlots <- struct{}{}:
	default:
		return t.TempDir()
	}
	dir, err := os.MkdirTemp("/dev/shm", "redress-test-")
	if err != nil {
		<-shmSlots
		return t.TempDir()
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Error(err)
		}
		<-shmSlots
	})
	return dir
}

// shmSlots bounds how many databases scratchDir keeps in /dev/shm at
// once. A loaded demo takes about 5 MiB there, and in a container
// /dev/shm may be as small as 64 MiB and shared with other processes.
var shmSlots = make(chan struct{}, 8)

// landlord.yaml's times and dates count back from today in working days
// of the policy's calendar, so that the demo reads the same on any day;
// any other text is left as it is written.
func TestLandlordTimesCountBackInWorkingDaysOverChristmas(t *testing.T) {
	p, err := policy.Open(policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(calendar.BuiltIn())
	if err != nil {
		t.Fatal(err)
	}
	// Monday 4 January 2027, after New Year's Day (Friday) and the
	// Christmas and Boxing Day bank holidays (Friday 25 and Monday 28).
	d := newDays(time.Date(2027, 1, 4, 9, 0, 0, 0, calendar.London), cal)
	for _, tt := range []struct {
		in   string
		want any
	}{
		{"1 working day ago, 08:52", time.Date(2026, 12, 31, 8, 52, 0, 0, calendar.London)},
		{"3 working days ago, 16:00", time.Date(2026, 12, 29, 16, 0, 0, 0, calendar.London)},
		{"4 working days ago", "2026-12-24"},
		{"in 10 days", "2027-01-14"},
		{"Leak fixed in 2 days", "Leak fixed in 2 days"},
		{"30 working days ago, 10:15 or so", "30 working days ago, 10:15 or so"},
	} {
		got, err := d.resolve(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if w, ok := tt.want.(time.Time); ok {
			if g, ok := got.(time.Time); !ok || !g.Equal(w) {
				t.Errorf("%q = %v, want %v", tt.in, got, w)
			}
		} else if got != tt.want {
			t.Errorf("%q = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"0 working days ago, 09:00", "2 working days ago, 24:00"} {
		if _, err := d.resolve(bad); err == nil {
			t.Errorf("%q is not a time in the past, but was read as one", bad)
		}
	}
}

// A misspelt field or command in landlord.yaml fails the load, rather
// than leaving something out of the demo without a word.
func TestLandlordRefusesWhatNoCommandTakes(t *testing.T) {
	p, err := policy.Open(policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(calendar.BuiltIn())
	if err != nil {
		t.Fatal(err)
	}
	d := newDays(time.Date(2027, 1, 4, 9, 0, 0, 0, calendar.London), cal)
	for name, doc := range map[string]string{
		"a misspelt field":   "cases: [{by: a@example.org, create: {received_at: \"3 working days ago, 09:00\", sumary: Leak}}]",
		"a misspelt command": "cases: [{by: a@example.org, create: {received_at: \"3 working days ago, 09:00\"}, steps: [{at: \"2 working days ago, 09:00\", by: a@example.org, aknowledge: {}}]}]",
		"two commands":       "cases: [{by: a@example.org, create: {received_at: \"3 working days ago, 09:00\"}, steps: [{at: \"2 working days ago, 09:00\", by: a@example.org, close: {}, note: {text: Done}}]}]",
		"a misspelt section": "case: []",
	} {
		if _, err := readLandlord([]byte(doc), d, p); err == nil {
			t.Errorf("%s: the landlord was read", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if _, err := readLandlord(landlordYAML, d, p); err != nil {
		t.Errorf("landlord.yaml: %v", err)
	}
}
