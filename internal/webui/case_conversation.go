package webui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// conversation is the case's whole history in one list, newest first:
// every event (what the resident sent, with its text; every letter;
// every note; every decision) and every email sent about the case that
// is not a letter (a letter's email is the letter, shown with it). An
// officer reads the case from here rather than from four tables.
func conversation(events []complaint.Event, outbox []store.OutboundMessage) []timelineEntry {
	out := make([]timelineEntry, 0, len(events)+len(outbox))
	for _, ev := range events {
		out = append(out, describeEvent(ev))
	}
	for _, m := range outbox {
		if m.Kind == "letter" {
			continue
		}
		out = append(out, timelineEntry{Kind: "email, " + emailKind(m), At: formatTime(m.QueuedAt), at: m.QueuedAt,
			Detail: []string{"To: " + m.To, "Subject: " + m.Subject, "Status: " + emailStatus(m)}})
	}
	// Stable, so that events recorded in the same instant keep their
	// order; reversed, so that the newest is first.
	slices.SortStableFunc(out, func(a, b timelineEntry) int { return a.at.Compare(b.at) })
	slices.Reverse(out)
	return out
}

// definitionChanges says what an amendment of the complaint definition
// changed, point by point, in the numbering the officer saw before it.
func definitionChanges(m map[string]any) []string {
	before, _ := m["before"].(map[string]any)
	points := stringsOf(before["points"])
	old := func(n int) string {
		if n >= 1 && n <= len(points) {
			return "“" + points[n-1] + "”"
		}
		return ""
	}
	var out []string
	if rs, ok := m["reword"].([]any); ok {
		for _, r := range rs {
			rm, _ := r.(map[string]any)
			n := int(toFloat(rm["point"]))
			out = append(out, "Point "+strconv.Itoa(n)+" reworded from "+old(n)+" to “"+toString(rm["text"])+"”")
		}
	}
	if ws, ok := m["withdraw"].([]any); ok {
		for _, w := range ws {
			n := int(toFloat(w))
			out = append(out, "Point "+strconv.Itoa(n)+" withdrawn: "+old(n))
		}
	}
	for _, a := range stringsOf(m["add"]) {
		out = append(out, "Point added: “"+a+"”")
	}
	if _, ok := m["outcomes_sought"]; ok {
		after, _ := m["after"].(map[string]any)
		out = append(out, "Outcomes sought: "+orNone(strings.Join(stringsOf(before["outcomes_sought"]), "; "))+
			" changed to "+orNone(strings.Join(stringsOf(after["outcomes_sought"]), "; ")))
	}
	return out
}

func stringsOf(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, toString(x))
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// doneMessage is the success banner after a command on the case page
// (the page's form name, from the redirect's done parameter): what
// happened, in words, beside which the page says what is next. An
// unknown name shows nothing, so a link cannot make the page claim
// something happened.
func doneMessage(form string, c complaint.Case) string {
	st := c.Current()
	switch form {
	case "acknowledge":
		if st != nil {
			return "The complaint is acknowledged and defined: the response is due " + formatDate(st.RespondBy) + "."
		}
	case "assign":
		return "The case is assigned to " + c.Handler + "."
	case "extend":
		if st != nil {
			return "The response deadline is extended to " + formatDate(st.RespondBy) + ". Tell the resident, with the Ombudsman's details: the extension letter does it."
		}
	case "respond":
		return "The decisions are recorded as a draft. The resident has not had the response yet: it goes with the response letter."
	case "escalate":
		return "The complaint is escalated to stage 2."
	case "close":
		return "The case is closed."
	case "withdraw":
		return "The withdrawal is recorded and the case is closed."
	case "refuse":
		return "The complaint is refused. Tell the resident why, with their right to go to the Housing Ombudsman: the refusal letter does it."
	case "convert":
		return "It is now treated as a complaint."
	case "milestone":
		return "The step is recorded."
	case "notes":
		return "The note is added."
	case "link":
		return "The cases are linked."
	case "details":
		return "The details are saved; the timeline shows what changed."
	case "definition":
		return "The complaint definition is amended; the timeline shows the before and after."
	case "supersede":
		return "The remedy is superseded."
	case "file":
		return "The file or record of contact is added to the case."
	case "remedy":
		return "The remedy is marked done."
	case "mark-read":
		return "What the resident sent is marked as read."
	case "member-acknowledge":
		if c.Member != nil {
			return "The enquiry is acknowledged: the response is due " + formatDate(c.Member.RespondBy) + "."
		}
	case "member-response":
		return "The response is recorded. It goes to the member with the response letter."
	case "response-method":
		return "How the resident wants to be answered is recorded: " + lowerFirst(responseMethodLabel(c.ResponseMethod)) + "."
	case formSafetyFlag:
		return "The health and safety flag is updated."
	case formSafetyAcknowledge:
		return "The health and safety flag is acknowledged."
	case formHazard, formHazardStep, formAccommodation:
		return "The hazard record is updated."
	case formOmbudsmanReferral, formOmbudsmanRequest, formOmbudsmanApproval, formOmbudsmanSent, formOmbudsmanDetermination, formOmbudsmanCompliance:
		return ombudsmanDone(form)
	case formSignOff, formSignOffWaiver, formMediation, formAdditional:
		return withinStageDone(form)
	case "compliment":
		return "The compliment is passed on: those praised and their manager are emailed the compliment notice."
	case formTenancy:
		if c.Tenancy != nil {
			return "The case is matched to tenancy " + c.Tenancy.Ref + ": its tenure and the complainant's address are set from the register."
		}
		return "The tenancy match is removed."
	case formGroup:
		return "The group and its members are recorded."
	case formGroupCopies:
		return "A copy of the response is sent to every member: by email where they gave one; post the others."
	}
	return ""
}

// remediesTyped reports whether the response form just sent had any
// remedy typed or any remedy error, so that its remedies stay open.
func remediesTyped(form url.Values, errs []fieldError) bool {
	for k, v := range form {
		if strings.HasPrefix(k, "remedy.") && strings.Join(v, "") != "" {
			return true
		}
	}
	for _, e := range errs {
		if strings.HasPrefix(e.Field, "respond.remedy.") {
			return true
		}
	}
	return false
}
