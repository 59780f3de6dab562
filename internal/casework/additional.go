package casework

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// additionalComplaint logs new issues raised during the investigation of
// the complaint orig as a new stage 1 complaint, in one step for the
// officer (Code 6.8; 002 §2.3: where the response has been issued or
// adding them would cause an unreasonable delay, "the additional
// complaint(s) should be logged as a new one"). The new complaint has the
// same complainant and details, is received when the issues were raised
// (at, zero: now), and is linked to orig; orig records the additional
// complaint, which links it back. It returns the new complaint.
//
// Like complaintBeside, it is openLinked's three transactions.
func (s *Service) additionalComplaint(ctx context.Context, u store.User, orig complaint.Case, ifVersion int, at time.Time, cmd complaint.LogAdditionalComplaint) (complaint.Case, error) {
	return s.openLinked(ctx, u, orig, ifVersion, at, func(when time.Time) (complaint.Create, error) {
		return complaint.AdditionalComplaintFrom(orig, cmd, when, s.env(u, when, nil))
	}, func(opened complaint.Case) complaint.Command {
		cmd.Reference = opened.Reference
		return cmd
	})
}
