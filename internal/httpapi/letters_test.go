package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// lettersNow is when the letters tests run: a Monday, after the
// complaint was received, acknowledged and answered.
var lettersNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// decidedComplaint logs a stage 1 complaint from a resident with an email
// address, acknowledges it and records the decisions and remedies through
// the API, as olive, and returns its reference. Whether recording the
// decisions sends the response or only drafts it, the stage 1 response
// letter can be drafted and issued after this.
func decidedComplaint(t *testing.T, a *api) string {
	t.Helper()
	c := newComplaint("2026-11-18T10:00:00Z")
	c["complainant"] = map[string]any{"name": "Ada Resident", "email": "ada@example.org", "address": "1 Mill Lane, Sunderland",
		"postcode": "SR3 3XR", "tenancy_ref": "T-1001"}
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", c).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{
		"at": "2026-11-19T09:00:00Z", "points": []string{"The boiler failed three times in November"},
		"outcomes_sought": []string{"A boiler that works"},
	})
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/respond", map[string]any{
		"at":        "2026-11-23T10:00:00Z",
		"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "The repairs did not last."}},
		"remedies":  []map[string]any{{"kind": "action", "description": "Replace the boiler", "owner": "Repairs", "due": "2026-12-18"}},
	})
	return ref
}

// letterEdit is the body of check, preview and issue for the draft d
// with its body replaced by body.
func letterEdit(d reply, body string) map[string]any {
	return map[string]any{"kind": d.body["kind"], "body": body, "address": d.body["recipient"].(map[string]any)["address"],
		"large_print": d.body["large_print"], "plain_text_email": d.body["plain_text_email"]}
}

// missingCodes are the codes of what a check says is missing.
func missingCodes(t *testing.T, r reply) []string {
	t.Helper()
	var out []string
	for _, m := range getList(t, r.body, "missing") {
		out = append(out, getString(t, m, "code"))
	}
	return out
}

