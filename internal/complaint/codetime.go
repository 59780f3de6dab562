package complaint

import (
	"strings"

	"github.com/redresshq/redress/internal/policy"
)

// codeExtensionDays is how many working days the stage's extensions add
// to the Code's own response deadline, the one CH02 measures.
//
// An extension given after the Code's deadline had passed adds nothing:
// the response was already outside the Code's timescale (Code 6.4 and
// 6.15 let a landlord decide that more time is needed, which it can only
// do before the time is up). Extensions add up to the Code's cap (10
// working days at stage 1, 20 at stage 2); beyond it, only an extension
// with a recorded good reason adds its days (Code 6.4, 6.15: "no more
// than 10 (20) working days without good reason").
func codeExtensionDays(st *Stage) int {
	limit := codeCap(st.Stage)
	n := 0
	for _, e := range st.Extensions {
		switch {
		case e.Late:
		case e.GoodReason != "" || n+e.WorkingDays <= limit:
			n += e.WorkingDays
		default:
			n = max(n, limit)
		}
	}
	return n
}

// codeCap is the Code's cap on a stage's extensions without good reason,
// in working days (Code 6.4 at stage 1, 6.15 at stage 2).
func codeCap(stage int) int {
	cs, err := policy.Code().StageOf(stage)
	if err != nil {
		return 0
	}
	return cs.Extension.CapWorkingDays
}

// checkGoodReason checks an extension's good reason, and requires one when
// the stage's extensions would total more than the Code's cap (Code 6.4 at
// stage 1, 6.15 at stage 2). An event recorded before the good reason
// existed replays without one.
func checkGoodReason(fe fieldErrors, st *Stage, cmd Extend, total int) error {
	checkText(fe, "good_reason", cmd.GoodReason, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	if limit := codeCap(st.Stage); total > limit && !fe.replay && strings.TrimSpace(cmd.GoodReason) == "" {
		fe.add("good_reason", "is required: extensions would total %d working days, over the Code's %d at stage %d, which it allows only with good reason (Code %s)", total, limit, st.Stage, map[int]string{1: "6.4", 2: "6.15"}[st.Stage])
		return fe.err()
	}
	return nil
}
