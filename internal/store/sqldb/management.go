package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// learningLimit is how many entries the learning log shows.
const learningLimit = 200

// ManagementFigures implements store.Store. Figures for everything come
// from the daily counts the triggers keep (figure_days) and the chain of
// each person's complaints (complaint_chain); figures narrowed to a
// service area or a tenure, which those do not hold, from the report
// facts themselves (contact_facts, stage_facts, category_facts,
// remedy_facts), with one query per figure or group of figures, each over
// a covering index by date. Either way the queries run on up to four read
// transactions at once that all see the same moment (see readAtOnce);
// report turns the counts into percentiles, rates and ordered rows.
func (db *DB) ManagementFigures(ctx context.Context, f report.Filter) (report.Management, error) {
	if err := f.Check(); err != nil {
		return report.Management{}, err
	}
	t := newTally(f)
	if f.ServiceArea != "" {
		var err error
		if t.areas, err = db.namesOf(ctx, store.ListServiceAreas, f.ServiceArea); err != nil {
			return report.Management{}, fmt.Errorf("management figures: %w", err)
		}
	}
	queries := figureDaysQueries(f, t)
	if f.ServiceArea != "" || f.Tenure != nil {
		queries = managementQueries(f, t)
	}
	var praise report.ComplimentTally
	queries = append(queries, complimentQuery(f, t.areas, &praise))
	if err := db.readAtOnce(ctx, queries); err != nil {
		return report.Management{}, fmt.Errorf("management figures: %w", err)
	}
	if err := db.countAsListed(ctx, t); err != nil {
		return report.Management{}, fmt.Errorf("management figures: %w", err)
	}
	m := t.management()
	m.Compliments = praise.Figures()
	return m, nil
}

// countAsListed counts each service area and category under the entry of
// the lists it now belongs to (store.PicklistStore): a name merged into
// another, or an entry's old name, is one row with it, so that the
// themes do not split into "contractor" and "contractor conduct". The
// cases keep the values they were recorded with; only the counting
// follows the lists.
func (db *DB) countAsListed(ctx context.Context, t *tally) error {
	for list, counts := range map[string]map[string]int{store.ListServiceAreas: t.area, store.ListCategories: t.cat} {
		aliases, err := db.PicklistAliases(ctx, list)
		if err != nil {
			return err
		}
		if len(aliases) == 0 {
			continue
		}
		merged := map[string]int{}
		for name, n := range counts {
			merged[store.Canonical(aliases, name)] += n
		}
		clear(counts)
		for name, n := range merged {
			counts[name] = n
		}
	}
	return nil
}

// maxFigureReaders is how many connections one report reads on at once.
const maxFigureReaders = 4

