package sqldb

import (
	"encoding/json"
	"fmt"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// complimentQuery counts the compliments received in the period that
// were passed on, by whom they praised (report.ComplimentFigures). It
// reads the period's compliments from contact_facts_month, as the volumes
// do, and each one's compliment_passed_on event through the events'
// (case_id, seq) key: compliments are few beside the contacts the index
// range holds, so no table of their own is kept. It runs for the figures
// narrowed or not, in the same snapshot as the rest.
func complimentQuery(f report.Filter, areas []string, t *report.ComplimentTally) figureQuery {
	from, to := f.From.String(), f.To.String()
	cond, cargs := narrow(f, areas, "x")
	return figureQuery{
		name: "compliments",
		sql: `SELECT e.data FROM contact_facts x JOIN events e ON e.case_id = x.case_id
			WHERE substr(x.received, 1, 7) BETWEEN ? AND ? AND x.kind = 'compliment' AND x.received BETWEEN ? AND ?` + cond + `
			AND e.kind = 'compliment_passed_on'`,
		args: append([]any{from[:7], to[:7], from, to}, cargs...),
		row: func(scan func(...any) error) error {
			var data string
			if err := scan(&data); err != nil {
				return err
			}
			var p complaint.PassOnCompliment
			if err := json.Unmarshal([]byte(data), &p); err != nil {
				return fmt.Errorf("a compliment_passed_on event does not decode: %w", err)
			}
			t.Add(p.Praised)
			return nil
		},
	}
}
