package webui_test

// Browser tests of the staff pages: headless Chromium drives the real
// product through a complaint's whole life, checks what each page says,
// saves a screenshot of every kind of page and runs axe-core on it. They
// skip when no Chromium is installed (Debian's chromium package).

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// pageDate writes a date as the pages do.
func pageDate(d calendar.Date) string { return d.Start().Format("2 January 2006") }

// workingDaysAfter is the calendar's working-day arithmetic, failing the
// test if the calendar does not cover the dates.
func workingDaysAfter(t *testing.T, cal *calendar.Calendar, d calendar.Date, n int) calendar.Date {
	t.Helper()
	due, err := cal.AddWorkingDays(d, n)
	if err != nil {
		t.Fatal(err)
	}
	return due
}

// wantTableRows compares a table's rows with the rows wanted; a wanted cell
// must be a prefix of the cell shown, so that tags such as "5 working days
// left" may follow a date.
func wantTableRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = len(got[i]) == len(want[i])
		for j := 0; ok && j < len(want[i]); j++ {
			ok = strings.HasPrefix(got[i][j], want[i][j]) && (want[i][j] != "" || got[i][j] == "")
		}
	}
	if !ok {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// getCase reads a case straight from the store.
func (tb *browserTab) getCase(ref string) complaint.Case {
	tb.t.Helper()
	c, err := tb.app.Store.GetCase(context.Background(), ref)
	if err != nil {
		tb.t.Fatal(err)
	}
	return c
}

// TestStaffJourney takes one complaint through both stages as the staff
// would, each step in its own role, and visits every other kind of staff
// page on the way.
func TestStaffJourney(t *testing.T) {
	t.Parallel()
	start := clock.Wall()
	tb := newTab(t)
	cal := tb.app.Cal
	officer, reviewer := tb.users["officer"], tb.users["reviewer"]

	// Signed out, any page leads to the sign-in page.
	tb.WantStatus("open the dashboard signed out", tb.Open("/"), 200)
	tb.WantText("sign-in page", "Sign in", "Email address", "Password")
	if u := tb.Path(); u != "/sign-in?next=%2F" {
		t.Errorf("signed out, / leads to %s, want /sign-in?next=%%2F", u)
	}
	tb.Look("sign-in")

	// A wrong password: the error summary, the email kept, no password.
	tb.TypeInto("email", officer.Email)
	tb.TypeInto("password", "not the password at all")
	tb.WantStatus("sign in with a wrong password", tb.Submit(`main form[action="/sign-in"] button[type="submit"]`), 401)
	errs := tb.ErrorSummary("sign in with a wrong password")
	tb.WantFieldError(errs, "email", "Enter a correct email address and password")
	if got := tb.Value("email"); got != officer.Email {
		t.Errorf("after a failed sign-in the email field holds %q, want %q", got, officer.Email)
	}
	if got := tb.Value("password"); got != "" {
		t.Errorf("after a failed sign-in the password field is not empty")
	}
	tb.Look("sign-in-error")

	// The officer signs in and lands on the dashboard.
	tb.Do("clear email", chromedp.Clear(chromedp.ID("email")))
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantText("dashboard", "Dashboard", "Today is "+pageDate(calendar.DateOf(clock.Wall())), "Complaints not yet acknowledged", "Cases by stage and status")
	if got := browsertest.Eval[string](tb.Tab, `document.querySelector(".redress-account").innerText`); !strings.Contains(got, "Signed in as Olivia Officer (officer)") {
		t.Errorf("the header says %q, want who is signed in", got)
	}
	tb.Look("dashboard")

	// Log a contact: first with the resident's name, the summary and any
	// way to reply left out.
	tb.WantStatus("open Log a contact", tb.Load("follow Log a contact", chromedp.Click(chromedp.CSS(`a.govuk-service-navigation__link[href="/cases/new"]`))), 200)
	tb.WantText("log a contact", "Log a contact", "What kind of contact is it?", "The resident", "What happened")
	if !tb.Checked("kind-complaint") || tb.Value("channel") != "phone" {
		t.Errorf("the form does not start as a complaint by phone")
	}
	tb.Look("log-a-contact")
	tb.TypeInto("description", "The boiler has failed three times since October.")
	tb.TypeInto("service-area", "Repairs")
	tb.Choose("tenure-low_cost_rental")
	tb.WantStatus("log a contact with errors", tb.Submit(`main form[action="/cases/new"] button[type="submit"]`), 400)
	errs = tb.ErrorSummary("log a contact with errors")
	tb.WantFieldError(errs, "complainant-name", "is required")
	tb.WantFieldError(errs, "complainant-email", "email address, phone number or address")
	tb.WantFieldError(errs, "summary", "is required")
	if len(errs) != 3 {
		t.Errorf("log a contact with errors: want 3 errors (name, a way to reply, summary), got %+v", errs)
	}
	if got := tb.Value("description"); got != "The boiler has failed three times since October." {
		t.Errorf("what happened was not kept: %q", got)
	}
	if got := tb.Value("service-area"); got != "Repairs" {
		t.Errorf("the service area was not kept: %q", got)
	}
	if !tb.Checked("tenure-low_cost_rental") || tb.Value("channel") != "phone" {
		t.Errorf("the tenure or channel was not kept")
	}
	tb.Look("log-a-contact-errors")

	// Now complete, logged as a phone complaint.
	tb.TypeInto("complainant-name", "Jo Whitfield")
	tb.TypeInto("complainant-email", "jo.whitfield@example.org")
	tb.TypeInto("complainant-phone", "01632 960123")
	tb.TypeInto("complainant-postcode", "RV1 2AB")
	tb.TypeInto("complainant-tenancy-ref", "T-40711")
	tb.TypeInto("summary", "Boiler keeps failing at 12 Mill Lane")
	tb.TypeInto("desired-outcome", "A new boiler")
	tb.WantStatus("log the complaint", tb.Submit(`main form[action="/cases/new"] button[type="submit"]`), 200)
	tb.WantText("new case", "Logged as C-", "Jo Whitfield", "Boiler keeps failing at 12 Mill Lane", "Complaint, stage 1")
	ref := strings.TrimSuffix(strings.TrimPrefix(browsertest.Eval[string](tb.Tab, `document.querySelector(".govuk-notification-banner__heading").innerText`), "Logged as "), ".")
	c := tb.getCase(ref)
	today := calendar.DateOf(clock.Wall())
	if c.Channel != "phone" || c.Kind != complaint.KindComplaint || c.ServiceArea != "Repairs" {
		t.Errorf("stored case %s: %s by %s, service area %q", ref, c.Kind, c.Channel, c.ServiceArea)
	}
	if got := tb.SummaryValue("Status"); got != "Received" {
		t.Errorf("new case status %q, want Received", got)
	}
	ack1 := workingDaysAfter(t, cal, calendar.DateOf(c.ReceivedAt), 5)
	wantTableRows(t, "deadlines of a new complaint", tb.TableRows("Deadlines"), [][]string{
		{"1", "Acknowledge", pageDate(ack1), ""},
		{"1", "Respond", pageDate(workingDaysAfter(t, cal, ack1, 10)), ""},
	})
	tb.Look("case-received")

	// Acknowledge it with two points.
	tb.TypeInto("acknowledge-points", "The boiler has failed three times\nRepairs did not attend when booked")
	tb.TypeInto("acknowledge-outcomes-sought", "A new boiler")
	tb.WantStatus("acknowledge", tb.Submit(`#acknowledge button[type="submit"]`), 200)
	if got := tb.SummaryValue("Status"); got != "Acknowledged" {
		t.Errorf("status %q after acknowledging, want Acknowledged", got)
	}
	if got := tb.SummaryValue("Handler"); got != officer.Email {
		t.Errorf("handler %q after acknowledging, want the officer", got)
	}
	tb.WantText("acknowledged", "Stage 1: the complaint", "The boiler has failed three times", "Repairs did not attend when booked", "The resident wants: A new boiler.")
	respond1 := workingDaysAfter(t, cal, today, 10)
	wantTableRows(t, "deadlines once acknowledged", tb.TableRows("Deadlines"), [][]string{
		{"1", "Acknowledge", pageDate(ack1), pageDate(today) + " On time"},
		{"1", "Respond", pageDate(respond1), ""},
	})
	tb.Look("case-acknowledged")

	// Extend, but forget the reason: the error summary, and what was typed
	// kept.
	tb.Disclose("extend")
	tb.TypeInto("extend-working-days", "5")
	tb.Choose("extend-agreed-with-resident")
	tb.Choose("extend-ombudsman-details-given")
	tb.WantStatus("extend with no reason", tb.Submit(`#extend button[type="submit"]`), 400)
	errs = tb.ErrorSummary("extend with no reason")
	tb.WantFieldError(errs, "extend-reason", "is required")
	if got := tb.Value("extend-working-days"); got != "5" {
		t.Errorf("extend: working days not kept, field holds %q", got)
	}
	if !tb.Checked("extend-agreed-with-resident") || !tb.Checked("extend-ombudsman-details-given") {
		t.Errorf("extend: the ticked boxes were not kept")
	}
	if got := tb.SummaryValue("Status"); got != "Acknowledged" {
		t.Errorf("status %q after a failed extension, want Acknowledged", got)
	}
	tb.Look("case-extend-error")

	tb.TypeInto("extend-reason", "Waiting for the heating contractor's report")
	tb.WantStatus("extend", tb.Submit(`#extend button[type="submit"]`), 200)
	respond1x := workingDaysAfter(t, cal, respond1, 5)
	wantTableRows(t, "deadlines once extended", tb.TableRows("Deadlines"), [][]string{
		{"1", "Acknowledge", pageDate(ack1), pageDate(today) + " On time"},
		{"1", "Respond", pageDate(respond1x), ""},
	})
	tb.WantText("extended", "Extensions", "5 working days on "+pageDate(today)+": Waiting for the heating contractor's report (agreed with the resident)")
	if c := tb.getCase(ref); c.Current().RespondBy != respond1x {
		t.Errorf("stored respond-by %s, want %s", c.Current().RespondBy, respond1x)
	}
	tb.Look("case-extended")

	// Respond: a decision with reasons for each point, compensation and an
	// action with its owner and due date.
	actionDue := today.AddDays(21)
	tb.Choose("respond-outcome-1-upheld")
	tb.TypeInto("respond-reasons-1", "Three failures in two months is below our repair standard.")
	tb.Choose("respond-outcome-2-partly_upheld")
	tb.TypeInto("respond-reasons-2", "One visit was missed; the other was cancelled by the resident.")
	tb.Disclose("respond-remedies")
	tb.SelectOption("respond-remedy-1-kind", "compensation")
	tb.TypeInto("respond-remedy-1-description", "For the time without heating")
	tb.TypeInto("respond-remedy-1-amount", "150.00")
	tb.SelectOption("respond-remedy-1-compensation-kind", "time_and_trouble")
	tb.SelectOption("respond-remedy-2-kind", "action")
	tb.TypeInto("respond-remedy-2-description", "Replace the boiler")
	tb.SelectOption("respond-remedy-2-owner", "olivia.officer@riversidevale.example")
	tb.TypeInto("respond-remedy-2-due", strconv.Itoa(actionDue.Day()))
	tb.TypeInto("respond-remedy-2-due-month", strconv.Itoa(int(actionDue.Month())))
	tb.TypeInto("respond-remedy-2-due-year", strconv.Itoa(actionDue.Year()))
	tb.TypeInto("respond-learning", "Check boilers with repeat failures for replacement")
	tb.WantStatus("respond", tb.Submit(`#respond button[type="submit"]`), 200)
	// The decisions are a draft until the response letter goes (issue
	// 12, rule 1).
	if got := tb.SummaryValue("Status"); got != "Acknowledged" {
		t.Errorf("status %q after recording the decisions, want Acknowledged: the response is a draft until its letter goes", got)
	}
	tb.WantText("decisions recorded", "Decisions",
		"Point 1: Upheld. Three failures in two months is below our repair standard.",
		"Point 2: Partly upheld. One visit was missed; the other was cancelled by the resident.",
		"The decisions are recorded as a draft")
	wantTableRows(t, "remedies", tb.TableRows("Remedies and actions"), [][]string{
		{"Compensation £150.00: For the time without heating", "", "Date remedy"},
		{"Action: Replace the boiler", "olivia.officer@riversidevale.example by " + pageDate(actionDue), "Mark done"},
	})
	tb.Look("case-decided")

	// The officer writes the stage 1 response letter from the case:
	// drafts it, checks it and issues it, which sends the response.
	tb.WantStatus("draft the stage 1 response", tb.Load("follow Write the response letter", chromedp.Click(chromedp.CSS(`#next-step a[href="/cases/`+ref+`/letters/new?kind=stage1_response"]`))), 200)
	tb.WantText("the draft", "Stage 1 response", "Send it by")
	tb.Look("letter-draft")
	tb.WantStatus("check the letter", tb.Submit(`main form button.govuk-button--secondary`), 200)
	tb.WantText("the letter checked", "The letter says everything the Code requires", "Preview")
	tb.Look("letter-preview")
	tb.WantStatus("issue the letter", tb.Submit(`main form button[formaction="/cases/`+ref+`/letters"]`), 200)
	tb.WantText("the letter issued", "The letter is issued and kept exactly as sent.", "Letters issued", "Letter issued")
	if got := tb.SummaryValue("Status"); got != "Responded" {
		t.Errorf("status %q after the response letter, want Responded", got)
	}
	tb.WantText("responded", "Escalate to stage 2")
	wantTableRows(t, "deadlines once responded", tb.TableRows("Deadlines"), [][]string{
		{"1", "Acknowledge", pageDate(ack1), pageDate(today) + " On time"},
		{"1", "Respond", pageDate(respond1x), pageDate(today) + " On time"},
	})
	tb.Look("case-responded")

	// The actions tracker lists both open remedies.
	tb.WantStatus("actions", tb.Load("follow Actions", chromedp.Click(chromedp.CSS(`a.govuk-service-navigation__link[href="/actions"]`))), 200)
	// The first column is each action's box for marking done in bulk.
	wantTableRows(t, "actions tracker", tb.TableRows("2 open"), [][]string{
		{"Select " + ref + " action", ref, "Action: Replace the boiler", "olivia.officer@riversidevale.example", pageDate(actionDue)},
		{"Select " + ref + " action", ref, "Compensation £150.00: For the time without heating", "", ""},
	})
	tb.Look("actions")

	// The case list, searched by the resident's surname.
	tb.WantStatus("cases", tb.Open("/cases"), 200)
	tb.TypeInto("q", "Whitfield")
	tb.WantStatus("search cases", tb.Submit(`main form[action="/cases"] button[type="submit"]`), 200)
	if got := tb.Value("q"); got != "Whitfield" {
		t.Errorf("search box holds %q after searching", got)
	}
	rows := tb.TableRows("1 case*")
	// The columns: the bulk assign's box, reference, summary, resident,
	// kind, stage, status, handler, received and next deadline.
	if len(rows) != 1 || len(rows[0]) < 7 || rows[0][1] != ref || rows[0][3] != "Jo Whitfield" || rows[0][6] != "Responded" {
		t.Errorf("searching for Whitfield: rows %q, want %s, Responded", rows, ref)
	}
	tb.Look("case-list-search")
	tb.Do("clear the search", chromedp.Clear(chromedp.ID("q")))
	tb.TypeInto("q", "zzzz")
	tb.WantStatus("search cases", tb.Submit(`main form[action="/cases"] button[type="submit"]`), 200)
	tb.WantText("search with no match", "No cases match.")

	// Escalate to stage 2. The officer handled stage 1, so the assign
	// form must not offer them.
	tb.WantStatus("case page", tb.Open("/cases/"+ref), 200)
	tb.Disclose("escalate")
	tb.TypeInto("escalate-reason", "The resident says the boiler failed again")
	tb.WantStatus("escalate", tb.Submit(`#escalate button[type="submit"]`), 200)
	tb.WantText("escalated", "Complaint, stage 2")
	if got := tb.SummaryValue("Status"); got != "Received" {
		t.Errorf("status %q after escalating, want Received", got)
	}
	if got := tb.SummaryValue("Handler"); got != "Not assigned" {
		t.Errorf("handler %q after escalating, want Not assigned", got)
	}
	ack2 := workingDaysAfter(t, cal, today, 5)
	wantTableRows(t, "deadlines at stage 2", tb.TableRows("Deadlines"), [][]string{
		{"1", "Acknowledge", pageDate(ack1), pageDate(today) + " On time"},
		{"1", "Respond", pageDate(respond1x), pageDate(today) + " On time"},
		{"2", "Acknowledge", pageDate(ack2), ""},
		{"2", "Respond", pageDate(workingDaysAfter(t, cal, ack2, 20)), ""},
	})
	handlers := browsertest.Eval[[]string](tb.Tab, `[...document.querySelectorAll("#assign-handler option")].map(o => o.value)`)
	if slices.Contains(handlers, officer.Email) {
		t.Errorf("the stage 2 assign form offers %s, who handled stage 1: %q", officer.Email, handlers)
	}
	if !slices.Contains(handlers, reviewer.Email) {
		t.Errorf("the stage 2 assign form does not offer the reviewer: %q", handlers)
	}
	if slices.Contains(handlers, tb.users["viewer"].Email) {
		t.Errorf("the assign form offers a viewer: %q", handlers)
	}
	tb.WantText("stage 2 assign hint", "People who acted on stage 1 ("+officer.Email+") are not offered")
	tb.Look("case-escalated")

	tb.WantStatus("change password", tb.Open("/change-password"), 200)
	tb.WantText("change password", "Change your password", "Sign out everywhere")
	tb.Look("change-password")
	tb.signOut()

	// The manager reads the policy and assigns the reviewer.
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantStatus("policy", tb.Load("follow Policy", chromedp.Click(chromedp.CSS(`a.govuk-service-navigation__link[href="/policy"]`))), 200)
	tb.WantText("policy", "Policy in force", "Housing Ombudsman Complaint Handling Code (2024) (code-2024)", "Compared with the Complaint Handling Code")
	tb.Look("policy")

	// The manager reads the reports: the measures of this reporting year,
	// the cases behind one of them, and the management figures, each
	// with the compensation and the learning just recorded.
	tb.WantStatus("reports", tb.Load("follow Reports", chromedp.Click(chromedp.CSS(`a.govuk-service-navigation__link[href="/reports"]`))), 200)
	year := report.YearOf(today)
	tb.WantText("reports", "Tenant Satisfaction Measures", "Complaints measures, "+year.String(), "How the measures are counted")
	if rows := tb.TableRows("Complaints measures, " + year.String()); len(rows) != 7 || len(rows[0]) < 2 || len(rows[2]) < 2 || !strings.HasPrefix(rows[0][0], "CH01(1)") ||
		!strings.Contains(rows[0][1], " 1 stage 1 complaints received, all homes of ") || !strings.HasPrefix(rows[2][1], "100.0% 1 responded to within the Code's timescale") {
		t.Errorf("the measures: %q", rows)
	}
	if got := browsertest.Eval[string](tb.Tab, `document.querySelector("svg[role=img]").getAttribute("aria-labelledby")`); got != "ch02-chart-title ch02-chart-desc" {
		t.Errorf("the chart is labelled by %q", got)
	}
	tb.Look("reports")
	tb.WantStatus("the cases behind CH02(1)", tb.Load("follow CH02(1)'s numerator",
		chromedp.Click(chromedp.CSS(`a[href="/reports/cases?measure=CH02%281%29&part=numerator&year=`+strconv.Itoa(int(year))+`"]`))), 200)
	tb.WantText("the cases behind CH02(1)", "Stage 1 complaints responded to within the Code's timescale", ref)
	tb.Look("report-cases")
	tb.WantStatus("management report", tb.Open("/reports/management"), 200)
	tb.WantText("management report", "Management report", "Contacts received by month", "Learning log",
		"Check boilers with repeat failures for replacement")
	wantTableRows(t, "compensation", tb.TableRows("Compensation offered and paid by kind"), [][]string{
		{"Time and trouble", "1", "£150.00", "0", "£0.00"}, {"Total", "1", "£150.00", "0", "£0.00"},
	})
	tb.Look("management-report")
	tb.Do("clear from", chromedp.Clear(chromedp.ID("from")))
	tb.TypeInto("from", "2026-02-30")
	tb.WantStatus("management report with a bad date", tb.Submit(`main form[action="/reports/management"] button[type="submit"]`), 400)
	tb.WantFieldError(tb.ErrorSummary("management report with a bad date"), "from", "Enter a real date, like 1 4 2026")
	tb.Look("management-report-error")
	tb.WantStatus("public summary", tb.Open("/summary"), 200)
	tb.WantText("public summary", "Our complaints performance", "How we counted")
	tb.Look("public-summary")

	// The manager writes the year's self-assessment, one section of the
	// Code at a time, and reads the annual report and the board pack.
	tb.WantStatus("annual review", tb.Open("/reports/review"), 200)
	tb.WantText("annual review", "Annual review "+year.String(), "You said, we did", "The governing body's response")
	tb.Look("annual-review")
	tb.WantStatus("self-assessment, section 6", tb.Load("follow section 6", chromedp.Click(chromedp.CSS(`a[href^="/reports/review/section/6?"]`))), 200)
	tb.Choose("p6-2-complies-yes")
	tb.Choose("p6-3-complies-no")
	tb.WantStatus("section 6 with no commentary", tb.Submit(`main form button[type="submit"]`), 400)
	tb.WantFieldError(tb.ErrorSummary("section 6 with no commentary"), "p6-3-commentary",
		"Provision 6.3: commentary must explain why the provision is not fully met and by when it will be, as the Code asks")
	tb.Look("review-section-error")
	if !tb.Checked("p6-3-complies-no") {
		t.Error("the answer was lost when the form came back with an error")
	}
	tb.TypeInto("p6-3-commentary", "Two late responses in June; a new rota from July")
	tb.WantStatus("section 6 saved", tb.Submit(`main form button[type="submit"]`), 200)
	tb.WantText("section 6 saved", "Saved: section 6")
	tb.WantStatus("annual report", tb.Open("/reports/pack?period="+strconv.Itoa(int(year))), 200)
	tb.WantText("annual report", "Annual complaints performance and service improvement report "+year.String(),
		"Trends against", "Provisions not fully met", "Two late responses in June")
	tb.Look("annual-report")
	tb.WantStatus("board pack", tb.Open("/reports/pack"), 200)
	tb.WantText("board pack", "Complaints board pack, ", "Tenant Satisfaction Measures, year to date")
	tb.Look("board-pack")

	tb.WantStatus("case page", tb.Open("/cases/"+ref), 200)
	tb.SelectOption("assign-handler", reviewer.Email)
	tb.WantStatus("assign", tb.Submit(`#assign button[type="submit"]`), 200)
	if got := tb.SummaryValue("Handler"); got != reviewer.Email {
		t.Errorf("handler %q after assigning, want the reviewer", got)
	}
	tb.WantText("assigned", "Assigned", "Handler: "+reviewer.Email)
	tb.signOut()

	// The admin sees the users.
	tb.WantStatus("sign in as the admin", tb.signIn("admin"), 200)
	tb.WantStatus("users", tb.Load("follow Users", chromedp.Click(chromedp.CSS(`a.govuk-service-navigation__link[href="/users"]`))), 200)
	var users [][]string
	for _, u := range browserUsers {
		sessions := "0"
		if u.Role == "admin" {
			sessions = "1" // this browser's
		}
		users = append(users, []string{u.Name, u.Email, u.Role, "Active", sessions, "Manage " + u.Email})
	}
	got := tb.TableRows("5 users")
	for _, row := range got {
		if len(row) < 2 {
			t.Fatalf("the users: a row without an email address: %q", got)
		}
	}
	slices.SortFunc(got, func(a, b []string) int { return strings.Compare(a[1], b[1]) })
	slices.SortFunc(users, func(a, b []string) int { return strings.Compare(a[1], b[1]) })
	wantTableRows(t, "users", got, users)
	tb.Look("users")
	tb.WantStatus("letters", tb.Load("follow Letters", chromedp.Click(chromedp.CSS(`a.govuk-service-navigation__link[href="/letters/templates"]`))), 200)
	tb.WantText("letters", "Kinds of letter", "Stage 1 response", "Built in")
	tb.Look("letter-templates")
	tb.WantStatus("a letter's wording", tb.Open("/letters/templates/stage1_response"), 200)
	tb.Look("letter-template")
	tb.WantStatus("letterhead", tb.Open("/letters/letterhead"), 200)
	tb.Look("letterhead")
	tb.signOut()

	// The reviewer acknowledges stage 2, responds and closes.
	tb.WantStatus("sign in as the reviewer", tb.signIn("reviewer"), 200)
	wantTableRows(t, "reviewer's open cases", tb.TableRows("My open cases"), [][]string{
		{ref, "Boiler keeps failing at 12 Mill Lane", "Acknowledge", pageDate(ack2)},
	})
	tb.WantStatus("case page", tb.Open("/cases/"+ref), 200)
	tb.TypeInto("acknowledge-points", "The boiler failed again after the stage 1 response")
	tb.WantStatus("acknowledge stage 2", tb.Submit(`#acknowledge button[type="submit"]`), 200)
	if got := tb.SummaryValue("Status"); got != "Acknowledged" {
		t.Errorf("status %q after acknowledging stage 2, want Acknowledged", got)
	}
	respond2 := workingDaysAfter(t, cal, today, 20)
	deadlines := tb.TableRows("Deadlines")
	needRows(t, "the deadlines once stage 2 is acknowledged", deadlines, 2)
	wantTableRows(t, "deadlines once stage 2 is acknowledged", deadlines[2:], [][]string{
		{"2", "Acknowledge", pageDate(ack2), pageDate(today) + " On time"},
		{"2", "Respond", pageDate(respond2), ""},
	})
	tb.WantText("stage 2 acknowledged", "Stage 2: the complaint", "The boiler failed again after the stage 1 response")
	tb.Look("case-stage-2-acknowledged")

	tb.Choose("respond-outcome-1-upheld")
	tb.TypeInto("respond-reasons-1", "The repair did not hold; the boiler will be replaced.")
	tb.WantStatus("record the stage 2 decisions", tb.Submit(`#respond button[type="submit"]`), 200)
	tb.WantStatus("draft the final response", tb.Load("follow Write the response letter", chromedp.Click(chromedp.CSS(`#next-step a[href="/cases/`+ref+`/letters/new?kind=stage2_response"]`))), 200)
	tb.WantStatus("check the final response", tb.Submit(`main form button.govuk-button--secondary`), 200)
	tb.WantStatus("issue the final response", tb.Submit(`main form button[formaction="/cases/`+ref+`/letters"]`), 200)
	if got := tb.SummaryValue("Status"); got != "Responded" {
		t.Errorf("status %q after the stage 2 response letter, want Responded", got)
	}
	deadlines = tb.TableRows("Deadlines")
	needRows(t, "the deadlines once stage 2 is responded to", deadlines, 2)
	wantTableRows(t, "deadlines once stage 2 is responded to", deadlines[2:], [][]string{
		{"2", "Acknowledge", pageDate(ack2), pageDate(today) + " On time"},
		{"2", "Respond", pageDate(respond2), pageDate(today) + " On time"},
	})
	tb.WantText("stage 2 responded", "Point 1: Upheld. The repair did not hold; the boiler will be replaced.")
	tb.NoText("stage 2 responded", "Escalate to stage 2")
	tb.Look("case-stage-2-responded")

	tb.WantStatus("close", tb.Submit(`#close button[type="submit"]`), 200)
	if got := tb.SummaryValue("Status"); got != "Closed" {
		t.Errorf("status %q after closing, want Closed", got)
	}
	wantTableRows(t, "deadlines once closed", tb.TableRows("Deadlines"), [][]string{
		{"1", "Acknowledge", pageDate(ack1), pageDate(today) + " On time"},
		{"1", "Respond", pageDate(respond1x), pageDate(today) + " On time"},
		{"2", "Acknowledge", pageDate(ack2), pageDate(today) + " On time"},
		{"2", "Respond", pageDate(respond2), pageDate(today) + " On time"},
	})
	tb.NoText("closed", "working days left", "Acknowledge and define", "Record the decisions")
	if c := tb.getCase(ref); c.Status != complaint.StatusClosed || c.Stage != 2 {
		t.Errorf("stored case is %s at stage %d, want closed at stage 2", c.Status, c.Stage)
	}
	tb.Look("case-closed")
	tb.signOut()

	// A viewer reads but cannot act, and sees the error pages.
	tb.WantStatus("sign in as the viewer", tb.signIn("viewer"), 200)
	tb.WantStatus("case page as a viewer", tb.Open("/cases/"+ref), 200)
	tb.NoText("case page as a viewer", "Next step", "Other actions", "Add a note")
	tb.WantStatus("log a contact as a viewer", tb.Open("/cases/new"), 403)
	tb.WantText("forbidden", "You cannot use this page", "your role (viewer) cannot use this page")
	tb.Look("forbidden")
	tb.WantStatus("a page that does not exist", tb.Open("/no-such-page"), 404)
	tb.WantText("not found", "Page not found", "Go to the dashboard")
	tb.Look("not-found")
	t.Logf("journey took %s", clock.Wall().Sub(start).Round(time.Millisecond))
}

// TestPagesWorkWithoutJavaScript signs in, logs a complaint and
// acknowledges it in a tab that runs no page script: every form must work
// as plain HTML.
func TestPagesWorkWithoutJavaScript(t *testing.T) {
	t.Parallel()
	start := clock.Wall()
	tb := newTab(t)
	tb.DisableJavaScript()

	tb.WantStatus("open", tb.Open("/"), 200)
	if browsertest.Eval[bool](tb.Tab, `document.body.classList.contains("js-enabled")`) {
		t.Fatal("the page ran init.js: JavaScript is not disabled")
	}
	tb.Look("sign-in")
	tb.WantStatus("sign in", tb.signIn("officer"), 200)
	tb.WantText("dashboard", "Dashboard")
	tb.Look("dashboard")

	tb.WantStatus("log a contact", tb.Open("/cases/new"), 200)
	tb.Look("log-a-contact")
	tb.TypeInto("complainant-name", "Sam Okafor")
	tb.TypeInto("complainant-phone", "01632 960456")
	tb.TypeInto("summary", "Damp in the back bedroom")
	tb.WantStatus("log the complaint", tb.Submit(`main form[action="/cases/new"] button[type="submit"]`), 200)
	tb.WantText("new case", "Logged as C-", "Sam Okafor", "Damp in the back bedroom")
	ref := strings.TrimSuffix(strings.TrimPrefix(browsertest.Eval[string](tb.Tab, `document.querySelector(".govuk-notification-banner__heading").innerText`), "Logged as "), ".")
	if got := tb.SummaryValue("Status"); got != "Received" {
		t.Errorf("status %q, want Received", got)
	}
	tb.Look("case-received")

	tb.TypeInto("acknowledge-points", "Damp and mould in the back bedroom")
	tb.WantStatus("acknowledge", tb.Submit(`#acknowledge button[type="submit"]`), 200)
	if got := tb.SummaryValue("Status"); got != "Acknowledged" {
		t.Errorf("status %q after acknowledging, want Acknowledged", got)
	}
	tb.WantText("acknowledged", "Damp and mould in the back bedroom")
	if c := tb.getCase(ref); c.Status != complaint.StatusAcknowledged || !slices.Equal(c.Current().Points, []string{"Damp and mould in the back bedroom"}) {
		t.Errorf("stored case %s is %s with points %q", ref, c.Status, c.Current().Points)
	}
	if browsertest.Eval[bool](tb.Tab, `document.body.classList.contains("js-enabled")`) {
		t.Fatal("the page ran init.js: JavaScript is not disabled")
	}
	tb.Look("case-acknowledged")
	t.Logf("took %s", clock.Wall().Sub(start).Round(time.Millisecond))
}