// An API client completes a case's letter as an officer does on the
// staff pages: it drafts the stage 1 response from the case, checks an
// edit that drops the reasons (which the Code requires) and is told so,
// previews the PDF, is refused when it issues the letter without the
// reasons (nothing is stored), then issues the whole letter by email.
// The letter's email is queued with the PDF, the letter is listed, and
// its download is the PDF whose hash is listed and on the audit trail.
func TestALetterIsDraftedCheckedPreviewedAndIssuedThroughTheAPI(t *testing.T) {
	a := newAPI(t, "code-2024", lettersNow)
	a.user("olive", "officer")
	ref := decidedComplaint(t, a)
	ctx := context.Background()

	list := a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/letters", nil)
	if n := len(getList(t, list.body, "letters")); n != 0 {
		t.Errorf("%d letters before any is issued", n)
	}
	if !strings.Contains(fmt.Sprint(list.body["applicable"]), "stage1_response") {
		t.Errorf("the stage 1 response is not among the letters the case calls for: %v", list.body["applicable"])
	}

	d := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "stage1_response"})
	body := getString(t, d.body, "body")
	for _, want := range []string{"The boiler failed three times in November", "The repairs did not last.", "Replace the boiler", "stage 2"} {
		if !strings.Contains(body, want) {
			t.Errorf("the draft does not say %q:\n%s", want, body)
		}
	}
	if d.body["title"] != "Stage 1 response" || getString(t, d.body, "subject") == "" || get(d.body, "recipient", "email") != "ada@example.org" ||
		get(d.body, "recipient", "name") != "Ada Resident" || len(getList(t, d.body, "recipient", "address")) == 0 {
		t.Errorf("the draft: %s", d.raw)
	}
	if m := getList(t, d.body, "missing"); len(m) != 0 {
		t.Errorf("the untouched draft lacks %v", m)
	}

	// The reasons for the decision are required: without them the check
	// says so, and with them it finds nothing missing.
	cut := strings.Replace(body, "The repairs did not last.", "", 1)
	if codes := missingCodes(t, a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/check", letterEdit(d, cut))); !strings.Contains(strings.Join(codes, " "), "reasons") {
		t.Errorf("a letter without its reasons checks as missing %v, want reasons", codes)
	}
	if codes := missingCodes(t, a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/check", letterEdit(d, body))); len(codes) != 0 {
		t.Errorf("the whole letter checks as missing %v", codes)
	}

	p := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/preview", letterEdit(d, body))
	if !strings.HasPrefix(p.raw, "%PDF") || p.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the preview is %q, starting %.8q", p.header.Get("Content-Type"), p.raw)
	}

	before := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil).header.Get("ETag")
	issue := letterEdit(d, cut)
	issue["channel"] = "email"
	r := a.must(400, "olive", "POST", "/api/v1/cases/"+ref+"/letters", issue)
	if msg, _ := get(r.body, "error", "fields", "body").(string); errCode(r) != "invalid" || !strings.Contains(msg, "The repairs did not last.") {
		t.Errorf("issuing without the reasons: the error does not name the body and what it lacks:\n%s", r.raw)
	}
	if ls, err := a.st.Letters(ctx, ref); err != nil || len(ls) != 0 {
		t.Fatalf("after a refused letter, %d letters are stored (%v)", len(ls), err)
	}
	if out, err := a.st.Outbox(ctx, ref); err != nil || len(out) != 0 {
		t.Fatalf("after a refused letter, %d emails are queued (%v)", len(out), err)
	}
	if now := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil).header.Get("ETag"); now != before {
		t.Errorf("a refused letter changed the case from version %s to %s", before, now)
	}

	// Issued against a version the client did not see, nothing is stored.
	issue = letterEdit(d, body)
	issue["channel"] = "email"
	issue["if_version"] = 1
	a.must(412, "olive", "POST", "/api/v1/cases/"+ref+"/letters", issue)

	var version int
	fmt.Sscanf(strings.Trim(before, `"`), "%d", &version)
	issue["if_version"] = version
	r = a.must(201, "olive", "POST", "/api/v1/cases/"+ref+"/letters", issue)
	if r.body["version"] != float64(version+1) || r.header.Get("ETag") != fmt.Sprintf(`"%d"`, version+1) {
		t.Errorf("the case's version after issuing: %v (ETag %s), want %d", r.body["version"], r.header.Get("ETag"), version+1)
	}
	issued := r.body["letter"]
	if get(issued, "kind") != "stage1_response" || get(issued, "channel") != "email" || get(issued, "issued_by") != "olive@example.org" ||
		get(issued, "stage") != 1.0 || get(issued, "recipient") != "Ada Resident" || get(issued, "issued_at") != "2026-11-23T12:00:00Z" {
		t.Errorf("the issued letter: %v", issued)
	}

	out, err := a.st.Outbox(ctx, ref)
	if err != nil {
		t.Fatalf("the outbox: %v", err)
	}
	if len(out) != 1 || out[0].To != "ada@example.org" || out[0].Kind != "letter" || len(out[0].Attachments) != 1 ||
		out[0].Attachments[0].ContentType != "application/pdf" || !strings.Contains(out[0].TextBody, "The repairs did not last.") {
		t.Errorf("the outbox: %+v", out)
	}

	list = a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/letters", nil)
	ls := getList(t, list.body, "letters")
	if len(ls) != 1 || get(ls[0], "id") != get(issued, "id") {
		t.Fatalf("the letters listed: %s", list.raw)
	}
	sum := getString(t, ls[0], "sha256")
	pdf := a.must(200, "olive", "GET", getString(t, ls[0], "download"), nil)
	got := sha256.Sum256([]byte(pdf.raw))
	if hex.EncodeToString(got[:]) != sum || !strings.HasPrefix(pdf.raw, "%PDF") || pdf.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the download (%s, %d bytes) does not hash to the listed sha256 %s", pdf.header.Get("Content-Type"), len(pdf.raw), sum)
	}
	if r.header.Get("Location") != getString(t, ls[0], "download") {
		t.Errorf("Location %q, want the download %q", r.header.Get("Location"), getString(t, ls[0], "download"))
	}

	evs := getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil).body, "events")
	last := evs[len(evs)-1]
	if get(last, "kind") != "letter_issued" || get(last, "data", "sha256") != sum {
		t.Errorf("the audit trail's last event: %v, want letter_issued with sha256 %s", last, sum)
	}
	a.must(404, "olive", "GET", "/api/v1/cases/"+ref+"/letters/999/pdf", nil)
	a.must(404, "olive", "GET", "/api/v1/cases/"+ref+"/letters/nine/pdf", nil)
}

