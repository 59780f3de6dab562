package sqldb

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/webui"
)

// The generated database: a million contacts received over the reporting
// years 2025/26 and 2026/27, with every later step of each case dated
// before benchNow.
const (
	benchCases  = 1_000_000
	benchBatch  = 10_000
	benchPeople = 1_500_000 // complainants to draw from, so some complain twice
)

var (
	benchFirstDay = calendar.NewDate(2025, time.April, 1)
	benchNow      = time.Date(2028, 3, 31, 12, 0, 0, 0, time.UTC)
)

// BenchmarkReportsOver1MillionCases times the reports over a million
// cases: what the reports page asks of storage for one reporting year
// (the Tenant Satisfaction Measures and the management figures, apart and
// together), and the server time of the report pages themselves, through
// the real handler with a signed-in manager.
//
// Building the database takes minutes and is done once per run, in a
// temporary directory. To keep it between runs while working on queries,
// set REDRESS_BENCH_DB to a file path, or to the postgres:// URL of an
// empty database to measure PostgreSQL: the first run builds it there and
// later runs reuse it (migrating it if this build has new migrations).
func BenchmarkReportsOver1MillionCases(b *testing.B) {
	ctx := context.Background()
	db, build := openBenchDB(b)
	if build > 0 {
		b.ReportMetric(build.Seconds(), "build-s")
	}
	year := report.Year(2026)
	from, to := year.Dates()
	homes := policy.Homes{Year: 2026, LowCostRental: 400_000, LowCostHomeOwnership: 40_000}
	var tsm report.TSM
	var m report.Management
	b.Run("TSM", func(b *testing.B) {
		for b.Loop() {
			counts, err := db.TSMCounts(ctx, from, to)
			if err != nil {
				b.Fatal(err)
			}
			tsm = report.ComputeTSM(year, counts, homes, true)
		}
	})
	b.Run("Management", func(b *testing.B) {
		for b.Loop() {
			var err error
			if m, err = db.ManagementFigures(ctx, report.Filter{From: from, To: to}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TSMAndManagement", func(b *testing.B) {
		for b.Loop() {
			counts, err := db.TSMCounts(ctx, from, to)
			if err != nil {
				b.Fatal(err)
			}
			tsm = report.ComputeTSM(year, counts, homes, true)
			if m, err = db.ManagementFigures(ctx, report.Filter{From: from, To: to}); err != nil {
				b.Fatal(err)
			}
		}
	})
	f, _ := tsm.Find(report.CH02Stage1, "")
	var stage1 report.StageFigures // none when only the TSM benchmark ran
	if len(m.Stages) > 0 {
		stage1 = m.Stages[0]
	}
	b.Logf("%s: CH02(1) %d of %d; %d contacts; stage 1: %d received, response median %v, P90 %v working days; %d repeat complainants; %d actions overdue",
		year, f.Numerator, f.Denominator, rowsTotal(m.ByKind), stage1.Received, stage1.Respond.Median, stage1.Respond.P90,
		m.RepeatComplainants, m.ActionsOverdue)
	benchReportPages(b, db)
}

// benchReportPages times the report pages' server time, each page a
// sub-benchmark, as a manager signed in once.
func benchReportPages(b *testing.B, db *DB) {
	b.Helper()
	ctx := context.Background()
	p, cal := policytest.Code(b)
	const email, password = "bench-manager@example.org", "a bench password that is long enough"
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		if u, err = db.CreateUser(ctx, store.User{Email: email, Name: "Bench manager", Role: "manager"}); err != nil {
			b.Fatal(err)
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.SetPassword(ctx, u.ID, hash, false); err != nil {
		b.Fatal(err)
	}
	if err := db.SetHomes(ctx, policy.Homes{Year: 2026, LowCostRental: 400_000, LowCostHomeOwnership: 40_000}, email, benchNow); err != nil {
		b.Fatal(err)
	}
	web, err := webui.New(&webui.Server{Store: db, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return benchNow }})
	if err != nil {
		b.Fatal(err)
	}
	h := web.Handler()
	req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if len(w.Result().Cookies()) == 0 {
		b.Fatalf("sign in: %d", w.Code)
	}
	cookie := w.Result().Cookies()[0]
	for _, page := range []string{"/reports?year=2026", "/summary?year=2026", "/reports/management?from=2026-04-01&to=2027-03-31",
		"/reports/pack?period=2026-Q4", "/reports/pack?period=2026"} {
		b.Run("Page"+strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(page), func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", page, nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %.500s", page, w.Code, w.Body.String())
				}
			}
		})
	}
}

