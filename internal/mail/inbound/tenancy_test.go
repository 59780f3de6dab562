package inbound

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/portal"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/reports"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// A complaint from the resident's form and one by email arrive with no
// tenure, and so in no tenure's CH01. Each is suggested its tenancy from
// the register (the form's by postcode and name, the email's by the
// sender's address); once an officer confirms each, the first counts in
// low-cost home ownership's CH01(1) and the second in low-cost rental's
// (issue 20: "a test matches a form complaint and an email complaint to
// their tenancy, and their tenure reaches CH01").
func TestFormAndEmailComplaintsMatchedToTheirTenancyReachCH01(t *testing.T) {
	r := newRig(t)
	csv := tenancy.Template() +
		"H1,100000001,12 Mill Lane,,,Riverside,RV1 2AB,T-LCHO-1,Shared ownership,01/04/2019,,Jo Whitfield,,\n" +
		"H2,100000002,3 Quay Court,,,Riverside,RV2 9ZZ,T-LCR-2,General needs,01/04/2021,,Rita Resident,rita@example.org,\n" +
		"H3,100000003,14 Mill Lane,,,Riverside,RV1 2AB,T-LCR-3,General needs,01/04/2021,,Ann Jones,,\n"
	f, err := tenancy.ReadCSV(strings.NewReader(csv), nil, nil)
	if err != nil || len(f.Errors) > 0 {
		t.Fatalf("%v %v", err, f.Errors)
	}
	if _, err := r.db.ImportRegister(r.ctx, f, store.RegisterImport{By: "admin@landlord.example", At: start}, nil); err != nil {
		t.Fatal(err)
	}

	// The resident's form, over HTTP, naming no tenancy and an email the
	// register does not hold.
	srv, err := portal.New(&portal.Server{Store: r.db, Policy: r.proc.Cases.Policy, Calendar: r.proc.Cases.Calendar,
		Log: slog.New(slog.DiscardHandler), Now: r.clock.Now, ClientAddr: func(*http.Request) string { return "127.0.0.1" }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	formRef := sendForm(t, ts.URL, map[string]url.Values{
		"kind":          {"kind": {"unhappy"}},
		"danger":        {"danger": {"no"}},
		"formal":        {"formal": {"yes"}},
		"who":           {"who": {"self"}},
		"about":         {"name": {"Mrs J Whitfield"}, "email": {"jw.home@example.net"}, "address": {"12 Mill Lane"}, "postcode": {"rv1 2ab"}},
		"what-happened": {"summary": {"Boiler keeps failing"}, "description": {"Three times since October."}},
		"put-right":     {"outcome": {"A new boiler"}},
		"contact":       {"contact-by": {"email"}},
	})

	// The email, over SMTP into the IMAP mailbox the poller reads.
	if _, err := r.residentSender("Rita Resident <rita@example.org>").Send(r.ctx, store.OutboundMessage{To: "feedback@landlord.example", Kind: "message",
		Subject: "Complaint about my repair", TextBody: "I want to complain: the repair to my window was never done.\n"}); err != nil {
		t.Fatal(err)
	}
	if n := r.poll(); n != 1 {
		t.Fatalf("processed %d messages, want 1", n)
	}
	var emailRef string
	for _, c := range r.cases() {
		if c.Channel == "email" {
			emailRef = c.Reference
		}
	}

	svc := reports.Service{Store: r.db, Policy: r.proc.Cases.Policy}
	year := report.YearOf(calendar.DateOf(start))
	ch01 := func(tenure complaint.Tenure) int {
		t.Helper()
		tsm, err := svc.TSM(r.ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		f, ok := tsm.Find("CH01(1)", tenure)
		if !ok {
			t.Fatalf("no CH01(1) for %q", tenure)
		}
		return f.Numerator
	}
	if n, m := ch01("low_cost_rental"), ch01("low_cost_home_ownership"); n != 0 || m != 0 {
		t.Fatalf("before matching, CH01(1) counts %d low-cost rental and %d low-cost home ownership complaints, want none", n, m)
	}

	officer := store.User{Email: "olivia.officer@landlord.example", Role: "officer"}
	for _, tc := range []struct {
		ref, tenancy, by string
		tenure           complaint.Tenure
		address          string
	}{
		{formRef, "T-LCHO-1", "postcode_name", "low_cost_home_ownership", "12 Mill Lane\nRiverside"},
		{emailRef, "T-LCR-2", "email", "low_cost_rental", "3 Quay Court\nRiverside"},
	} {
		c, err := r.db.GetCase(r.ctx, tc.ref)
		if err != nil {
			t.Fatal(err)
		}
		if c.Tenancy == nil || c.Tenancy.Ref != tc.tenancy || c.Tenancy.MatchedBy != tc.by || c.Tenancy.Confirmed || c.Tenure != "" {
			t.Fatalf("%s: suggested %+v with tenure %q, want %s by %s, unconfirmed, and no tenure yet", tc.ref, c.Tenancy, c.Tenure, tc.tenancy, tc.by)
		}
		c, err = r.proc.Cases.Apply(r.ctx, officer, tc.ref, c.Version, r.clock.Now(), complaint.ConfirmTenancy{Ref: c.Tenancy.Ref})
		if err != nil {
			t.Fatalf("%s: confirming: %v", tc.ref, err)
		}
		if c.Tenure != tc.tenure || c.Complainant.TenancyRef != tc.tenancy || c.Complainant.Address != tc.address || c.Complainant.Postcode != c.Tenancy.Postcode ||
			!c.Tenancy.Confirmed || c.Tenancy.ConfirmedBy != officer.Email || c.Tenancy.MatchedBy != tc.by {
			t.Errorf("%s confirmed: tenure %q, complainant %+v, match %+v", tc.ref, c.Tenure, c.Complainant, c.Tenancy)
		}
		evs := r.events(tc.ref)
		if last := evs[len(evs)-1]; last.Kind != complaint.EventTenancyConfirmed {
			t.Errorf("%s: the last event is %s, want %s", tc.ref, last.Kind, complaint.EventTenancyConfirmed)
		}
	}
	if n, m := ch01("low_cost_rental"), ch01("low_cost_home_ownership"); n != 1 || m != 1 {
		t.Errorf("after matching, CH01(1) counts %d low-cost rental and %d low-cost home ownership complaints, want 1 each", n, m)
	}
	if rep, err := r.db.VerifyAudit(r.ctx); err != nil || !rep.OK {
		t.Errorf("audit after matching: %+v %v", rep, err)
	}
}

// complaintRef finds a case's reference on a page.
var complaintRef = regexp.MustCompile(`C-[0-9]{4}-[0-9]{6}`)

// sendForm answers the resident's form page by page, as a browser with
// no JavaScript would, sends it and returns the new case's reference.
func sendForm(t *testing.T, base string, answers map[string]url.Values) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path, contentType string, body io.Reader) *http.Response {
		t.Helper()
		resp, err := c.Post(base+path, contentType, body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	path := "/complain/kind"
	for range 20 {
		slug := strings.TrimPrefix(path, "/complain/")
		var resp *http.Response
		switch slug {
		case "confirmation":
			resp, err := c.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			ref := complaintRef.FindString(string(b))
			if ref == "" {
				t.Fatalf("the confirmation page names no reference:\n%s", b)
			}
			return ref
		case "files":
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			mw.WriteField("action", "continue")
			mw.CreateFormFile("files", "")
			mw.Close()
			resp = post(path, mw.FormDataContentType(), &b)
		default:
			resp = post(path, "application/x-www-form-urlencoded", strings.NewReader(answers[slug].Encode()))
		}
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("answering %s: HTTP %d", slug, resp.StatusCode)
		}
		path = resp.Header.Get("Location")
	}
	t.Fatal("the form never reached its confirmation")
	return ""
}