// A letter must go by email or by post, by email only when the case has
// an email address, and by post only with an address to post it to; each
// refusal names the field to correct and stores nothing.
func TestALetterWithNoWayToSendItIsRefusedNamingTheField(t *testing.T) {
	a := newAPI(t, "code-2024", lettersNow)
	a.user("olive", "officer")
	ref := decidedComplaint(t, a)
	d := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "stage1_response"})
	body := getString(t, d.body, "body")

	noEmail := newComplaint("2026-11-18T11:00:00Z") // Ada by phone: no email address.
	other := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", noEmail).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+other+"/acknowledge", map[string]any{"at": "2026-11-19T09:00:00Z", "points": []string{"The roof leaks"}})
	ack := a.must(200, "olive", "POST", "/api/v1/cases/"+other+"/letters/draft", map[string]any{"kind": "acknowledgement"})

	for _, tc := range []struct {
		name, ref, field string
		edit             map[string]any
	}{
		{"no channel", ref, "channel", map[string]any{"kind": "stage1_response", "body": body}},
		{"a channel that is neither", ref, "channel", map[string]any{"kind": "stage1_response", "body": body, "channel": "fax"}},
		{"by post with no address", ref, "address", map[string]any{"kind": "stage1_response", "body": body, "channel": "print", "address": []string{}}},
		{"by email with no email address", other, "channel", map[string]any{"kind": "acknowledgement", "body": getString(t, ack.body, "body"), "channel": "email"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.must(400, "olive", "POST", "/api/v1/cases/"+tc.ref+"/letters", tc.edit)
			if fields := fieldsOf(r); len(fields) != 1 || fields[0] != tc.field {
				t.Errorf("the error names %v, want [%s]:\n%s", fields, tc.field, r.raw)
			}
			if ls, err := a.st.Letters(context.Background(), tc.ref); err != nil || len(ls) != 0 {
				t.Errorf("a refused letter was stored: %d, %v", len(ls), err)
			}
		})
	}

	// The same letter by post to the address it was drafted with is issued.
	r := a.must(201, "olive", "POST", "/api/v1/cases/"+other+"/letters", map[string]any{"kind": "acknowledgement", "channel": "print"})
	if get(r.body, "letter", "channel") != "print" {
		t.Errorf("issued by post: %s", r.raw)
	}
	if out, err := a.st.Outbox(context.Background(), other); err != nil || len(out) != 0 {
		t.Errorf("a letter by post queued %d emails (%v)", len(out), err)
	}
}

// A viewer may read a case's letters but not write one.
func TestAViewerMayListLettersButNotWriteThem(t *testing.T) {
	a := newAPI(t, "code-2024", lettersNow)
	a.user("olive", "officer")
	a.user("vic", "viewer")
	ref := decidedComplaint(t, a)
	a.must(200, "vic", "GET", "/api/v1/cases/"+ref+"/letters", nil)
	edit := map[string]any{"kind": "stage1_response", "channel": "email"}
	for _, path := range []string{"/letters/draft", "/letters/check", "/letters/preview", "/letters"} {
		if r := a.must(403, "vic", "POST", "/api/v1/cases/"+ref+path, edit); errCode(r) != "forbidden" {
			t.Errorf("POST %s as a viewer: %s", path, r.raw)
		}
	}
	if ls, err := a.st.Letters(context.Background(), ref); err != nil || len(ls) != 0 {
		t.Errorf("a viewer issued %d letters (%v)", len(ls), err)
	}
}