// openBenchDB opens the million-case database, building it first if it
// is not there, and returns how long the building took (0 if reused). It
// is closed when the benchmark ends.
func openBenchDB(b *testing.B) (*DB, time.Duration) {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv("REDRESS_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "redress.db")
	}
	_, statErr := os.Stat(path)
	db, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if IsPostgres(path) {
		// A PostgreSQL URL: an empty database is built, a full one reused.
		n, err := db.CountCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
		if err != nil {
			b.Fatal(err)
		}
		if n > 0 {
			statErr = nil
		}
	}
	if statErr == nil {
		b.Logf("reusing %s", path)
		return db, 0
	}
	start := clock.Wall()
	if err := buildBenchDB(ctx, db); err != nil {
		b.Fatal(err)
	}
	build := clock.Wall().Sub(start)
	b.Logf("built %d cases in %s", benchCases, build.Round(time.Second))
	return db, build
}

func rowsTotal(rows []report.Row) int {
	n := 0
	for _, r := range rows {
		n += r.N
	}
	return n
}

// buildBenchDB imports benchCases cases in transactions of benchBatch.
func buildBenchDB(ctx context.Context, db *DB) error {
	p, err := policy.Preset("code-2024")
	if err != nil {
		return err
	}
	cal, err := p.Calendar(nil)
	if err != nil {
		return err
	}
	decides := make([]func(store.NewReference) (complaint.Case, complaint.Event, error), benchBatch)
	for start := 0; start < benchCases; start += benchBatch {
		for i := range decides {
			decides[i] = benchCase(start+i, benchPeople, p, cal)
		}
		if err := db.ImportCases(ctx, decides); err != nil {
			return fmt.Errorf("batch from case %d: %w", start, err)
		}
	}
	return nil
}

// importBenchCases imports n generated cases (the benchmark's) made by
// one of people complainants, for tests that want many cases of every
// kind and state quickly.
func importBenchCases(t testing.TB, db *DB, n, people int) {
	t.Helper()
	p, cal := policytest.Code(t)
	decides := make([]func(store.NewReference) (complaint.Case, complaint.Event, error), n)
	for i := range decides {
		decides[i] = benchCase(i, people, p, cal)
	}
	if err := db.ImportCases(context.Background(), decides); err != nil {
		t.Fatal(err)
	}
}

// weighted picks one of choices, each as likely as its weight.
func weighted[T any](r *rand.Rand, choices []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return choices[i]
		}
		n -= w
	}
	return choices[len(choices)-1]
}

var (
	benchKinds        = []complaint.Kind{"complaint", "service_request", "compliment", "enquiry", "feedback", "suggestion"}
	benchKindWeights  = []int{70, 14, 6, 4, 3, 3}
	benchChannels     = []complaint.Channel{"email", "phone", "web", "letter", "in_person", "social_media"}
	benchChannelWt    = []int{34, 30, 20, 6, 5, 5}
	benchTenures      = []complaint.Tenure{"low_cost_rental", "low_cost_home_ownership", "other", ""}
	benchTenureWt     = []int{82, 11, 3, 4}
	benchAreas        = []string{"repairs", "damp_and_mould", "estates", "anti_social_behaviour", "rents_and_charges", "lettings", "customer_service", "home_ownership", ""}
	benchAreaWt       = []int{35, 12, 10, 9, 9, 6, 12, 4, 3}
	benchCategories   = []string{"communication", "delay", "quality_of_work", "staff_conduct", "appointments", "damp", "heating", "noise", "charges", "policy", "contractor", "accessibility"}
	benchOutcomes     = []complaint.Outcome{"upheld", "partly_upheld", "not_upheld"}
	benchOutcomeWt    = []int{30, 25, 45}
	benchExclusions   = []string{"older_than_12_months", "legal_proceedings", "previously_considered"}
	benchOfficer      = "officer@example.org"
	benchReviewer     = "reviewer@example.org"
	benchActionsOwner = "repairs-manager@example.org"
)

