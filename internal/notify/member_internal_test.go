package notify

import (
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// 002 §3: an MP's or councillor's enquiry is answered to the member, and
// to the resident only by the copy the member asks for. The resident gets
// no notice of its steps, while a complaint's resident does.
func TestAMemberEnquirySendsTheResidentNoNoticeOfItsOwn(t *testing.T) {
	for _, kind := range []complaint.EventKind{complaint.EventCreated, complaint.EventClosed} {
		if sendsResidentNotice(kind, position{kind: complaint.KindMemberEnquiry}) {
			t.Errorf("a member enquiry's %s event sends the resident a notice", kind)
		}
		if !sendsResidentNotice(kind, position{kind: complaint.KindComplaint, stage: 1}) {
			t.Errorf("a complaint's %s event no longer sends the resident a notice", kind)
		}
	}
}
