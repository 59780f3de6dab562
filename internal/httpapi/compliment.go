package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
)

// praiseUsers checks a compliment being passed on against the users: the
// manager and every colleague praised must be users (users have no
// manager field, so the manager is chosen from the users and recorded on
// the compliment). A colleague given without a name takes the user's. All
// the names that are not users are reported at once.
func (s *Server) praiseUsers(r *http.Request, cmd complaint.PassOnCompliment) (complaint.PassOnCompliment, error) {
	fields := map[string]string{}
	known := func(field, email string) (string, bool) {
		email = strings.TrimSpace(email)
		if email == "" || !complaint.ValidEmail(email) {
			return "", true // the domain names a missing or malformed address
		}
		u, err := s.Store.UserByEmail(r.Context(), email)
		if complaint.ErrorCode(err) == complaint.NotFound {
			fields[field] = fmt.Sprintf("there is no user %q: choose one of the users", email)
			return "", false
		}
		if err != nil {
			fields[field] = err.Error()
			return "", false
		}
		return u.Name, true
	}
	known("manager", cmd.Manager)
	praised := make([]complaint.Praised, len(cmd.Praised))
	copy(praised, cmd.Praised)
	for i, p := range praised {
		if strings.TrimSpace(p.Kind) != complaint.PraisedColleague {
			continue
		}
		if name, ok := known(fmt.Sprintf("praised[%d].email", i), p.Email); ok && strings.TrimSpace(p.Name) == "" {
			praised[i].Name = name
		}
	}
	cmd.Praised = praised
	if len(fields) > 0 {
		return cmd, &complaint.Error{Code: complaint.Invalid, Message: "the request has invalid fields", Fields: fields}
	}
	return cmd, nil
}
