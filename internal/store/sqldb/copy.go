package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Moving a landlord from SQLite to PostgreSQL (redress migrate-store).
// Every row is copied with its id, so references between tables, the
// event ids the audit chain is ordered by and the text its hashes are
// over stay exactly as they were. The copy is one transaction on the
// target: a copy that fails, or whose rows do not match the source's,
// leaves the target as empty as it was.
//
// The target derives some rows itself, and each such table is brought
// over as its rows are made:
//
//   - tsm_days, policy_days and figure_days are counts kept by triggers
//     on the report facts. They are not copied but counted from the
//     copied facts, once,
//     with the triggers off while the rows go in (countFacts), and then
//     checked against the source's (rows counted down to zero, which
//     SQLite keeps, are left out of the comparison). Left on, the
//     triggers would add one to a few hot rows per fact in one
//     transaction, each time a new row version that the next must step
//     past, as none can be cleared before the copy commits.
//   - safety_flags gains a row from a trigger on events, but its
//     alerted_at is the notify relay's record of the alerts it has sent,
//     which no trigger can derive. The trigger's rows are replaced by the
//     source's, so that no alert is sent again or lost.
//   - case_search, PostgreSQL's search index, has no SQLite table to copy
//     (SQLite's are FTS5 tables): every case is indexed by the store's
//     own indexer, as saving the case would.
//   - audit_head, audit_chain, notify_cursor and staff_notice_cursor are
//     made by the target's migrations with their first row, which the
//     source's row replaces.
//
// SQLite's own tables (sqlite_sequence, schema_migrations, the FTS5
// tables and their shadow tables) are not copied; sqlite_sequence still
// sets where an identity resumes, so that an id AUTOINCREMENT never
// reused is never reused here either.

// ErrCopyMismatch marks a copy whose target does not match its source:
// a count, a derived table or the audit chain differs.
var ErrCopyMismatch = errors.New("the copy does not match its source")

// CopiedTable is one table of a copy: its rows in the source and in the
// target, and how they came to be in the target.
type CopiedTable struct {
	Name   string
	Source int64
	Target int64
	How    string
}

// CopyReport is what CopyStore copied and what it checked.
type CopyReport struct {
	Tables []CopiedTable
	// Events and Head are the source's audit chain: its length and the
	// hash of its newest event, which the target now ends with too.
	Events int
	Head   string
	// Audit is the target's audit verified after the copy.
	Audit store.AuditReport
}

// How a table's rows reach the target.
const (
	howCopied   = "copied"
	howReplaced = "copied over the rows the target's trigger made"
	howCounted  = "counted from the copied report facts"
	howIndexed  = "indexed by the store's search indexer"
)

// countedByTriggers are the tables the target's triggers fill as the
// report facts are copied.
var countedByTriggers = []string{"tsm_days", "policy_days", "figure_days"}

// replacedAfterTrigger are the tables a trigger fills as other tables are
// copied but whose rows hold more than it derives: they are copied last,
// over what the trigger made.
var replacedAfterTrigger = []string{"safety_flags"}

// seededByMigrations are the one-row tables a new database already has.
var seededByMigrations = []string{"audit_head", "audit_chain", "notify_cursor", "staff_notice_cursor"}

