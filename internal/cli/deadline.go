package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
)

// deadlineResult is what `redress deadline --json` prints.
type deadlineResult struct {
	Policy            string            `json:"policy"`
	Division          calendar.Division `json:"division"`
	Stage             int               `json:"stage"`
	Received          string            `json:"received"`
	Acknowledged      string            `json:"acknowledged,omitempty"`
	Responded         string            `json:"responded,omitempty"`
	AcknowledgeBy     string            `json:"acknowledge_by"`
	AcknowledgeRule   string            `json:"acknowledge_rule"`
	RespondBy         string            `json:"respond_by"`
	RespondRule       string            `json:"respond_rule"`
	RespondByOriginal string            `json:"respond_by_original,omitempty"`
	ExtensionDays     int               `json:"extension_days"`
	ExtensionCap      int               `json:"extension_cap_working_days"`
	ExtensionOverCap  bool              `json:"extension_over_cap"`
	EscalateBy        *string           `json:"escalate_by,omitempty"`
	AcknowledgedOK    *bool             `json:"acknowledged_on_time,omitempty"`
	RespondedOK       *bool             `json:"responded_on_time,omitempty"`
}

func deadlineCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("deadline", flag.ContinueOnError)
	var (
		policyName = fs.String("policy", policy.Default, "preset name or policy file")
		stage      = fs.Int("stage", 1, "stage 1 or 2")
		received   = fs.String("received", "", "date received (stage 2: date the escalation request was received)")
		acked      = fs.String("acknowledged", "", "date acknowledged")
		responded  = fs.String("responded", "", "date responded")
		extension  = fs.Int("extension-days", 0, "working days of extension")
		division   = fs.String("division", "", "override the policy's bank-holiday division")
		holFile    = fs.String("holidays", "", "bank-holidays file in the gov.uk JSON format")
		asJSON     = fs.Bool("json", false, "print JSON")
	)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("deadline takes no arguments, only flags; got %q", pos[0])
	}
	if *stage != 1 && *stage != 2 {
		return usagef("--stage: %d is not a stage; want 1 or 2", *stage)
	}
	if *received == "" {
		return usagef("--received is required (YYYY-MM-DD)")
	}
	if *extension < 0 {
		return usagef("--extension-days: %d is negative", *extension)
	}
	recv, err := dateFlag("received", *received)
	if err != nil {
		return err
	}
	ack, err := dateFlag("acknowledged", *acked)
	if err != nil {
		return err
	}
	resp, err := dateFlag("responded", *responded)
	if err != nil {
		return err
	}
	if !ack.IsZero() && ack.Before(recv) {
		return usagef("--acknowledged: %s is before --received %s", ack, recv)
	}
	if !resp.IsZero() && resp.Before(recv) {
		return usagef("--responded: %s is before --received %s", resp, recv)
	}
	if !resp.IsZero() && !ack.IsZero() && resp.Before(ack) {
		return usagef("--responded: %s is before --acknowledged %s", resp, ack)
	}

	p, err := policy.Open(*policyName)
	if err != nil {
		return usagef("--policy: %v", err)
	}
	if *division != "" {
		d, err := calendar.ParseDivision(*division)
		if err != nil {
			return usagef("--division: %v", err)
		}
		p.Division = d
	}
	h, err := holidays(*holFile)
	if err != nil {
		return err
	}
	cal, err := p.Calendar(h)
	if err != nil {
		return usagef("policy %s: %v", p.Name, err)
	}
	at := func(d calendar.Date) time.Time {
		if d.IsZero() {
			return time.Time{}
		}
		return d.Start()
	}
	dl, err := p.Deadlines(cal, *stage, policy.Timeline{
		Received: at(recv), Acknowledged: at(ack), Responded: at(resp), ExtensionDays: *extension,
	})
	if err != nil {
		return usageError{err}
	}
	st, _ := p.StageOf(*stage)
	res := deadlineResult{
		Policy: p.Name, Division: p.Division, Stage: *stage,
		Received: recv.String(), Acknowledged: ack.String(), Responded: resp.String(),
		AcknowledgeBy: dl.AcknowledgeBy.Date.String(), AcknowledgeRule: st.Acknowledge.String(),
		RespondBy: dl.RespondBy.Date.String(), RespondRule: st.Respond.String(),
		ExtensionDays: *extension, ExtensionCap: st.Extension.CapWorkingDays, ExtensionOverCap: dl.OverCap,
	}
	if *extension > 0 {
		res.RespondByOriginal = dl.RespondByOriginal.Date.String()
	}
	if !ack.IsZero() {
		ok := dl.AcknowledgeBy.Met(at(ack))
		res.AcknowledgedOK = &ok
	}
	if !resp.IsZero() {
		ok := dl.RespondBy.Met(at(resp))
		res.RespondedOK = &ok
		esc := dl.EscalateBy.Date.String()
		res.EscalateBy = &esc
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "Policy %s (%s), stage %d, received %s\n", res.Policy, res.Division, res.Stage, res.Received)
	fmt.Fprintf(stdout, "  acknowledge by %s  (%s)%s\n", res.AcknowledgeBy, res.AcknowledgeRule, onTime(res.AcknowledgedOK))
	fmt.Fprintf(stdout, "  respond by     %s  (%s", res.RespondBy, res.RespondRule)
	if *extension > 0 {
		fmt.Fprintf(stdout, ", extended %d working days from %s", *extension, res.RespondByOriginal)
		if dl.OverCap {
			fmt.Fprintf(stdout, "; over the %d-day cap, so the resident must agree", res.ExtensionCap)
		}
	}
	fmt.Fprintf(stdout, ")%s\n", onTime(res.RespondedOK))
	if res.EscalateBy != nil {
		if *res.EscalateBy == "" {
			fmt.Fprintln(stdout, "  escalate by    (no time limit)")
		} else {
			fmt.Fprintf(stdout, "  escalate by    %s  (%s)\n", *res.EscalateBy, p.Escalation.Window)
		}
	}
	return nil
}

func onTime(ok *bool) string {
	switch {
	case ok == nil:
		return ""
	case *ok:
		return ": met"
	}
	return ": MISSED"
}