// readAtOnce runs the queries, in order, on as many read transactions at
// once as there are processors (up to maxFigureReaders): over a million
// cases each query costs tens to hundreds of milliseconds of one core's
// time, and together they come within a second only when they share the
// cores.
//
// The transactions must see the same moment, or a case saved between
// them would be counted by some figures and not others. A transaction's
// snapshot is taken at its first read, so each first reads the audit
// head's count of events: every change to a case appends an event in the
// transaction that rewrites its facts, so equal counts mean that no
// change to any case came between the snapshots. If one did, it tries
// again, and after three tries settles for one transaction.
//
// Only one report at a time reads on several connections: a report that
// took one connection of the read pool and waited for another could
// otherwise wait forever on other reports doing the same. A report that
// finds another one reading uses one transaction.
func (db *DB) readAtOnce(ctx context.Context, queries []figureQuery) error {
	n := min(runtime.GOMAXPROCS(0), maxFigureReaders, len(queries))
	if n > 1 && db.figures.TryLock() {
		defer db.figures.Unlock()
	} else {
		n = 1
	}
	txs, err := db.snapshot(ctx, n)
	if err != nil {
		return err
	}
	defer func() {
		for _, tx := range txs {
			tx.Rollback()
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex // guards next, firstErr and the queries' tally
		next     int
		firstErr error
		wg       sync.WaitGroup
	)
	for _, tx := range txs {
		wg.Go(func() {
			for {
				mu.Lock()
				if next == len(queries) || firstErr != nil {
					mu.Unlock()
					return
				}
				q := queries[next]
				next++
				mu.Unlock()
				if err := q.run(ctx, tx, &mu); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", q.name, err)
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

// snapshot begins n read transactions that see the same moment, or one.
func (db *DB) snapshot(ctx context.Context, n int) ([]*sql.Tx, error) {
	var txs []*sql.Tx
	rollback := func() {
		for _, tx := range txs {
			tx.Rollback()
		}
		txs = nil
	}
	for try := 1; ; try++ {
		if try > 3 {
			n = 1
		}
		events := map[int64]bool{}
		for range n {
			tx, err := db.rep.BeginTx(ctx, db.d.snapshot)
			if err != nil {
				rollback()
				return nil, err
			}
			txs = append(txs, tx)
			var count int64
			if err := tx.QueryRowContext(ctx, `SELECT count FROM audit_head WHERE id = 1`).Scan(&count); err != nil {
				rollback()
				return nil, err
			}
			events[count] = true
		}
		if len(events) == 1 {
			return txs, nil
		}
		rollback()
	}
}

// tally collects what the queries count, before report orders it.
type tally struct {
	f report.Filter
	// areas are the names the filter's service area is counted under
	// (namesOf); nil for f's service area alone.
	areas                             []string
	kind, channel, area, month, cat   map[string]int
	stages                            []report.StageFigures
	refusals                          []map[string]int
	money                             map[string]report.Money
	actionsOpen, actionsDone, overdue int
	repeat                            int
	learning                          []report.Learning
	withinCode, respN                 []int
}

func newTally(f report.Filter) *tally {
	t := &tally{f: f, kind: map[string]int{}, channel: map[string]int{}, area: map[string]int{}, month: map[string]int{}, cat: map[string]int{},
		money: map[string]report.Money{}, learning: []report.Learning{}}
	for _, s := range f.Stages() {
		t.stages = append(t.stages, report.StageFigures{Stage: s,
			Acknowledge: report.Times{Histogram: map[int]int{}}, Respond: report.Times{Histogram: map[int]int{}}})
		t.refusals = append(t.refusals, map[string]int{})
	}
	n := len(t.stages)
	t.withinCode, t.respN = make([]int, n), make([]int, n)
	return t
}

// stage returns the index of stage s in t.stages.
func (t *tally) stage(s int) int {
	for i, st := range t.stages {
		if st.Stage == s {
			return i
		}
	}
	return -1
}

func (t *tally) management() report.Management {
	m := report.Management{
		Filter: t.f, ByKind: report.RowsOf(t.kind), ByChannel: report.RowsOf(t.channel), ByServiceArea: report.RowsOf(t.area),
		ByCategory: report.RowsOf(t.cat), ByMonth: report.MonthRows(t.month, t.f.From, t.f.To),
		Stages: t.stages, Compensation: report.MoneyOf(t.money),
		ActionsOpen: t.actionsOpen, ActionsDone: t.actionsDone, ActionsOverdue: t.overdue,
		RepeatComplainants: t.repeat, Learning: t.learning,
	}
	for i := range m.Stages {
		st := &m.Stages[i]
		report.Percentiles(&st.Acknowledge)
		report.Percentiles(&st.Respond)
		st.AcknowledgedOnTime = report.AcknowledgedOnTime(st.Acknowledge)
		st.RespondedOnTime = report.RateOf(t.withinCode[i], t.respN[i])
		st.Refusals = report.RowsOf(t.refusals[i])
	}
	return m
}

// figureQuery is one query behind the figures and what to do with each
// row it returns.
type figureQuery struct {
	name string
	sql  string
	args []any
	row  func(scan func(dest ...any) error) error
}

// run runs the query in tx and hands each row to q.row, holding mu.
func (q figureQuery) run(ctx context.Context, tx *sql.Tx, mu *sync.Mutex) error {
	rows, err := tx.QueryContext(ctx, q.sql, q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		mu.Lock()
		err := q.row(rows.Scan)
		mu.Unlock()
		if err != nil {
			return err
		}
	}
	return rows.Err()
}

// narrow returns the filter's service area, under any of areas (its
// names, from namesOf) if given, and tenure as SQL conditions on the
// table aliased x, and their arguments.
func narrow(f report.Filter, areas []string, x string) (string, []any) {
	var cond string
	var args []any
	if f.ServiceArea != "" {
		if len(areas) == 0 {
			areas = []string{f.ServiceArea}
		}
		c, a := oneOfNames(x+`.service_area`, areas)
		cond += ` AND ` + c
		args = append(args, a...)
	}
	if f.Tenure != nil {
		cond += ` AND ` + x + `.tenure = ?`
		args = append(args, string(*f.Tenure))
	}
	return cond, args
}

// stageIn is the stage filter as SQL on the table aliased x ("" for
// none); the stages are checked numbers.
func stageIn(f report.Filter, x string) string {
	var s []string
	for _, n := range f.Stages() {
		s = append(s, strconv.Itoa(n))
	}
	if x != "" {
		x += "."
	}
	return x + `stage IN (` + strings.Join(s, ", ") + `)`
}

// stageValues is the filter's stages as a VALUES list.
func stageValues(f report.Filter) string {
	var s []string
	for _, n := range f.Stages() {
		s = append(s, "("+strconv.Itoa(n)+")")
	}
	return `VALUES ` + strings.Join(s, ", ")
}

// histogram is the query that counts stages by the working days a step
// took (ack_wd or respond_wd), for steps dated (acknowledged or
// responded) in the period. The index puts the days before the date, so
// rather than scan every date of every number of days it counts, for
// each stage and each number of days from the least to the most ever
// recorded, the one range of dates in the period: a count per range,
// with no sort and no row per date. Zero counts come back too.
func histogram(f report.Filter, days, date, index, cond string) string {
	bound := func(agg string) string {
		return `(SELECT coalesce(` + agg + `(` + days + `), 0) FROM stage_facts INDEXED BY ` + index +
			` WHERE ` + stageIn(f, "") + ` AND ` + date + ` IS NOT NULL)`
	}
	return `WITH RECURSIVE d(n) AS (SELECT ` + bound("min") + ` UNION ALL SELECT n + 1 FROM d WHERE n < ` + bound("max") + `),
		s(stage) AS (` + stageValues(f) + `)
		SELECT s.stage, d.n, (SELECT count(*) FROM stage_facts x INDEXED BY ` + index + `
			WHERE x.stage = s.stage AND x.` + days + ` = d.n AND x.` + date + ` BETWEEN ? AND ?` + cond + `) FROM s, d`
}

// figureDaysQueries returns the queries behind the figures for
// everything (no service area or tenure), each adding what it counts to
// t: the daily counts, the repeat complainants and the learning log.
func figureDaysQueries(f report.Filter, t *tally) []figureQuery {
	from, to := f.From.String(), f.To.String()
	return []figureQuery{
		{
			name: "daily counts",
			sql:  figureDaysQuery,
			args: []any{from[:7], to[:7], from, to},
			row: func(scan func(...any) error) error {
				var month, figure, key string
				var stage, n int
				var pence int64
				if err := scan(&month, &figure, &stage, &key, &n, &pence); err != nil {
					return err
				}
				return t.addFigureDay(month, figure, stage, key, n, pence)
			},
		},
		{
			name: "repeat complainants",
			sql:  repeatQuery,
			args: []any{from, to, from, from},
			row:  func(scan func(...any) error) error { return scan(&t.repeat) },
		},
		learningQuery(f, t),
	}
}

// managementQueries returns the queries behind the figures narrowed to a
// service area or a tenure, each adding what it counts to t, costliest
// first so that run at once they end together. Each reads one covering
// index over the period (TestManagementQueriesReadCoveringIndexes checks
// the plans), except the learning log's, which reads the at most 200
// rows it shows and their cases' references.
func managementQueries(f report.Filter, t *tally) []figureQuery {
	from, to := f.From.String(), f.To.String()
	cond, cargs := narrow(f, t.areas, "x")
	period := func(extra ...any) []any { return append(append(extra, from, to), cargs...) }
	stages := stageIn(f, "x")
	return []figureQuery{
		{
			// The one figure that must sort: the period's complaints by
			// person. The costliest query, about 200 ms a year.
			name: "repeat complainants",
			sql: `SELECT count(*) FROM (SELECT 1 FROM contact_facts x
				WHERE x.kind = 'complaint' AND x.received BETWEEN ? AND ? AND x.complainant_key <> ''` + cond + `
				GROUP BY x.complainant_key HAVING count(*) >= 2) repeats`,
			args: period(),
			row:  func(scan func(...any) error) error { return scan(&t.repeat) },
		},
		{
			// Streams out of contact_facts_month in groups of month, kind,
			// channel and service area: a few thousand rows a year.
			name: "volumes",
			sql: `SELECT x.kind, x.channel, x.service_area, substr(x.received, 1, 7), count(*) FROM contact_facts x INDEXED BY contact_facts_month
				WHERE substr(x.received, 1, 7) BETWEEN ? AND ? AND x.received BETWEEN ? AND ?` + cond + `
				GROUP BY substr(x.received, 1, 7), x.kind, x.channel, x.service_area`,
			args: period(from[:7], to[:7]),
			row: func(scan func(...any) error) error {
				var kind, channel, area, month string
				var n int
				if err := scan(&kind, &channel, &area, &month, &n); err != nil {
					return err
				}
				t.kind[kind] += n
				t.channel[channel] += n
				t.area[area] += n
				t.month[month] += n
				return nil
			},
		},
		{
			// One row per stage, summed over stage_facts_responded.
			name: "responses",
			sql: `SELECT x.stage, count(*), sum(x.within_code), sum(CASE WHEN x.extension_days > 0 THEN 1 ELSE 0 END), sum(x.over_code_cap),
				sum(x.upheld), sum(x.partly), sum(x.not_upheld) FROM stage_facts x INDEXED BY stage_facts_responded
				WHERE ` + stages + ` AND x.responded BETWEEN ? AND ?` + cond + ` GROUP BY x.stage`,
			args: period(),
			row: func(scan func(...any) error) error {
				var stage, n, within, extended, overCap, upheld, partly, notUpheld int
				if err := scan(&stage, &n, &within, &extended, &overCap, &upheld, &partly, &notUpheld); err != nil {
					return err
				}
				i := t.stage(stage)
				st := &t.stages[i]
				t.respN[i] += n
				t.withinCode[i] += within
				st.Extended += extended
				st.OverCodeCap += overCap
				st.Upheld += upheld
				st.PartlyUpheld += partly
				st.NotUpheld += notUpheld
				return nil
			},
		},
		{
			// Streams out of stage_facts_received by day.
			name: "stages received",
			sql: `SELECT x.stage, x.refused, x.withdrawn, x.exclusion, count(*) FROM stage_facts x INDEXED BY stage_facts_received
				WHERE ` + stages + ` AND x.received BETWEEN ? AND ?` + cond + `
				GROUP BY x.stage, x.received, x.refused, x.withdrawn, x.exclusion`,
			args: period(),
			row: func(scan func(...any) error) error {
				var stage, n int
				var refused, withdrawn bool
				var exclusion string
				if err := scan(&stage, &refused, &withdrawn, &exclusion, &n); err != nil {
					return err
				}
				i := t.stage(stage)
				switch {
				case refused:
					t.refusals[i][exclusion] += n
				case withdrawn:
					t.stages[i].Withdrawn += n
					t.stages[i].Received += n
				default:
					t.stages[i].Received += n
				}
				return nil
			},
		},
		{
			// Groups by day and category, in category_facts_received's
			// order; grouping by category alone would sort the year.
			name: "categories",
			sql: `SELECT x.category, count(*) FROM category_facts x
				WHERE x.received BETWEEN ? AND ?` + cond + ` GROUP BY x.received, x.category`,
			args: period(),
			row: func(scan func(...any) error) error {
				var cat string
				var n int
				if err := scan(&cat, &n); err != nil {
					return err
				}
				t.cat[cat] += n
				return nil
			},
		},
		{
			name: "acknowledgement times",
			sql:  histogram(f, "ack_wd", "acknowledged", "stage_facts_ack_days", cond),
			args: period(),
			row: func(scan func(...any) error) error {
				var stage, days, n int
				if err := scan(&stage, &days, &n); err != nil || n == 0 {
					return err
				}
				t.stages[t.stage(stage)].Acknowledge.Histogram[days] += n
				return nil
			},
		},
		{
			name: "response times",
			sql:  histogram(f, "respond_wd", "responded", "stage_facts_respond_days", cond),
			args: period(),
			row: func(scan func(...any) error) error {
				var stage, days, n int
				if err := scan(&stage, &days, &n); err != nil || n == 0 {
					return err
				}
				t.stages[t.stage(stage)].Respond.Histogram[days] += n
				return nil
			},
		},
		{
			name: "compensation",
			sql: `SELECT x.compensation_kind, count(*), sum(x.amount_pence), sum(x.done), sum(CASE WHEN x.done = 1 THEN x.amount_pence ELSE 0 END)
				FROM remedy_facts x INDEXED BY remedy_facts_kind_offered WHERE x.kind = 'compensation' AND x.offered BETWEEN ? AND ?` + cond + `
				GROUP BY x.offered, x.compensation_kind`,
			args: period(),
			row: func(scan func(...any) error) error {
				var kind string
				var offered, paid int
				var offeredPence, paidPence int64
				if err := scan(&kind, &offered, &offeredPence, &paid, &paidPence); err != nil {
					return err
				}
				m := t.money[kind]
				m.Offered += offered
				m.OfferedPence += offeredPence
				m.Paid += paid
				m.PaidPence += paidPence
				t.money[kind] = m
				return nil
			},
		},
		{
			name: "actions",
			sql: `SELECT coalesce(sum(1 - x.done), 0), coalesce(sum(x.done), 0), coalesce(sum(CASE WHEN x.done = 0 AND x.due < ? THEN 1 ELSE 0 END), 0)
				FROM remedy_facts x INDEXED BY remedy_facts_kind_offered WHERE x.kind = 'action' AND x.offered BETWEEN ? AND ?` + cond,
			args: period(to),
			row: func(scan func(...any) error) error {
				return scan(&t.actionsOpen, &t.actionsDone, &t.overdue)
			},
		},
		learningQuery(f, t),
	}
}

// learningQuery reads the learning log: the at most 200 latest responses
// with learning, and their cases' references.
func learningQuery(f report.Filter, t *tally) figureQuery {
	cond, cargs := narrow(f, t.areas, "x")
	return figureQuery{
		name: "learning",
		sql: `SELECT c.reference, x.stage, x.responded, x.service_area, x.learning
			FROM stage_facts x INDEXED BY stage_facts_learning JOIN cases c ON c.id = x.case_id
			WHERE x.learning <> '' AND x.responded BETWEEN ? AND ? AND ` + stageIn(f, "x") + cond + `
			ORDER BY x.responded DESC, x.case_id DESC, x.stage DESC LIMIT ` + strconv.Itoa(learningLimit),
		args: append([]any{f.From.String(), f.To.String()}, cargs...),
		row: func(scan func(...any) error) error {
			var l report.Learning
			var responded string
			if err := scan(&l.Reference, &l.Stage, &responded, &l.ServiceArea, &l.Text); err != nil {
				return err
			}
			d, err := calendar.ParseDate(responded)
			if err != nil {
				return err
			}
			l.Responded = d
			t.learning = append(t.learning, l)
			return nil
		},
	}
}
