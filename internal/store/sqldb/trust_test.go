package sqldb

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/report"
)

// Migration 0020 fills within_policy for the facts stored before it by
// the rule indexFacts uses for new ones, report.WithinPolicy: responded on
// or before the stage's own deadline. This runs the migration's UPDATE
// over rows that hold every case of the rule and compares.
func TestMigration0020FillsWithinPolicyAsIndexFactsDoes(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	ctx := context.Background()
	b, err := migrationFiles.ReadFile("migrations/sqlite/0020_trust.sql")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "UPDATE stage_facts SET within_policy")
	if start < 0 {
		t.Fatal("migration 0020 does not fill within_policy")
	}
	update := text[start : start+strings.Index(text[start:], ";\n")]

	cases := []struct {
		name                 string
		respondBy, responded [2]string // stage 1, stage 2; "" for none
	}{
		{"before and on the deadline", [2]string{"2026-05-05", "2026-06-10"}, [2]string{"2026-05-01", "2026-06-10"}},
		{"a day late at stage 1 only", [2]string{"2026-05-05", "2026-06-10"}, [2]string{"2026-05-06", "2026-06-09"}},
		{"not responded to at stage 2", [2]string{"2026-05-05", "2026-06-10"}, [2]string{"2026-05-05", ""}},
		{"no deadline recorded", [2]string{"", ""}, [2]string{"2026-05-05", ""}},
	}
	for i, c := range cases {
		id := i + 1
		var stages []string
		for s := 0; s < 2; s++ {
			stages = append(stages, fmt.Sprintf(`{"stage": %d, "respond_by": %q}`, s+1, c.respondBy[s]))
		}
		if _, err := db.w.ExecContext(ctx, `INSERT INTO cases (id, reference, kind, stage, status, handler, service_area, received_at, confidential,
			created_by, version, data) VALUES (?, ?, 'complaint', 2, 'responded', '', '', '2026-04-20T10:00:00Z', 0, '', 1, ?)`,
			id, fmt.Sprintf("C-2026-%06d", id), `{"stages": [`+strings.Join(stages, ", ")+`]}`); err != nil {
			t.Fatal(err)
		}
		for s := 0; s < 2; s++ {
			var responded any
			if c.responded[s] != "" {
				responded = c.responded[s]
			}
			if _, err := db.w.ExecContext(ctx, `INSERT INTO stage_facts (case_id, stage, tenure, channel, service_area, received, responded,
				refused, withdrawn, exclusion, within_code, extension_days, over_code_cap, upheld, partly, not_upheld, learning, within_policy)
				VALUES (?, ?, 'low_cost_rental', 'phone', '', '2026-04-20', ?, 0, 0, '', 0, 0, 0, 0, 0, 0, '', 0)`, id, s+1, responded); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.w.ExecContext(ctx, update); err != nil {
		t.Fatalf("the migration's update: %v\n%s", err, update)
	}
	date := func(s string) calendar.Date {
		if s == "" {
			return calendar.Date{}
		}
		return calendar.MustParseDate(s)
	}
	for i, c := range cases {
		for s := 0; s < 2; s++ {
			var got bool
			if err := db.r.QueryRowContext(ctx, `SELECT within_policy FROM stage_facts WHERE case_id = ? AND stage = ?`, i+1, s+1).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := report.WithinPolicy(date(c.responded[s]), date(c.respondBy[s])); got != want {
				t.Errorf("%s, stage %d: within_policy = %v, want %v", c.name, s+1, got, want)
			}
		}
	}
}
