package view

import (
	"errors"
	"net/http"

	"github.com/redresshq/redress/internal/complaint"
)

// ReadForm parses a POST's form before its handler runs, so that a body
// no page would send (a bad %-escape, a Content-Type that cannot be
// read) is the sender's mistake, a 400 saying what is wrong, and never a
// 500 from deep in a handler. Both surfaces call it from their request
// wrapper, so the rule and its message are the same on each.
//
// Multipart bodies are left to the handlers that take files, which set
// their own limits and messages (ParseForm reads only url-encoded
// bodies); a body over the limit stays a *http.MaxBytesError, which is a
// 413. Any other method is left alone.
func ReadForm(r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			return err
		}
		return complaint.Errorf(complaint.Invalid, "The form could not be read (%v): nothing was saved; go back and send it again from its page", err)
	}
	return nil
}
