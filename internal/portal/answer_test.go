package portal_test

import (
	"net/url"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// 003: "we will agree with the customer how they would like us to
// respond. This may be by telephone, text, e-mail, face to face or in
// writing." The form's "How should we contact you?" offers each, and the
// case records the way chosen; a text message needs a phone number.
func TestTheResidentsFormRecordsHowTheyWantToBeAnswered(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		contactBy string
		want      complaint.ResponseMethod
	}{
		{"email", complaint.ResponseEmail},
		{"phone", complaint.ResponsePhone},
		{"text_message", complaint.ResponseText},
		{"face_to_face", complaint.ResponseFaceToFace},
		{"post", complaint.ResponseLetter},
	} {
		t.Run(tt.contactBy, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			c := e.client()
			a := goodAnswers()
			a["contact"] = url.Values{"contact-by": {tt.contactBy}}
			c.fillTo("check", a)
			k := c.send()
			if k.ResponseMethod != tt.want {
				t.Errorf("case records %q, want %q", k.ResponseMethod, tt.want)
			}
		})
	}
}

func TestATextMessageAnswerNeedsAPhoneNumber(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	a := goodAnswers()
	a["about"] = url.Values{"name": {"Jo Whitfield"}, "email": {"jo@example.org"}}
	c.fillTo("contact", a)
	r := c.post("/complain/contact", url.Values{"contact-by": {"text_message"}})
	wantStatus(t, "text with no phone", r, 400)
	wantText(t, "text with no phone", r, "You have not given us a telephone number")
}