// notCopied are tables of the source that the target does not hold.
var notCopied = []string{"schema_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}

// copyTable is a table to copy: its columns as the source has them and
// the target's type of each.
type copyTable struct {
	name    string
	cols    []string
	pgTypes []string
	how     string
}

// CopyStore copies the SQLite database at from into the PostgreSQL
// database at to (a postgres:// URL), which is migrated to the current
// schema first and must hold no data. key is the audit key the source's
// chain is keyed with (zero if it is not keyed); the target's chain is
// verified with it after the copy, and every instance on the target needs
// it from then on. progress, if not nil, is called as each table's rows
// are copied (the table, the rows done and its total).
//
// Redress should not be running on the source while it is copied: the
// copy is of one moment, and a source that changed meanwhile is reported
// as an error wrapping ErrCopyMismatch, as is any difference between the
// copy and its source.
func CopyStore(ctx context.Context, from, to string, key store.AuditKey, progress func(table string, done, total int64)) (rep CopyReport, err error) {
	if IsPostgres(from) {
		return rep, fmt.Errorf("the source %s is a PostgreSQL database: copy from a SQLite file", from)
	}
	if !IsPostgres(to) {
		return rep, fmt.Errorf("the target %q is not a postgres:// URL", to)
	}
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	src, err := Open(ctx, from, Options{NoMigrate: true, AuditKey: key})
	if err != nil {
		return rep, fmt.Errorf("source: %w", err)
	}
	defer src.Close()
	chain, err := readChain(ctx, src.r)
	if err != nil {
		return rep, fmt.Errorf("source: %w", err)
	}
	if chain.keyedFrom > 0 && key.IsZero() {
		return rep, fmt.Errorf("the source's audit chain is keyed with audit key %s, which was not given: give it (REDRESS_AUDIT_KEY or REDRESS_AUDIT_KEY_FILE) so that the copy can be verified", chain.keyID)
	}
	// A chain never keyed is copied unkeyed and verified without the key
	// (a key given would report it as a chain whose key was removed);
	// the first start with the key keys it from the next event.
	dstKey := key
	if chain.keyedFrom == 0 {
		dstKey = store.AuditKey{}
	}
	dst, err := Open(ctx, to, Options{AuditKey: dstKey})
	if err != nil {
		return rep, fmt.Errorf("target: %w", err)
	}
	defer dst.Close()

	// One read transaction on the source, so that every table is read as
	// of one moment.
	rtx, err := src.r.BeginTx(ctx, nil)
	if err != nil {
		return rep, err
	}
	defer rtx.Rollback()
	if err := rtx.QueryRowContext(ctx, `SELECT hash, count FROM audit_head WHERE id = 1`).Scan(&rep.Head, &rep.Events); err != nil {
		return rep, fmt.Errorf("source audit head: %w", err)
	}
	tables, err := planCopy(ctx, rtx, dst.w)
	if err != nil {
		return rep, err
	}
	wtx, err := dst.w.BeginTx(ctx, nil)
	if err != nil {
		return rep, err
	}
	defer wtx.Rollback()
	if err := refuseNonEmpty(ctx, wtx); err != nil {
		return rep, err
	}
	if err := setCountTriggers(ctx, wtx, "DISABLE"); err != nil {
		return rep, err
	}
	for _, t := range tables {
		n, err := copyRows(ctx, rtx, wtx, t, progress)
		if err != nil {
			return rep, fmt.Errorf("copy %s: %w", t.name, err)
		}
		// The planner still takes the table for empty: the foreign key
		// checks of the tables copied after it would scan a whole index
		// of it per row (cases by (kind, id), say, rather than by id),
		// and a million cases would take hours. ANALYZE, which may run in
		// a transaction, tells it what is there.
		if _, err := wtx.ExecContext(ctx, `ANALYZE `+quoteIdent(t.name)); err != nil {
			return rep, fmt.Errorf("analyze %s: %w", t.name, err)
		}
		rep.Tables = append(rep.Tables, CopiedTable{Name: t.name, Source: n, How: t.how})
	}
	if err := countFacts(ctx, wtx); err != nil {
		return rep, err
	}
	if err := setCountTriggers(ctx, wtx, "ENABLE"); err != nil {
		return rep, err
	}
	indexed, err := dst.reindexSearch(ctx, wtx, progress)
	if err != nil {
		return rep, fmt.Errorf("index the cases for search: %w", err)
	}
	if err := resetIdentities(ctx, rtx, wtx); err != nil {
		return rep, err
	}
	if err := checkCopy(ctx, rtx, wtx, &rep, indexed); err != nil {
		return rep, err
	}
	if err := rtx.Rollback(); err != nil {
		return rep, err
	}
	if err := wtx.Commit(); err != nil {
		return rep, fmt.Errorf("commit the copy: %w", err)
	}

	// The whole audit, as `redress audit verify` runs it, reads committed
	// rows only.
	if rep.Audit, err = dst.VerifyAudit(ctx); err != nil {
		return rep, fmt.Errorf("verify the target's audit trail: %w", err)
	}
	var problems []string
	if !rep.Audit.OK {
		problems = append(problems, "the target's audit trail does not verify: "+strings.Join(rep.Audit.Problems, "; "))
		if srcAudit, err := src.VerifyAudit(ctx); err == nil && !srcAudit.OK {
			problems = append(problems, "nor does the source's: "+strings.Join(srcAudit.Problems, "; "))
		}
	}
	if rep.Audit.Events != rep.Events {
		problems = append(problems, fmt.Sprintf("the target's audit chain has %d events, the source's %d", rep.Audit.Events, rep.Events))
	}
	var head string
	if err := dst.r.QueryRowContext(ctx, `SELECT hash FROM audit_head WHERE id = 1`).Scan(&head); err != nil {
		return rep, err
	}
	if head != rep.Head {
		problems = append(problems, fmt.Sprintf("the target's audit chain ends at %s, the source's at %s", head, rep.Head))
	}
	var nowHead string
	var nowCount int
	if err := src.r.QueryRowContext(ctx, `SELECT hash, count FROM audit_head WHERE id = 1`).Scan(&nowHead, &nowCount); err != nil {
		return rep, err
	}
	if nowHead != rep.Head {
		problems = append(problems, fmt.Sprintf("the source changed while it was copied (%d events recorded since): stop Redress on it and copy again into a new database", nowCount-rep.Events))
	}
	if len(problems) > 0 {
		return rep, fmt.Errorf("%w: %s", ErrCopyMismatch, strings.Join(problems, "; "))
	}
	return rep, nil
}

// countTriggers are the target's triggers that count the report facts as
// rows are added, each with its table (migrations/postgres/0001_init.sql
// and 0004_figure_days.sql).
var countTriggers = []struct{ table, trigger string }{
	{"stage_facts", "stage_facts_count_insert"}, {"stage_facts", "stage_facts_policy_insert"},
	{"stage_facts", "stage_facts_figures_insert"}, {"contact_facts", "contact_facts_figures_insert"},
	{"category_facts", "category_facts_figures_insert"}, {"remedy_facts", "remedy_facts_figures_insert"},
}

// setCountTriggers turns the counting triggers off or on ("DISABLE",
// "ENABLE") for the copy's transaction; the change is part of it, so a
// copy that fails leaves them on.
func setCountTriggers(ctx context.Context, tx *sql.Tx, how string) error {
	for _, t := range countTriggers {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteIdent(t.table)+` `+how+` TRIGGER `+quoteIdent(t.trigger)); err != nil {
			return fmt.Errorf("%s trigger %s: %w", strings.ToLower(how), t.trigger, err)
		}
	}
	return nil
}