// life is a generated case being taken through its life, one dated
// command after another.
type life struct {
	i   int
	r   *rand.Rand
	c   complaint.Case
	env complaint.Env
	t   time.Time // when the latest command happened
}

// do applies cmd days (and an hour) after the latest command.
func (l *life) do(days int, actor string, cmd complaint.Command) error {
	l.t = l.t.Add(time.Duration(days)*24*time.Hour + time.Hour)
	l.env.At, l.env.Actor.Email = l.t, actor
	next, _, err := complaint.Decide(l.c, cmd, l.env)
	if err != nil {
		return fmt.Errorf("case %d: %T at %s: %w", l.i, cmd, l.t, err)
	}
	l.c = next
	return nil
}

// benchCase returns the decision that creates generated case i, already
// taken through its whole life, made by one of people complainants.
//
// ImportCases saves one case and one event per decision (createInTx): the
// case is saved as returned and its report facts are written from it, so
// a case whose later commands are applied here, by calling Decide on it
// in turn, has the facts of its final state. Only its creation event is
// recorded, so its audit trail lacks the later events: fine for a
// benchmark of the reports, which read facts, not events, but not a way
// to import real cases.
func benchCase(i, people int, p *policy.Policy, cal *calendar.Calendar) func(store.NewReference) (complaint.Case, complaint.Event, error) {
	return func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		r := rand.New(rand.NewPCG(2026, uint64(i)))
		day := benchFirstDay.AddDays(r.IntN(730))
		received := time.Date(day.Year(), day.Month(), day.Day(), 8+r.IntN(10), r.IntN(60), 0, 0, calendar.London)
		env := complaint.Env{Now: benchNow, Actor: complaint.Actor{Email: benchOfficer, Role: "officer"}, Policy: p, Calendar: cal, NewReference: ref}
		// A case is logged when it is received, so its creation is
		// recorded then; one in 33 is logged long after (at benchNow),
		// which puts it on the reports' list of events recorded late.
		logged := env
		if i%33 != 0 {
			logged.Now = received
		}
		person := complaint.Person{Name: "Resident"}
		if who := r.IntN(people); r.IntN(100) < 85 {
			person.Email = fmt.Sprintf("resident%d@example.org", who)
		} else {
			person.Phone = fmt.Sprintf("0191 %07d", who)
		}
		var cats []string
		for range r.IntN(3) {
			if c := benchCategories[r.IntN(len(benchCategories))]; len(cats) == 0 || cats[0] != c {
				cats = append(cats, c)
			}
		}
		kind := weighted(r, benchKinds, benchKindWeights)
		c, created, err := complaint.NewCase(complaint.Create{
			Kind: kind, Channel: weighted(r, benchChannels, benchChannelWt), ReceivedAt: &received,
			Complainant: person, Summary: fmt.Sprintf("Generated case %d", i),
			ServiceArea: weighted(r, benchAreas, benchAreaWt), Categories: cats,
			Tenure: weighted(r, benchTenures, benchTenureWt),
		}, logged)
		if err != nil {
			return c, created, err
		}
		l := &life{i: i, r: r, c: c, env: env, t: received}
		err = l.live(kind)
		return l.c, created, err
	}
}

// live takes the case through the rest of its life.
func (l *life) live(kind complaint.Kind) error {
	r := l.r
	if kind != complaint.KindComplaint {
		if r.IntN(100) < 80 {
			return l.do(1+r.IntN(20), benchOfficer, complaint.Close{})
		}
		return nil
	}
	if err := l.stage(1, benchOfficer); err != nil || l.c.Status != complaint.StatusResponded {
		return err
	}
	if r.IntN(100) < 14 {
		if err := l.do(3+r.IntN(38), benchOfficer, complaint.Escalate{}); err != nil {
			return err
		}
		if err := l.stage(2, benchReviewer); err != nil || l.c.Status != complaint.StatusResponded {
			return err
		}
	}
	for _, rem := range l.c.Remedies {
		if (rem.Kind == complaint.RemedyAction && r.IntN(100) < 60) || (rem.Kind == complaint.RemedyCompensation && r.IntN(100) < 70) {
			if err := l.do(r.IntN(30), benchActionsOwner, complaint.CompleteRemedy{ID: rem.ID, Note: "done"}); err != nil {
				return err
			}
		}
	}
	if r.IntN(100) < 70 {
		return l.do(1+r.IntN(20), benchOfficer, complaint.Close{})
	}
	return nil
}

