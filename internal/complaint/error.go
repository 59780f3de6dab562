// Package complaint is the domain at the centre of Redress: the contact
// and complaint case, the commands people give it, and the rules of the
// Complaint Handling Code and the landlord's policy that decide whether a
// command may happen and what it changes.
//
// Every rule is a pure function of the case, the command, the time, the
// policy and the calendar. Nothing here touches a database, a clock or
// the network; storage and HTTP call in, never the other way.
package complaint

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Each maps to one HTTP status in one place, web.Describe,
// which every surface (the API, the staff pages and the portal) uses.
const (
	Invalid      = "invalid"      // 400: malformed or invalid input
	Unauthorized = "unauthorized" // 401
	Forbidden    = "forbidden"    // 403
	NotFound     = "not_found"    // 404
	Conflict     = "conflict"     // 409: a rule of the lifecycle or the policy forbids it
	Stale        = "stale"        // 412: the case changed since the caller read it
	TooLarge     = "too_large"    // 413
	Internal     = "internal"     // 500
	Unavailable  = "unavailable"  // 503
)

// Error is Redress's one error model: a code, a message for people, and
// for invalid input the problem with each field.
type Error struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(e.Message)
	for _, k := range keys {
		fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
	}
	return b.String()
}

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ConflictField returns a conflict with the rules about one field: the
// input is well formed, but the rule needs the field to say something
// else (the Ombudsman's details given, a reason recorded). Naming the
// field lets every surface put the problem where it is to be mended.
func ConflictField(field, message, format string, args ...any) *Error {
	return &Error{Code: Conflict, Message: message, Fields: map[string]string{field: fmt.Sprintf(format, args...)}}
}

// InvalidField returns an invalid-input error about one field.
func InvalidField(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Message: invalidMessage, Fields: map[string]string{field: fmt.Sprintf(format, args...)}}
}

const invalidMessage = "the request has invalid fields"

// ErrorCode returns the code of err's *Error, or Internal for any other
// error: an error nobody classified is a bug, never the caller's fault.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// fieldErrors collects invalid fields so a caller hears of every problem
// at once.
type fieldErrors struct {
	fields map[string]string
	// replay is Env.Replay: only the input rules of the first release
	// apply.
	replay bool
}

func newFieldErrors(env Env) fieldErrors {
	return fieldErrors{fields: map[string]string{}, replay: env.Replay}
}

func (f fieldErrors) add(field, format string, args ...any) {
	if _, ok := f.fields[field]; !ok {
		f.fields[field] = fmt.Sprintf(format, args...)
	}
}

func (f fieldErrors) err() error {
	if len(f.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: invalidMessage, Fields: f.fields}
}