// A confidential case is not found by someone who may not see it, on
// every letters route, whatever the body, so no route says it exists;
// those who may see it write its letters as any other.
func TestAConfidentialCaseIsNotFoundOnEveryLettersRoute(t *testing.T) {
	a := newAPI(t, "code-2024", lettersNow)
	a.user("mary", "manager")
	a.user("otto", "officer")
	conf := newComplaint("2026-11-18T10:00:00Z")
	conf["confidential"] = true
	conf["summary"] = "Complaint about the conduct of a housing officer"
	ref := getString(t, a.must(201, "mary", "POST", "/api/v1/cases", conf).body, "reference")
	a.must(200, "mary", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"at": "2026-11-19T09:00:00Z", "points": []string{"The officer was rude"}})
	issued := a.must(201, "mary", "POST", "/api/v1/cases/"+ref+"/letters", map[string]any{"kind": "acknowledgement", "channel": "print"})
	id := fmt.Sprint(get(issued.body, "letter", "id"))

	n := 0
	for _, rt := range Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if !strings.Contains(path, "/letters") {
			continue
		}
		n++
		path = strings.NewReplacer("{ref}", ref, "{id}", id).Replace(path)
		var body any
		if method == "POST" {
			body = map[string]any{"kind": "acknowledgement", "channel": "print"}
		}
		if r := a.call("otto", method, path, body); r.status != 404 || strings.Contains(r.raw, "officer was rude") {
			t.Errorf("%s %s for an officer who may not see the case: %d\n%s", method, path, r.status, r.raw)
		}
		if r := a.call("otto", method, path, "{not json"); r.status != 404 {
			t.Errorf("%s %s with a broken body for an officer who may not see the case: %d, want 404", method, path, r.status)
		}
		if r := a.call("mary", method, path, body); r.status >= 400 && method == "GET" {
			t.Errorf("%s %s for the manager: %d\n%s", method, path, r.status, r.raw)
		}
	}
	if n != 6 {
		t.Errorf("%d letters routes walked, want 6", n)
	}
}

// A kind of letter that does not exist is a field error on kind, on
// every route that takes one, and a malformed body names its field as
// every other request's does.
func TestAnUnknownKindOfLetterIsAFieldError(t *testing.T) {
	a := newAPI(t, "code-2024", lettersNow)
	a.user("olive", "officer")
	ref := decidedComplaint(t, a)
	for _, path := range []string{"/letters/draft", "/letters/check", "/letters/preview", "/letters"} {
		memo := map[string]any{"kind": "memo"}
		if path == "/letters" {
			memo["channel"] = "email"
		}
		wantRefusedNaming(t, a, "/api/v1/cases/"+ref+path, memo, "kind")
		wantRefusedNaming(t, a, "/api/v1/cases/"+ref+path, map[string]any{"kind": 3}, "kind")
		wantRefusedNaming(t, a, "/api/v1/cases/"+ref+path, map[string]any{"kind": "stage1_response", "colour": "blue"}, "colour")
		wantRefusedNaming(t, a, "/api/v1/cases/"+ref+path, "", "body")
	}
	wantRefusedNaming(t, a, "/api/v1/cases/"+ref+"/letters/check", map[string]any{"kind": "stage1_response", "address": "1 Mill Lane"}, "address")
	wantRefusedNaming(t, a, "/api/v1/cases/"+ref+"/letters", map[string]any{"kind": "stage1_response", "channel": "email", "if_version": -1}, "if_version")
	// A kind the case does not call for is a conflict, as on the pages.
	if r := a.must(409, "olive", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "refusal"}); !strings.Contains(r.raw, "has not been refused") {
		t.Errorf("a refusal letter for a case not refused: %s", r.raw)
	}
}

