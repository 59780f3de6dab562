package httpapi

import (
	"context"
	"strings"
	"testing"
)

// TestAGroupsResponseReachesEveryMemberOverHTTP (issue 19, item 6; 003:
// "Where we provide a written response we will make this available to
// all petitioners"): a petition is logged with its members and how to
// reach each (a member with neither is refused, by name); its stage 1
// response is issued to the point of contact and says a copy goes to
// every member; then one call emails a copy to each member with an email
// and records every copy, by post for the one without; a second call has
// nothing left to send.
func TestAGroupsResponseReachesEveryMemberOverHTTP(t *testing.T) {
	a := newAPI(t, "feedback-policy-2018", lettersNow)
	a.user("olive", "officer")
	a.user("vic", "viewer")
	c := newComplaint("2026-11-18T10:00:00Z")
	c["complainant"] = map[string]any{"name": "Ada Resident", "email": "ada@example.org", "address": "1 Mill Lane", "postcode": "SR3 3XR"}
	c["group"] = map[string]any{"name": "Mill Lane residents", "point_of_contact": "Ada Resident", "people": []any{
		map[string]any{"name": "Ada Resident", "email": "ada@example.org"},
		map[string]any{"name": "Bo Chen"},
	}}
	r := a.must(400, "olive", "POST", "/api/v1/cases", c)
	if get(r.body, "error", "fields", "group.people[1].email") == nil {
		t.Errorf("a member with no email or address is not named: %s", r.raw)
	}
	c["group"].(map[string]any)["people"] = []any{
		map[string]any{"name": "Ada Resident", "email": "ada@example.org"},
		map[string]any{"name": "Bo Chen", "address": "2 Mill Lane, SR3 3XR"},
		map[string]any{"name": "Cy Dee", "email": "cy@example.org"},
	}
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", c).body, "reference")
	copies := "/api/v1/cases/" + ref + "/group-copies"
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"at": "2026-11-19T09:00:00Z", "points": []string{"The lifts have been broken for a month"}})
	a.must(409, "olive", "POST", copies, nil) // no response issued yet
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/respond", map[string]any{"at": "2026-11-23T10:00:00Z",
		"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "The repair took too long."}}})

	d := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "stage1_response"})
	body := getString(t, d.body, "body")
	if !strings.Contains(body, "We are sending a copy of this response to every member of Mill Lane residents.") {
		t.Errorf("the response does not say every member gets a copy:\n%s", body)
	}
	issue := letterEdit(d, body)
	issue["channel"] = "email"
	a.must(201, "olive", "POST", "/api/v1/cases/"+ref+"/letters", issue)

	a.must(403, "vic", "POST", copies, nil)
	r = a.must(200, "olive", "POST", copies, nil)
	got := map[string]string{}
	for _, g := range getList(t, r.body, "group_copies") {
		got[getString(t, g, "member")] = getString(t, g, "channel")
	}
	if len(got) != 3 || got["Ada Resident"] != "email" || got["Bo Chen"] != "post" || got["Cy Dee"] != "email" {
		t.Errorf("copies recorded = %v", got)
	}
	out, err := a.st.Outbox(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range out {
		if m.Kind != "group_copy" {
			continue
		}
		to = append(to, m.To)
		if !strings.Contains(m.TextBody, "The repair took too long.") || !strings.Contains(m.TextBody, "copy of our written response") || len(m.Attachments) != 0 {
			t.Errorf("the copy to %s (%d attachments):\n%s", m.To, len(m.Attachments), m.TextBody)
		}
	}
	if strings.Join(to, "|") != `"Ada Resident" <ada@example.org>|"Cy Dee" <cy@example.org>` {
		t.Errorf("copies emailed to %v", to)
	}
	a.must(409, "olive", "POST", copies, nil)
}
