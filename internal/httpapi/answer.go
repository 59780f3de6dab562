package httpapi

import (
	"net/http"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// decodeResponseMethod reads the response-method command: how the
// resident wants to be answered (003). The way it replaces is recorded by
// the rules, never given.
func decodeResponseMethod(r *http.Request) (complaint.Command, *time.Time, error) {
	m, at, err := decodeCommand[complaint.AgreeResponseMethod](r, false)
	if err == nil && m.Was != "" {
		err = complaint.InvalidField("was", "is recorded by Redress from the way the case had before; give only method and reason")
	}
	return m, at, err
}