// A letter goes once: the stage 1 response issued by email, then issued
// again as it stands, is refused with a 409 naming reissue_reason and
// nothing more is stored or sent. With a reason and confirm_reissue it
// goes again (201), the reason is in the letter's record, the listing
// shows both letters as issued with when, how, to whom and by whom, and
// the outbox holds exactly two emails. The same reissue sent twice (a
// retry) answers 200 with the letter already issued and sends nothing.
func TestALetterIssuedTwiceIsRefusedUntilAReasonIsGivenAndConfirmed(t *testing.T) {
	a := newAPI(t, "code-2024", lettersNow)
	a.user("olive", "officer")
	ref := decidedComplaint(t, a)
	ctx := context.Background()
	path := "/api/v1/cases/" + ref + "/letters"

	first := a.must(201, "olive", "POST", path, map[string]any{"kind": "stage1_response", "channel": "email"})
	if get(first.body, "letter", "status") != "issued" || get(first.body, "letter", "reissue") != false {
		t.Errorf("the first letter: %s", first.raw)
	}
	list := a.must(200, "olive", "GET", path, nil)
	for _, k := range getList(t, list.body, "applicable") {
		if get(k, "kind") == "stage1_response" && get(k, "issued") != true {
			t.Errorf("the stage 1 response is listed as not issued: %v", k)
		}
	}

	r := a.must(409, "olive", "POST", path, map[string]any{"kind": "stage1_response", "channel": "email"})
	if fields := fieldsOf(r); errCode(r) != "conflict" || !slices.Contains(fields, "reissue_reason") || !strings.Contains(r.raw, "already issued") {
		t.Errorf("issuing it again: %v naming %v\n%s", errCode(r), fields, r.raw)
	}
	a.must(409, "olive", "POST", path, map[string]any{"kind": "stage1_response", "channel": "email", "reissue_reason": "Lost in the post"})
	if ls, _ := a.st.Letters(ctx, ref); len(ls) != 1 {
		t.Fatalf("%d letters after the refusals, want 1", len(ls))
	}

	const why = "The resident's email provider lost the first one"
	again := map[string]any{"kind": "stage1_response", "channel": "email", "reissue_reason": why, "confirm_reissue": true}
	second := a.must(201, "olive", "POST", path, again)
	if l := second.body["letter"]; get(l, "reissue") != true || get(l, "reissue_reason") != why || get(l, "status") != "issued" || get(l, "id") == get(first.body, "letter", "id") {
		t.Errorf("the reissue: %s", second.raw)
	}
	retry := a.must(200, "olive", "POST", path, again)
	if get(retry.body, "letter", "id") != get(second.body, "letter", "id") || retry.body["version"] != second.body["version"] {
		t.Errorf("the same reissue again: %s, want the reissue %v at version %v", retry.raw, get(second.body, "letter", "id"), second.body["version"])
	}

	ls := getList(t, a.must(200, "olive", "GET", path, nil).body, "letters")
	if len(ls) != 2 {
		t.Fatalf("%d letters listed, want 2", len(ls))
	}
	for i, l := range ls {
		if get(l, "status") != "issued" || get(l, "issued_at") != "2026-11-23T12:00:00Z" || get(l, "channel") != "email" ||
			get(l, "recipient") != "Ada Resident" || get(l, "issued_by") != "olive@example.org" || get(l, "reissue") != (i == 1) {
			t.Errorf("letter %d as listed: %v", i+1, l)
		}
	}
	out, err := a.st.Outbox(ctx, ref)
	if err != nil || len(out) != 2 {
		t.Fatalf("%d emails queued (%v), want exactly 2", len(out), err)
	}
	evs := getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil).body, "events")
	if last := evs[len(evs)-1]; get(last, "kind") != "letter_issued" || get(last, "data", "reissue") != true || get(last, "data", "reissue_reason") != why {
		t.Errorf("the audit trail's last event: %v, want the reissue and why", last)
	}
}
