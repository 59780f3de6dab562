package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// ErasureStore keeps requests to erase a person's data (UK GDPR Art. 17)
// or restrict its processing (Art. 18), with the officer's decision.
type ErasureStore interface {
	AddErasureRequest(ctx context.Context, r ErasureRequest) (ErasureRequest, error)
	ErasureRequests(ctx context.Context) ([]ErasureRequest, error)
	ErasureRequest(ctx context.Context, id int64) (ErasureRequest, error)
	// PersonCases returns the references of the cases whose complainant
	// has this key (complaint.Person.Key).
	PersonCases(ctx context.Context, personKey string) ([]string, error)
	// DecideErasureRequest records the decision on an open request. An
	// erased person's key is kept only as its hash.
	DecideErasureRequest(ctx context.Context, r ErasureRequest) error
	// ProcessingRestricted returns the restriction of processing in
	// force for the person with this key, if one is (ok false if none).
	ProcessingRestricted(ctx context.Context, personKey string) (r ErasureRequest, ok bool, err error)
}

// The kinds of request and their statuses.
const (
	ErasureKind     = "erasure"
	RestrictionKind = "restriction"

	ErasureOpen       = "open"
	ErasureErased     = "erased"
	ErasureRefused    = "refused"
	ErasureRestricted = "restricted"
)

// ErasureRequest is one request and, once decided, its decision.
type ErasureRequest struct {
	ID          int64
	PersonKey   string
	Kind        string
	Reason      string
	RequestedAt time.Time
	RequestedBy string
	Status      string
	DecidedAt   time.Time
	DecidedBy   string
	// DecisionReason is why a request was refused (the Art. 17(3)
	// ground), or a note on one granted.
	DecisionReason string
	CasesErased    int
	CasesHeld      int
}

// Name is how an anonymisation records the request it carried out.
func (r ErasureRequest) Name() string { return fmt.Sprintf("ER-%d", r.ID) }

// HashedPersonKey is how a decided erasure keeps the person's key: enough
// to show that a later request is from the same person, not their email.
func HashedPersonKey(key string) string {
	s := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(s[:])
}

// NewErasureRequest checks a request as a manager records it.
func NewErasureRequest(p complaint.Person, kind, reason, by string, now time.Time) (ErasureRequest, error) {
	fields := map[string]string{}
	key := p.Key()
	if key == "" {
		fields["person"] = "give the person's email, tenancy reference or phone number, as their cases record it"
	}
	if kind != ErasureKind && kind != RestrictionKind {
		fields["kind"] = fmt.Sprintf("%q is not a kind of request: want erasure or restriction", kind)
	}
	if strings.TrimSpace(reason) == "" {
		fields["reason"] = "say what the person asked and why"
	}
	if len(fields) > 0 {
		return ErasureRequest{}, &complaint.Error{Code: complaint.Invalid, Message: "the request has invalid fields", Fields: fields}
	}
	return ErasureRequest{PersonKey: key, Kind: kind, Reason: strings.TrimSpace(reason), RequestedAt: now, RequestedBy: by, Status: ErasureOpen}, nil
}

// ErasureDecision is the officer's decision: erase (or, for a
// restriction, restrict), or refuse with the reason.
type ErasureDecision struct {
	Grant  bool
	Reason string
	By     string
	Now    time.Time
}

// DecideErasure carries out the decision on request id: an erasure
// granted anonymises every case of the person that is not held (each in
// its own transaction, recording the request as the anonymisation's
// request), a restriction granted marks the request in force, and a
// refusal records its reason (UK GDPR Art. 17(3): legal claims, a legal
// obligation).
func DecideErasure(ctx context.Context, st interface {
	ErasureStore
	RetentionStore
}, id int64, d ErasureDecision) (ErasureRequest, error) {
	r, err := st.ErasureRequest(ctx, id)
	if err != nil {
		return r, err
	}
	if r.Status != ErasureOpen {
		return r, complaint.Errorf(complaint.Conflict, "request %s was decided on %s", r.Name(), r.DecidedAt.Format("2 January 2006"))
	}
	if !d.Grant && strings.TrimSpace(d.Reason) == "" {
		return r, complaint.InvalidField("decision_reason", "give the ground for refusing (UK GDPR Art. 17(3)), such as a case under Ombudsman or court proceedings")
	}
	r.DecidedAt, r.DecidedBy, r.DecisionReason = d.Now, d.By, strings.TrimSpace(d.Reason)
	switch {
	case !d.Grant:
		r.Status = ErasureRefused
	case r.Kind == RestrictionKind:
		r.Status = ErasureRestricted
	default:
		refs, err := st.PersonCases(ctx, r.PersonKey)
		if err != nil {
			return r, err
		}
		for _, ref := range refs {
			_, err := st.AnonymiseCase(ctx, ref, AnonymiseRequest{Request: r.Name(), By: d.By, Now: d.Now})
			switch {
			case err == nil:
				r.CasesErased++
			case complaint.ErrorCode(err) == complaint.Conflict:
				r.CasesHeld++
			default:
				return r, err
			}
		}
		r.Status = ErasureErased
		r.PersonKey = HashedPersonKey(r.PersonKey)
		if r.CasesErased > 0 {
			if err := st.PurgeFreed(ctx); err != nil {
				return r, err
			}
		}
	}
	return r, st.DecideErasureRequest(ctx, r)
}
