package webui

import (
	"errors"
	"net/http"

	"github.com/redresshq/redress/internal/complaint"
)

// readForm parses a POST's form before its handler runs, so that a body
// no page would send (a bad %-escape, a Content-Type that cannot be
// read) is the sender's mistake, a 400 saying what is wrong, and never a
// 500 from deep in a handler. Multipart bodies are left to the handlers
// that take files, which set their own limits and messages; a body over
// the limit stays a *http.MaxBytesError, which is a 413.
func readForm(r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return complaint.Errorf(complaint.Invalid, "The form could not be read (%v): nothing was saved; send it again from its page", err)
	}
	return nil
}