// stage takes a complaint's current stage from received to responded,
// or to a refusal, a withdrawal or an acknowledgement still open.
func (l *life) stage(stage int, actor string) error {
	r := l.r
	switch x := r.IntN(1000); {
	case stage == 1 && x < 20:
		return l.do(r.IntN(5), actor, complaint.Refuse{Exclusion: benchExclusions[r.IntN(len(benchExclusions))], Explanation: "outside the policy"})
	case x < 35:
		return l.do(r.IntN(10), actor, complaint.Withdraw{Reason: "resolved informally"})
	}
	points := make([]string, 1+r.IntN(3))
	for k := range points {
		points[k] = fmt.Sprintf("Point %d", k+1)
	}
	ackDays := weighted(r, []int{r.IntN(5), 5 + r.IntN(3), 8 + r.IntN(5)}, []int{70, 25, 5})
	if err := l.do(ackDays, actor, complaint.Acknowledge{Points: points}); err != nil {
		return err
	}
	switch x := r.IntN(1000); {
	case x < 15:
		return l.do(r.IntN(10), actor, complaint.Withdraw{Reason: "no longer wanted"})
	case x < 35:
		return nil // still being investigated
	}
	codeCap := 10 * stage
	extra := 0
	switch x := r.IntN(100); {
	case x < 9:
		extra = codeCap / 2 * (1 + r.IntN(2))
		if err := l.do(2+r.IntN(5), actor, complaint.Extend{WorkingDays: extra, Reason: "waiting for a survey", OmbudsmanDetailsGiven: true}); err != nil {
			return err
		}
	case x < 11:
		extra = codeCap + 5
		if err := l.do(2+r.IntN(5), actor, complaint.Extend{WorkingDays: extra, Reason: "contractor unavailable", AgreedWithResident: true, OmbudsmanDetailsGiven: true, GoodReason: "the only contractor for the work is booked up"}); err != nil {
			return err
		}
	}
	days := weighted(r, []int{3 + r.IntN(11*stage), 14*stage + r.IntN(20)}, []int{88, 12}) + extra*7/5
	respondOn := calendar.DateOf(l.t.Add(time.Duration(days)*24*time.Hour + time.Hour))
	var resp complaint.Respond
	for k := range points {
		resp.Decisions = append(resp.Decisions, complaint.Decision{Point: k + 1, Outcome: weighted(r, benchOutcomes, benchOutcomeWt), Reasons: "Reasons given."})
	}
	if r.IntN(100) < 35 {
		resp.Remedies = append(resp.Remedies, complaint.RemedyInput{Kind: complaint.RemedyApology, Description: "We apologise."})
	}
	if r.IntN(100) < 20 {
		resp.Remedies = append(resp.Remedies, complaint.RemedyInput{Kind: complaint.RemedyCompensation, Description: "For the time and trouble.",
			AmountPence: int64(25+r.IntN(476)) * 100, CompensationKind: complaint.CompensationKinds[r.IntN(len(complaint.CompensationKinds))]})
	}
	if r.IntN(100) < 12 {
		resp.Remedies = append(resp.Remedies, complaint.RemedyInput{Kind: complaint.RemedyAction, Description: "Repair the roof.",
			Owner: benchActionsOwner, Due: respondOn.AddDays(10 + r.IntN(31)).String()})
	}
	if r.IntN(100) < 15*stage+10 {
		resp.Learning = "Book the follow-up visit when the first one is made."
	}
	if err := l.do(days, actor, resp); err != nil {
		return err
	}
	// The response counts when its letter goes, the same day here. The
	// generated history records the letter's hash; the letters
	// themselves are not generated.
	return l.do(0, actor, complaint.RecordLetter{Kind: complaint.ResponseLetterKind(stage), Title: "Response",
		Channel: "email", SHA256: strings.Repeat("0f", 32)})
}
