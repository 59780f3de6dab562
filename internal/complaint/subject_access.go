package complaint

import "strings"

// RecordSubjectAccessExport records that a subject access export (UK
// GDPR Art. 15) holding this case was made and handed over: who made it
// is the event's actor, and SHA256 is the hash of the ZIP as disclosed,
// so that the audit trail shows every disclosure of the case and the
// exact copy that left. It changes nothing on the case, and may be
// recorded whatever the case's status: a closed case is disclosed as
// much as an open one.
type RecordSubjectAccessExport struct {
	// SHA256 is the hex SHA-256 of the export's ZIP.
	SHA256 string `json:"sha256"`
	// Cases is how many cases the export held, this one among them.
	Cases int `json:"cases"`
	// Roles are the parts the person the export was for plays in this
	// case (complainant, representative, group member, elected member),
	// so that the record says why the case was disclosed to them without
	// repeating who they are.
	Roles []string `json:"roles"`
}

func (RecordSubjectAccessExport) event() EventKind { return EventSubjectAccessExported }

func (cmd RecordSubjectAccessExport) decide(d *decision) error {
	fe := d.fe
	if len(cmd.SHA256) != 64 || strings.Trim(cmd.SHA256, "0123456789abcdef") != "" {
		fe.add("sha256", "must be the export's SHA-256 in 64 lower-case hex digits")
	}
	if cmd.Cases < 1 {
		fe.add("cases", "must be at least 1: the export holds this case")
	}
	if len(cmd.Roles) == 0 {
		fe.add("roles", "must name at least one part the person plays in the case")
	}
	if len(cmd.Roles) > maxList {
		fe.add("roles", "at most %d", maxList)
	}
	for _, r := range cmd.Roles {
		checkLine(fe, "roles", r, maxShort, true)
	}
	return fe.err()
}
