package webui

import (
	"net/http"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// The health-and-safety flag on the case page and the dashboard (issue
// 12, rule 10; 003): anyone who may act sets or clears the flag at any
// time; a senior manager (a manager or admin) acknowledges it; until one
// has, the contact is on every staff dashboard's list.

// The forms of the case page's health-and-safety section, as posted to
// /cases/{ref}/{command}; each is also the id of its section, which the
// error summary links to.
const (
	formSafetyFlag        = "safety-flag"
	formSafetyAcknowledge = "safety-acknowledge"
)

// safetyView is what the case page's health-and-safety section shows
// the signed-in person: whether they may acknowledge the flag, and
// whether they may clear it (an officer may not clear a flag no senior
// manager has seen, and is told so rather than offered a form the rules
// refuse).
type safetyView struct {
	CanAcknowledge bool
	CanFlag        bool
	CanClear       bool
}

func newSafetyView(u store.User, c complaint.Case) safetyView {
	act := auth.Role(u.Role).CanAct()
	senior := complaint.SeniorManager(u.Role)
	return safetyView{
		CanAcknowledge: senior && c.SafetyWaiting(),
		CanFlag:        act && !c.HealthAndSafety,
		CanClear:       act && c.HealthAndSafety && (senior || !c.SafetyWaiting()),
	}
}

// safetyCommand reads the health-and-safety forms.
func safetyCommand(r *http.Request, name string) complaint.Command {
	f := r.PostForm
	if name == formSafetyAcknowledge {
		return complaint.AcknowledgeHealthAndSafety{Note: f.Get("note")}
	}
	return complaint.FlagHealthAndSafety{Flagged: f.Get("flagged") == "yes", Reason: f.Get("reason")}
}

// safetyDetail describes a health-and-safety event for the timeline.
func safetyDetail(kind complaint.EventKind, m map[string]any) []string {
	var out []string
	switch kind {
	case complaint.EventSafetyFlagSet:
		if m["flagged"] == true {
			out = append(out, "Flagged as a health and safety risk")
		} else {
			out = append(out, "Health and safety flag cleared")
		}
		if s, _ := m["reason"].(string); s != "" {
			out = append(out, "Reason: "+s)
		}
	case complaint.EventSafetyAcknowledged:
		out = append(out, "Acknowledged by a senior manager")
		if s, _ := m["note"].(string); s != "" {
			out = append(out, "Note: "+s)
		}
	}
	return out
}
