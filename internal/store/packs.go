package store

import (
	"context"

	"github.com/redresshq/redress/internal/report"
)

// PackStore keeps what a board pack carries besides its figures (issue
// 22, item 5): the executive summary a manager writes for a period, kept
// with the figures it was written against; every sign-off, who and when
// and the hash of the figures signed; and the year's Member Responsible
// for Complaints (Code 9.5). Store embeds it; the pack pages are its
// consumers.
type PackStore interface {
	// PackRecord returns the period's executive summary (empty if none
	// was written) and its latest sign-off (nil if none).
	PackRecord(ctx context.Context, p report.Period) (report.PackRecord, error)
	// SavePackSummary records a period's executive summary with the
	// figures it was written against, replacing any earlier one. An
	// invalid one is an invalid error naming its fields.
	SavePackSummary(ctx context.Context, s report.PackSummary) error
	// SignOffPack records a sign-off. Every sign-off is kept; the latest
	// counts. The caller decides whether the pack may be signed off.
	SignOffPack(ctx context.Context, so report.PackSignOff) error
	// ComplaintsMember returns the year's Member Responsible for
	// Complaints; an empty Name when none is named.
	ComplaintsMember(ctx context.Context, year report.Year) (report.ComplaintsMember, error)
	// SetComplaintsMember names the year's Member Responsible for
	// Complaints, replacing any earlier name; an empty name says none is
	// named. An invalid one is an invalid error naming its fields.
	SetComplaintsMember(ctx context.Context, m report.ComplaintsMember) error
}
