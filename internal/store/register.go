package store

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/tenancy"
)

// RegisterStore keeps the register of homes and tenancies (issue 20),
// imported from the landlord's housing management system. Store embeds
// it.
type RegisterStore interface {
	// ImportRegister applies a checked homes file in one transaction:
	// each home and tenancy is added, changed or left as it is, keyed by
	// its reference, so importing the same file again changes nothing.
	// With imp.DryRun the transaction is rolled back, so the report is
	// exactly what the import would do. progress, if not nil, is called
	// with the tenancies done so far as the import goes.
	ImportRegister(ctx context.Context, f *tenancy.File, imp RegisterImport, progress func(done, total int)) (RegisterReport, error)
	// GetTenancy returns the tenancy with reference ref and its home, or
	// a not_found error.
	GetTenancy(ctx context.Context, ref string) (tenancy.Tenancy, tenancy.Home, error)
	// HomesByTenureOn counts the homes with a tenancy running on d, by
	// the tenure of that tenancy.
	HomesByTenureOn(ctx context.Context, d calendar.Date) (map[tenancy.Tenure]int, error)
	// TenancyCandidates returns the tenancies a contact from p might be
	// from, found by the indexes alone: its tenancy reference, email,
	// phone and postcode, a few queries each bounded, so a common
	// postcode costs no more than a rare one. They are candidates, not
	// matches: tenancy.Rank says which match p and by what.
	TenancyCandidates(ctx context.Context, p complaint.Person) ([]tenancy.Candidate, error)
	// SearchRegister finds tenancies for an officer logging a contact:
	// q is a tenancy reference, postcode, email or part of a name. At
	// most limit are returned, references in order.
	SearchRegister(ctx context.Context, q string, limit int) ([]tenancy.Candidate, error)
}

// RegisterImport says who imports which file, and whether for real.
type RegisterImport struct {
	FileSHA256 string
	By         string
	At         time.Time
	DryRun     bool
}

// RegisterReport is what an import of homes did, or would do.
type RegisterReport struct {
	Rows               int              `json:"rows"`
	HomesAdded         int              `json:"homes_added"`
	HomesChanged       int              `json:"homes_changed"`
	HomesUnchanged     int              `json:"homes_unchanged"`
	TenanciesAdded     int              `json:"tenancies_added"`
	TenanciesChanged   int              `json:"tenancies_changed"`
	TenanciesUnchanged int              `json:"tenancies_unchanged"`
	Changes            []RegisterChange `json:"changes"`
	DryRun             bool             `json:"dry_run"`
}

// RegisterChange is one home or tenancy an import adds or changes, with
// the line of the file it was first read on.
type RegisterChange struct {
	Line   int      `json:"line"`
	Kind   string   `json:"kind"`   // home or tenancy
	Ref    string   `json:"ref"`    // its reference
	Action string   `json:"action"` // add or change
	Fields []string `json:"fields,omitempty"`
}
