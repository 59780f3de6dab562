package complaint

import (
	"testing"
)

// 003: "When we receive a complaint we will agree with the customer how
// they would like us to respond. This may be by telephone, text, e-mail,
// face to face or in writing." The way is recorded with the contact and
// may be agreed or changed while the case is open.
func TestTheResidentsWayToBeAnsweredIsRecordedAndAgreedWhileOpen(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	cmd := validCreate()
	cmd.ResponseMethod = ResponsePhone
	c := f.create(cmd, "2026-12-21 10:00")
	if c.ResponseMethod != ResponsePhone {
		t.Fatalf("created with response method %q, want phone", c.ResponseMethod)
	}
	bad := validCreate()
	bad.ResponseMethod = "pigeon"
	if _, _, err := NewCase(bad, f.env); err == nil {
		t.Error("a contact was logged with an unknown way to respond")
	} else {
		wantError(t, err, Invalid, "response_method")
	}

	closed := f.must(f.enquiry(), "2026-12-22 10:00", officer, Close{})
	tests := []struct {
		name  string
		c     Case
		cmd   AgreeResponseMethod
		code  string
		field string
	}{
		{"no way given", c, AgreeResponseMethod{}, Invalid, "method"},
		{"an unknown way", c, AgreeResponseMethod{Method: "fax"}, Invalid, "method"},
		{"the way it already has", c, AgreeResponseMethod{Method: ResponsePhone}, Conflict, ""},
		{"a closed case", closed, AgreeResponseMethod{Method: ResponseEmail}, Conflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.decide(tt.c, "2026-12-22 11:00", officer, tt.cmd)
			if tt.field != "" {
				wantError(t, err, tt.code, tt.field)
			} else {
				wantError(t, err, tt.code)
			}
		})
	}
	got, ev, err := f.decide(c, "2026-12-22 11:00", officer, AgreeResponseMethod{Method: ResponseFaceToFace, Reason: " Asked on the phone "})
	if err != nil {
		t.Fatal(err)
	}
	rec := ev.Data.(AgreeResponseMethod)
	if got.ResponseMethod != ResponseFaceToFace || ev.Kind != EventResponseMethodAgreed || rec.Was != ResponsePhone || rec.Reason != "Asked on the phone" {
		t.Errorf("case %q, event %s %+v", got.ResponseMethod, ev.Kind, rec)
	}
}

// A phone call or a meeting answers the resident in conversation; the
// Code's written response still follows (Code section 6), so only these two
// are spoken.
func TestOnlyPhoneAndFaceToFaceAreSpokenResponses(t *testing.T) {
	for _, m := range ResponseMethods {
		want := m == ResponsePhone || m == ResponseFaceToFace
		if m.Spoken() != want {
			t.Errorf("%s.Spoken() = %v, want %v", m, m.Spoken(), want)
		}
	}
}

// A resident who asked for a text message gets the written response by
// the channel the case holds: email first, then post (003 text; the
// Code's written response).
func TestTheWrittenResponseGoesByEmailElsePost(t *testing.T) {
	tests := []struct {
		name string
		c    Case
		want string
	}{
		{"email", Case{Complainant: Person{Email: "ada@example.com", Address: "1 Road"}}, "email"},
		{"representative's email", Case{Complainant: Person{Phone: "07700 900000"}, Representative: &Representative{Email: "rep@example.com"}}, "email"},
		{"address only", Case{Complainant: Person{Phone: "07700 900000", Address: "1 Road"}}, "post"},
		{"phone only", Case{Complainant: Person{Phone: "07700 900000"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.WrittenRoute(); got != tt.want {
				t.Errorf("WrittenRoute() = %q, want %q", got, tt.want)
			}
		})
	}
}