// countFacts fills tsm_days and policy_days from stage_facts in one pass
// each, and figure_days from all the facts (countFigureDays), with the counts the triggers would have kept row by row: a
// 'received' row per day, stage, refusal and tenure, a 'responded' row
// per day, stage, Code timeliness and tenure, and the responses by
// policy timeliness. checkCopy then holds them against the source's.
func countFacts(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tsm_days (day, measure, stage, flag, tenure, n)
		SELECT received, 'received', stage, refused, tenure, count(*) FROM stage_facts GROUP BY received, stage, refused, tenure
		UNION ALL
		SELECT responded, 'responded', stage, within_code, tenure, count(*) FROM stage_facts
		WHERE responded IS NOT NULL GROUP BY responded, stage, within_code, tenure`)
	if err != nil {
		return fmt.Errorf("count tsm_days: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO policy_days (day, stage, within_policy, tenure, n)
		SELECT responded, stage, within_policy, tenure, count(*) FROM stage_facts
		WHERE responded IS NOT NULL GROUP BY responded, stage, within_policy, tenure`); err != nil {
		return fmt.Errorf("count policy_days: %w", err)
	}
	return countFigureDays(ctx, tx)
}

// planCopy lists the source's tables to copy, in an order that copies
// every row after the rows it refers to, each with its columns as the
// source has them, all of which the target must have.
func planCopy(ctx context.Context, src *sql.Tx, dst *sql.DB) ([]copyTable, error) {
	rows, err := src.QueryContext(ctx, `SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("source tables: %w", err)
	}
	var names, virtual []string
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			rows.Close()
			return nil, err
		}
		if strings.HasPrefix(strings.ToUpper(ddl), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, name)
		}
		names = append(names, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	target, err := targetColumns(ctx, dst)
	if err != nil {
		return nil, err
	}
	var plan []copyTable
	var missing []string
	for _, name := range names {
		if skipSQLiteTable(name, virtual) || slices.Contains(countedByTriggers, name) {
			continue
		}
		types, ok := target[name]
		if !ok {
			missing = append(missing, "table "+name)
			continue
		}
		t := copyTable{name: name, how: howCopied}
		if slices.Contains(replacedAfterTrigger, name) {
			t.how = howReplaced
		}
		cols, err := sourceColumns(ctx, src, name)
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			ty, ok := types[c]
			if !ok {
				missing = append(missing, "column "+name+"."+c)
				continue
			}
			t.cols = append(t.cols, c)
			t.pgTypes = append(t.pgTypes, ty)
		}
		plan = append(plan, t)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the target has no %s: its schema is not the source's (is this redress older than the one that wrote the source?)", strings.Join(missing, ", "))
	}
	deps, err := foreignKeys(ctx, dst)
	if err != nil {
		return nil, err
	}
	return orderByForeignKeys(plan, deps), nil
}

// skipSQLiteTable reports whether a source table is SQLite's own: its
// bookkeeping, an FTS5 table or one of an FTS5 table's shadow tables.
func skipSQLiteTable(name string, virtual []string) bool {
	if slices.Contains(notCopied, name) || slices.Contains(virtual, name) {
		return true
	}
	for _, v := range virtual {
		if strings.HasPrefix(name, v+"_") {
			return true
		}
	}
	return false
}

func sourceColumns(ctx context.Context, src *sql.Tx, table string) ([]string, error) {
	cols, err := queryColumn[string](ctx, src, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	return cols, nil
}

// targetColumns returns the target's tables, each with its columns'
// types.
func targetColumns(ctx context.Context, dst *sql.DB) (map[string]map[string]string, error) {
	rows, err := dst.QueryContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`)
	if err != nil {
		return nil, fmt.Errorf("target columns: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var t, c, ty string
		if err := rows.Scan(&t, &c, &ty); err != nil {
			return nil, err
		}
		if out[t] == nil {
			out[t] = map[string]string{}
		}
		out[t][c] = ty
	}
	return out, rows.Err()
}

// foreignKeys returns, for each target table, the tables it refers to.
func foreignKeys(ctx context.Context, dst *sql.DB) (map[string][]string, error) {
	rows, err := dst.QueryContext(ctx, `SELECT t.relname, r.relname FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, fmt.Errorf("target foreign keys: %w", err)
	}
	defer rows.Close()
	deps := map[string][]string{}
	for rows.Next() {
		var t, r string
		if err := rows.Scan(&t, &r); err != nil {
			return nil, err
		}
		if t != r {
			deps[t] = append(deps[t], r)
		}
	}
	return deps, rows.Err()
}

// orderByForeignKeys puts each table after the tables it refers to, and
// the tables replaced after a trigger last, after the tables whose rows
// fire it.
func orderByForeignKeys(plan []copyTable, deps map[string][]string) []copyTable {
	var ordered, last []copyTable
	done := map[string]bool{}
	var visit func(t copyTable)
	byName := map[string]copyTable{}
	for _, t := range plan {
		byName[t.name] = t
	}
	visit = func(t copyTable) {
		if done[t.name] {
			return
		}
		done[t.name] = true
		for _, d := range deps[t.name] {
			if dt, ok := byName[d]; ok {
				visit(dt)
			}
		}
		ordered = append(ordered, t)
	}
	for _, t := range plan {
		if t.how == howReplaced {
			last = append(last, t)
			continue
		}
		visit(t)
	}
	return append(ordered, last...)
}

// refuseNonEmpty refuses a target holding any row but the ones its
// migrations made, naming the tables that have rows.
func refuseNonEmpty(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The tables people recognise first.
	first := []string{"cases", "events", "users", "outbox"}
	slices.SortStableFunc(tables, func(a, b string) int {
		ia, ib := slices.Index(first, a), slices.Index(first, b)
		if ia < 0 {
			ia = len(first)
		}
		if ib < 0 {
			ib = len(first)
		}
		return ia - ib
	})
	var held []string
	for _, t := range tables {
		if t == "schema_migrations" || slices.Contains(seededByMigrations, t) {
			continue
		}
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t)).Scan(&n); err != nil {
			return fmt.Errorf("count the target's %s: %w", t, err)
		}
		if n > 0 {
			held = append(held, fmt.Sprintf("%d rows in %s", n, t))
		}
	}
	if len(held) > 0 {
		return fmt.Errorf("the target database is not empty: it holds %s; copy only into a new, empty database", strings.Join(held, ", "))
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Rows are inserted many to a statement: at most copyBatchRows, fewer
// when PostgreSQL's limit of parameters to a statement would be passed,
// and a statement is sent early once it holds copyBatchBytes of values
// (a table of PDFs is not held in memory 500 at a time).
const (
	copyBatchRows  = 500
	copyMaxParams  = 65535
	copyBatchBytes = 8 << 20
)

// copyRows copies a table's rows, returning how many the source holds.
func copyRows(ctx context.Context, src, dst *sql.Tx, t copyTable, progress func(string, int64, int64)) (int64, error) {
	var total int64
	if err := src.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t.name)).Scan(&total); err != nil {
		return 0, err
	}
	if slices.Contains(seededByMigrations, t.name) || t.how == howReplaced {
		if _, err := dst.ExecContext(ctx, `DELETE FROM `+quoteIdent(t.name)); err != nil {
			return 0, err
		}
	}
	quoted := make([]string, len(t.cols))
	for i, c := range t.cols {
		quoted[i] = quoteIdent(c)
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM `+quoteIdent(t.name))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	perStmt := min(copyBatchRows, copyMaxParams/len(t.cols))
	rowMarks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	insert := `INSERT INTO ` + quoteIdent(t.name) + ` (` + strings.Join(quoted, ", ") + `) VALUES `
	var args []any
	var n, size, done int64
	flush := func() error {
		if n == 0 {
			return nil
		}
		q := insert + strings.TrimSuffix(strings.Repeat(rowMarks+", ", int(n)), ", ")
		if _, err := dst.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		done += n
		progress(t.name, done, total)
		args, n, size = args[:0], 0, 0
		return nil
	}
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		for i, v := range vals {
			cv, err := pgValue(v, t.pgTypes[i])
			if err != nil {
				return 0, fmt.Errorf("column %s: %w", t.cols[i], err)
			}
			switch b := cv.(type) {
			case []byte:
				size += int64(len(b))
			case string:
				size += int64(len(b))
			}
			args = append(args, cv)
		}
		n++
		if n == int64(perStmt) || size >= copyBatchBytes {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if done == 0 {
		progress(t.name, 0, total)
	}
	if done != total {
		return 0, fmt.Errorf("%w: read %d rows of the %d counted", ErrCopyMismatch, done, total)
	}
	return total, nil
}

// pgValue is a value read from SQLite as the target column of type
// pgType takes it: text stays the text it was (a JSON column SQLite holds
// as a blob becomes that text), and a blob the bytes it was.
func pgValue(v any, pgType string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch pgType {
	case "bytea":
		switch v := v.(type) {
		case []byte:
			return v, nil
		case string:
			return []byte(v), nil
		}
	case "text":
		switch v := v.(type) {
		case string:
			return v, nil
		case []byte:
			return string(v), nil
		}
	case "bigint", "integer", "smallint":
		switch v := v.(type) {
		case int64:
			return v, nil
		case bool:
			if v {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case "double precision", "real":
		switch v := v.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(v), nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("holds %T (%v), which is not %s", v, v, pgType)
}

// reindexSearch indexes every case for search with the store's own
// indexer, in batches by id, returning how many it indexed.
func (db *DB) reindexSearch(ctx context.Context, tx *sql.Tx, progress func(string, int64, int64)) (int64, error) {
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&total); err != nil {
		return 0, err
	}
	const batch = 500
	var last, done int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, data FROM cases WHERE id > ? ORDER BY id LIMIT ?`, last, batch)
		if err != nil {
			return 0, err
		}
		var cases []complaint.Case
		for rows.Next() {
			var id int64
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return 0, err
			}
			var c complaint.Case
			if err := json.Unmarshal(data, &c); err != nil {
				rows.Close()
				return 0, fmt.Errorf("case %d: %w", id, err)
			}
			c.ID = id
			cases = append(cases, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		for _, c := range cases {
			if err := db.d.search.index(ctx, tx, true, c); err != nil {
				return 0, fmt.Errorf("case %s: %w", c.Reference, err)
			}
		}
		done += int64(len(cases))
		progress("case_search", done, total)
		if len(cases) < batch {
			return done, nil
		}
		last = cases[len(cases)-1].ID
	}
}

// resetIdentities moves each identity on past the ids copied into its
// table, and past any SQLite's AUTOINCREMENT had given out before (the
// rows since deleted), so that a new row never takes an old one's id.
func resetIdentities(ctx context.Context, src, dst *sql.Tx) error {
	given := map[string]int64{}
	var hasSeq bool
	if err := src.QueryRowContext(ctx, `SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_sequence'`).Scan(&hasSeq); err != nil {
		return err
	}
	if hasSeq {
		rows, err := src.QueryContext(ctx, `SELECT name, seq FROM sqlite_sequence`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			var seq int64
			if err := rows.Scan(&name, &seq); err != nil {
				rows.Close()
				return err
			}
			given[name] = seq
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	rows, err := dst.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return err
	}
	var ids [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, [2]string{t, c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, tc := range ids {
		t, c := tc[0], tc[1]
		q := `SELECT setval(pg_get_serial_sequence(?, ?), greatest(coalesce(max(` + quoteIdent(c) + `), 0), ?) + 1, false) FROM ` + quoteIdent(t)
		if _, err := dst.ExecContext(ctx, q, quoteIdent(t), c, given[t]); err != nil {
			return fmt.Errorf("reset the identity of %s.%s: %w", t, c, err)
		}
	}
	return nil
}

// checkCopy compares the target, before the copy commits, with the
// source: every copied table's rows counted, the tables the triggers
// counted row for row, and the search index case for case. A difference
// is an error wrapping ErrCopyMismatch, and the copy is rolled back.
func checkCopy(ctx context.Context, src, dst *sql.Tx, rep *CopyReport, indexed int64) error {
	var problems []string
	for i, t := range rep.Tables {
		if err := dst.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t.Name)).Scan(&rep.Tables[i].Target); err != nil {
			return err
		}
		if rep.Tables[i].Target != t.Source {
			problems = append(problems, fmt.Sprintf("%s has %d rows in the target, %d in the source", t.Name, rep.Tables[i].Target, t.Source))
		}
	}
	// Each table rebuilt from stage_facts by the target's triggers holds
	// exactly the source's non-zero counts.
	for _, t := range countedByTriggers {
		q, err := selectAll(ctx, src, t, ` WHERE n <> 0`)
		if err != nil {
			return err
		}
		want, err := rowSet(ctx, src, q)
		if err != nil {
			return fmt.Errorf("source %s: %w", t, err)
		}
		got, err := rowSet(ctx, dst, q)
		if err != nil {
			return fmt.Errorf("target %s: %w", t, err)
		}
		if !slices.Equal(want, got) {
			problems = append(problems, fmt.Sprintf("%s counted by the target's triggers differs from the source's (%d rows, the source %d): the source's counts do not match its stage_facts", t, len(got), len(want)))
		}
		rep.Tables = append(rep.Tables, CopiedTable{Name: t, Source: int64(len(want)), Target: int64(len(got)), How: howCounted})
	}
	for _, t := range replacedAfterTrigger {
		q, err := selectAll(ctx, src, t, "")
		if err != nil {
			return err
		}
		want, err := rowSet(ctx, src, q)
		if err != nil {
			return fmt.Errorf("source %s: %w", t, err)
		}
		got, err := rowSet(ctx, dst, q)
		if err != nil {
			return fmt.Errorf("target %s: %w", t, err)
		}
		if !slices.Equal(want, got) {
			problems = append(problems, fmt.Sprintf("%s differs from the source's", t))
		}
	}
	var cases, searchRows int64
	if err := dst.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_search)`).Scan(&cases, &searchRows); err != nil {
		return err
	}
	if searchRows != cases || indexed != cases {
		problems = append(problems, fmt.Sprintf("case_search indexes %d of %d cases", searchRows, cases))
	}
	rep.Tables = append(rep.Tables, CopiedTable{Name: "case_search", Source: cases, Target: searchRows, How: howIndexed})
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrCopyMismatch, strings.Join(problems, "; "))
	}
	return nil
}

// selectAll is a query of every column of the source's table, named, so
// that it reads the columns in one order from both databases.
func selectAll(ctx context.Context, src *sql.Tx, table, where string) (string, error) {
	cols, err := sourceColumns(ctx, src, table)
	if err != nil {
		return "", err
	}
	for i, c := range cols {
		cols[i] = quoteIdent(c)
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + quoteIdent(table) + where, nil
}

// rowSet reads every row of a query as text, sorted, to compare two
// databases' rows whatever order each returns them in. Both drivers read
// integers as int64, text as string and NULL as nil.
func rowSet(ctx context.Context, tx *sql.Tx, query string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('|')
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%q", fmt.Sprint(v))
		}
		out = append(out, b.String())
	}
	slices.Sort(out)
	return out, rows.Err()
}
