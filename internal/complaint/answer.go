package complaint

import (
	"strings"

	"github.com/redresshq/redress/internal/enum"
)

// ResponseMethod is how the resident wants to be answered. 003 promises:
// "When we receive a complaint we will agree with the customer how they
// would like us to respond. This may be by telephone, text, e-mail, face
// to face or in writing." It is recorded per case, from the resident's
// form, from a call, or from the email that opened the case.
type ResponseMethod string

// The ways a resident may ask to be answered (003).
const (
	ResponsePhone      ResponseMethod = "phone"
	ResponseText       ResponseMethod = "text_message"
	ResponseFaceToFace ResponseMethod = "face_to_face"
	ResponseLetter     ResponseMethod = "letter"
	ResponseEmail      ResponseMethod = "email"
)

// ResponseMethods lists every way, in 003's order.
var ResponseMethods = []ResponseMethod{ResponsePhone, ResponseText, ResponseEmail, ResponseFaceToFace, ResponseLetter}

// Spoken reports whether the resident asked to be answered in a
// conversation (by phone or face to face). The conversation is recorded
// as a record of contact; the written response the Code requires (a
// stage's response is in writing, Code section 6) still follows it, because a stage is responded only when
// its written response is sent.
func (m ResponseMethod) Spoken() bool { return m == ResponsePhone || m == ResponseFaceToFace }

// checkResponseMethod adds to fe a problem with an optional response
// method.
func checkResponseMethod(fe fieldErrors, field string, m ResponseMethod) {
	if m == "" {
		return
	}
	if _, err := enum.Parse(string(m), ResponseMethods, "a way to respond"); err != nil {
		fe.add(field, "%v", err)
	}
}

// WrittenRoute is how the written response can reach the resident: by
// "email" where the case holds an email address for them (or for their
// representative), by "post" where it holds an address, "" where it
// holds neither. A resident who asked for a text message still gets the
// written response the Code requires by one of these: Redress sends no
// text messages. It takes the case by value so that pages can call it.
func (c Case) WrittenRoute() string {
	switch {
	case strings.TrimSpace(c.Complainant.Email) != "":
		return "email"
	case c.Representative != nil && strings.TrimSpace(c.Representative.Email) != "":
		return "email"
	case strings.TrimSpace(c.Complainant.Address) != "":
		return "post"
	}
	return ""
}

// AgreeResponseMethod records how the resident wants to be answered, as
// agreed with them (003: "we will agree with the customer how they would
// like us to respond"): on a call, in person, or changed later at their
// request. It may be recorded or changed while the case is open.
type AgreeResponseMethod struct {
	Method ResponseMethod `json:"method"`
	// Reason says, for the audit trail, how it was agreed; optional.
	Reason string `json:"reason,omitempty"`
	// Was is the method the case had before, recorded by Decide for the
	// audit trail, never given.
	Was ResponseMethod `json:"was,omitempty"`
}

func (AgreeResponseMethod) event() EventKind { return EventResponseMethodAgreed }

func (cmd AgreeResponseMethod) decide(d *decision) error {
	c, next, fe := d.before, d.next, d.fe
	if cmd.Method == "" {
		fe.add("method", "is required: one of %s", enum.List(ResponseMethods))
	} else {
		checkResponseMethod(fe, "method", cmd.Method)
	}
	checkText(fe, "reason", cmd.Reason, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	if !c.Status.Open() {
		return Errorf(Conflict, "the case is %s: how to answer the resident is agreed while it is open", c.Status)
	}
	if c.ResponseMethod == cmd.Method {
		return Errorf(Conflict, "nothing would change: the case already records %s", cmd.Method)
	}
	next.ResponseMethod = cmd.Method
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	cmd.Was = c.ResponseMethod
	d.recorded = cmd
	return nil
}
