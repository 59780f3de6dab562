package httpapi

import (
	"net/http"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// decodeWithinStage reads the commands for what happens within a stage:
// the review of its findings before the response (002 §2.3), the reason
// the response goes without it, mediation (003), and new issues logged as
// an additional complaint (Code 6.8, 002 §2.3). They are served at the
// generic command route like every other command; an additional
// complaint answers with the new complaint, as converting a service
// request does.
func decodeWithinStage(r *http.Request, name string) (complaint.Command, *time.Time, error) {
	switch name {
	case "sign-off":
		return decodeAs[complaint.RecordSignOff](r, false)
	case "sign-off-waiver":
		return decodeAs[complaint.WaiveSignOff](r, false)
	case "additional-complaint":
		// The new complaint's reference is filled in by Redress; the
		// domain refuses one given (complaint.AdditionalComplaintFrom).
		return decodeAs[complaint.LogAdditionalComplaint](r, false)
	}
	return decodeAs[complaint.RecordMediation](r, false)
}
