package complaint

import (
	"strings"
	"testing"
)

// importCmd is a complaint from an earlier log, received on Monday 1 June
// 2026 and acknowledged on the sixth working day after, a day late.
func importCmd() ImportCase {
	return ImportCase{
		OriginalRef: "OLD-1", FileSHA256: strings.Repeat("ab", 32), Line: 2, RowSHA256: strings.Repeat("cd", 32),
		Received: date("2026-06-01"), Acknowledged: date("2026-06-09"), Responded: date("2026-06-22"),
		Outcome: "partly_upheld", CompensationPence: 15000, Tenure: "low_cost_rental", Channel: "phone", ServiceArea: "Repairs",
		Categories: []string{"Damp"},
	}
}

// TestImportedCaseCountsAgainstTheCodeAsAnyCase: the figures of an
// imported case are derived as for a case handled in Redress. A late
// acknowledgement buys no time under the Code (6.2 with 6.3), so the
// response was due ten working days after the acknowledgement was due
// (8 June), on 22 June: a response that day is within the Code, a day
// later is not.
func TestImportedCaseCountsAgainstTheCodeAsAnyCase(t *testing.T) {
	f := newFixture(t, "code-2024")
	for _, tc := range []struct {
		responded string
		within    bool
		days      int
	}{{"2026-06-22", true, 15}, {"2026-06-23", false, 16}} {
		cmd := importCmd()
		cmd.Responded = date(tc.responded)
		c, ev, err := NewImportedCase(cmd, f.env)
		if err != nil {
			t.Fatal(err)
		}
		facts := c.Facts()
		if len(facts) != 1 || facts[0].WithinCode != tc.within || facts[0].AcknowledgeWorkingDays != 6 || facts[0].RespondWorkingDays != tc.days ||
			facts[0].PartlyUpheld != 1 || facts[0].Tenure != "low_cost_rental" || facts[0].Channel != "phone" || facts[0].Responded != date(tc.responded) {
			t.Errorf("responded %s: facts %+v", tc.responded, facts)
		}
		if c.Status != StatusClosed || c.Imported == nil || c.Imported.OriginalRef != "OLD-1" || len(c.Remedies) != 1 || c.Remedies[0].Outstanding() {
			t.Errorf("responded %s: case %s, imported %+v, remedies %+v", tc.responded, c.Status, c.Imported, c.Remedies)
		}
		if ev.Kind != EventImported || !ev.At.Equal(date("2026-06-01").Start()) || !ev.RecordedAt.Equal(testNow) || ev.Data.(ImportCase).FileSHA256 != cmd.FileSHA256 {
			t.Errorf("responded %s: event %+v", tc.responded, ev)
		}
		if refs := c.References(); len(refs) != 2 || refs[1] != "OLD-1" {
			t.Errorf("references %v, want the log's reference beside the case's own", refs)
		}
	}
}

// TestImportedEscalationIsStageTwoFromTheDayItWasAsked: stage 2 is
// received on the day the escalation was asked for, and the outcome and
// compensation are the final response's.
func TestImportedEscalationIsStageTwoFromTheDayItWasAsked(t *testing.T) {
	f := newFixture(t, "code-2024")
	cmd := importCmd()
	cmd.Escalated, cmd.Stage2Acknowledged, cmd.Stage2Responded = date("2026-07-01"), date("2026-07-03"), date("2026-07-20")
	c, _, err := NewImportedCase(cmd, f.env)
	if err != nil {
		t.Fatal(err)
	}
	facts := c.Facts()
	if c.Stage != 2 || len(facts) != 2 || facts[1].Received != date("2026-07-01") || !facts[1].WithinCode || facts[1].PartlyUpheld != 1 ||
		facts[0].PartlyUpheld != 0 || c.Remedies[0].Stage != 2 {
		t.Errorf("stage %d, facts %+v, remedies %+v", c.Stage, facts, c.Remedies)
	}
}

// TestImportedCaseRefusesDatesOutOfOrder names the field of each date
// that cannot be.
func TestImportedCaseRefusesDatesOutOfOrder(t *testing.T) {
	f := newFixture(t, "code-2024")
	for _, tc := range []struct {
		name  string
		edit  func(*ImportCase)
		field string
	}{
		{"acknowledged before received", func(c *ImportCase) { c.Acknowledged = date("2026-05-31") }, "acknowledged"},
		{"responded before acknowledged", func(c *ImportCase) { c.Responded = date("2026-06-08") }, "responded"},
		{"received in the future", func(c *ImportCase) {
			c.Received, c.Acknowledged, c.Responded, c.Outcome, c.CompensationPence = date("2027-03-02"), date(""), date(""), "", 0
		}, "received"},
		{"stage 2 without escalation", func(c *ImportCase) { c.Stage2Responded = date("2026-07-20") }, "stage2_responded"},
		{"escalated before the response", func(c *ImportCase) { c.Escalated, c.Stage2Responded = date("2026-06-10"), date("2026-07-20") }, "escalated"},
		{"an outcome with no response", func(c *ImportCase) { c.Responded = date("") }, "outcome"},
		{"no reference", func(c *ImportCase) { c.OriginalRef = " " }, "original_ref"},
		{"no such channel", func(c *ImportCase) { c.Channel = "pigeon" }, "channel"},
	} {
		cmd := importCmd()
		tc.edit(&cmd)
		if tc.field == "outcome" {
			cmd.CompensationPence = 0
		}
		_, _, err := NewImportedCase(cmd, f.env)
		t.Run(tc.name, func(t *testing.T) { wantError(t, err, Invalid, tc.field) })
	}
}
