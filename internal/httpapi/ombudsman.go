package httpapi

import (
	"net/http"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// decodeOmbudsman decodes the commands of the Housing Ombudsman stage
// (issue 19, item 4; 002 §2.6), served like every other command at
// POST /api/v1/cases/{ref}/{command}, each under its own name.
func decodeOmbudsman(r *http.Request, name string) (complaint.Command, *time.Time, error) {
	switch name {
	case "ombudsman-referral":
		return decodeAs[complaint.ReferToOmbudsman](r, false)
	case "ombudsman-evidence-request":
		return decodeAs[complaint.RequestOmbudsmanEvidence](r, false)
	case "ombudsman-approval":
		return decodeAs[complaint.ApproveOmbudsmanResponse](r, false)
	case "ombudsman-evidence-sent":
		cmd, at, err := decodeAs[complaint.SendOmbudsmanEvidence](r, false)
		// The pack is Redress's own record of a copy it built and kept
		// with the case's files (the staff pages' way); over the API the
		// client sent a file of its own and gives its hash.
		if send, ok := cmd.(complaint.SendOmbudsmanEvidence); ok && err == nil && send.Pack != nil {
			return nil, nil, complaint.InvalidField("pack", "is recorded by Redress when it keeps the pack it built; give the sha256 of the file you sent")
		}
		return cmd, at, err
	case "ombudsman-determination":
		return decodeAs[complaint.RecordOmbudsmanDetermination](r, false)
	}
	return decodeAs[complaint.RecordOmbudsmanCompliance](r, false)
}
