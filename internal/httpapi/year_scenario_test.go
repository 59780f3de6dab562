package httpapi

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
)

// TestAReportingYearsCH01AndCH02MatchTheHandCount drives the reporting
// year 2026/27 (1 April 2026 to 31 March 2027) through the API on a real
// SQLite file under the Code's own policy, with the edge cases of issue
// 12's rules, and checks every CH01 and CH02 figure, stage 1 and 2, for
// "All", low-cost rental (LCRA), low-cost home ownership (LCHO) and the
// lines beside them (other tenures; tenure not recorded), and the cases
// behind each, against the count below, worked out by hand.
//
// Working days are England and Wales's: the holidays in reach are Good
// Friday 3 Apr and Easter Monday 6 Apr 2026 and the summer bank holiday
// Mon 31 Aug 2026; nothing else falls in the periods used. Every command
// is at 10:00 UTC and every letter at 15:00 UTC, the same London date in
// summer time and out of it, except where a case says otherwise: the
// year runs by the date in London, and P and R are half an hour after
// midnight on 1 April in London, still 31 March in UTC. Under the Code a stage 1 complaint is
// acknowledged within 5 working days of receipt and answered within 10
// of the acknowledgement, or of the day it was due if that is earlier
// (rule 2); stage 2 within 5 and 20. A stage is responded on the day its
// response letter is sent (rule 1).
//
// The cases (officers olive and sam handle stage 1; rex, a reviewer, is
// the only one to act at stage 2):
//
//	A  LCRA. Received Mon 23 Mar 2026, the year before. Acknowledged Wed
//	   25 Mar; due 10 working days on: 26, 27, 30, 31 Mar, 1, 2, 7-10 Apr
//	   (Easter skipped), Fri 10 Apr. Letter Thu 9 Apr: on time. Not in
//	   this year's CH01; in its CH02(1), within.
//	B  LCRA, a late acknowledgement (rule 2). Received Mon 7 Sep; the
//	   acknowledgement was due Mon 14 Sep (8-11, 14) and came Wed 16 Sep.
//	   Our own deadline runs from 16 Sep to Wed 30 Sep; the Code's from 14
//	   Sep: 15-18, 21-25, 28, Mon 28 Sep. Letter Tue 29 Sep: late.
//	C  LCHO, an extension after the due date (rule 3). Received Mon 5 Oct,
//	   acknowledged Tue 6 Oct, due Tue 20 Oct (7-9, 12-16, 19, 20).
//	   Extended 5 days on Wed 21 Oct: the resident is promised Tue 27 Oct
//	   (21-23, 26, 27); the Code's date stays 20 Oct. Letter Mon 26 Oct:
//	   late.
//	D  LCHO, beyond the cap with a good reason (rule 4). Received Mon 2
//	   Nov, acknowledged Tue 3 Nov, due Tue 17 Nov (4-6, 9-13, 16, 17).
//	   On Thu 12 Nov 15 days, agreed with the resident, are refused
//	   without a good reason and given with one: Tue 8 Dec (18-20, 23-27,
//	   30 Nov, 1-4, 7, 8 Dec). Letter Mon 7 Dec: on time.
//	E  LCRA, beyond the cap refused (rule 4). As D until the 15 days are
//	   refused for want of a good reason; 10 days, the cap, are given
//	   instead: Tue 1 Dec (18-20, 23-27, 30 Nov, 1 Dec). Letter Thu 3 Dec:
//	   late (it would have been on time with the 15 days).
//	F  Other tenure (a leaseholder; rule 7). Received Mon 14 Sep,
//	   acknowledged Tue 15 Sep, due Tue 29 Sep (16-18, 21-25, 28, 29).
//	   Letter Fri 25 Sep: on time. Escalated Mon 5 Oct; rex acknowledges
//	   Tue 6 Oct, due 20 days on, Tue 3 Nov (7-9, 12-16, 19-23, 26-30
//	   Oct, 2, 3 Nov). Letter Fri 30 Oct: on time.
//	G  No tenure recorded (rule 7). Received Mon 12 Oct, acknowledged Tue
//	   13 Oct, due Tue 27 Oct (14-16, 19-23, 26, 27). Letter Mon 19 Oct:
//	   on time.
//	H  LCRA, decisions without a letter (rule 1). Received Mon 1 Mar 2027,
//	   acknowledged Tue 2 Mar, due Tue 16 Mar (3-5, 8-12, 15, 16).
//	   Decisions recorded Fri 12 Mar; no letter by 31 March: not
//	   responded, so in CH01(1) and in no CH02, and it cannot be closed.
//	I  LCHO, decisions in time, letter late (rule 1). Received Mon 11 Jan
//	   2027, acknowledged Wed 13 Jan, due Wed 27 Jan (14, 15, 18-22, 25-27).
//	   Decisions recorded Mon 25 Jan; letter Mon 1 Feb: late, responded 1
//	   Feb. Escalated Mon 15 Mar 2027 and acknowledged by rex Wed 17 Mar;
//	   no stage 2 response by 31 March: in CH01(2), in no CH02(2).
//	J1 LCRA, an enquiry converted (rule 5). Received Thu 26 Mar 2026, the
//	   year before; converted Wed 8 Apr 2026, dissatisfied since receipt:
//	   the complaint dates from 26 Mar 2026, so it is not in this year's
//	   CH01. Its acknowledgement was due Thu 2 Apr (27, 30, 31 Mar, 1, 2
//	   Apr) and came Thu 9 Apr: the Code's date is 10 days from 2 Apr, Mon
//	   20 Apr (7-10, 13-17, 20). Letter Fri 17 Apr: on time, in CH02(1).
//	J2 LCHO, an enquiry converted (rule 5). Received Wed 25 Mar 2026;
//	   converted Tue 14 Apr 2026, the officer recording that the resident
//	   was dissatisfied from Mon 13 Apr 2026: the complaint dates from 13
//	   Apr, in this year's CH01. Acknowledged Wed 15 Apr, due Wed 29 Apr
//	   (16, 17, 20-24, 27-29). Letter Tue 28 Apr: on time.
//	K  LCRA, refused (legal proceedings) the day after it was received,
//	   Mon 1 Jun: in no figure.
//	L  Logged Mon 8 Jun without a tenure, acknowledged Tue 9 Jun, withdrawn
//	   Fri 12 Jun; an officer records LCHO on Mon 15 Jun (rule 7). A
//	   withdrawn complaint counts in CH01(1); it has no response.
//	M  LCRA, stage 2 independent of stage 1 (rule 6). Received Mon 6 Jul,
//	   acknowledged by olive Tue 7 Jul, due Tue 21 Jul (8-10, 13-17, 20,
//	   21); olive records the decisions Mon 20 Jul and sam sends the
//	   letter that day: on time. Escalated Mon 3 Aug. sam may not be
//	   assigned (he issued a stage 1 letter), olive may not acknowledge,
//	   sam may not extend, olive may not send the stage 2 letter: each a
//	   409. rex is assigned, acknowledges Wed 5 Aug, due Thu 3 Sep (6, 7,
//	   10-14, 17-21, 24-28 Aug, 1-3 Sep; 31 Aug skipped), records the
//	   decisions Tue 1 Sep and sends the letter Wed 2 Sep: on time.
//	N  LCHO. Received Mon 20 Jul, acknowledged Tue 21 Jul, due Tue 4 Aug
//	   (22-24, 27-31 Jul, 3, 4 Aug). Letter Wed 5 Aug: late. Escalated Thu
//	   6 Aug; the acknowledgement was due Thu 13 Aug (7, 10-13) and rex
//	   gives it late, Mon 17 Aug (rule 2 at stage 2, Code 6.11 with 6.14):
//	   our own deadline is 20 days from 17 Aug, Tue 15 Sep (18-21, 24-28
//	   Aug, 1-4, 7-11, 14, 15 Sep); the Code's from 13 Aug, Fri 11 Sep
//	   (14, 17-21, 24-28 Aug, 1-4, 7-11 Sep). Letter Mon 14 Sep: late.
//	P  LCRA, received 23:30 UTC on Tue 31 Mar 2026, which is 00:30 on Wed
//	   1 Apr in London: this year. Acknowledgement due Fri 10 Apr (2, 7-10
//	   Apr), given Thu 2 Apr; due Mon 20 Apr (7-10, 13-17, 20). Letter Thu
//	   16 Apr: on time.
//	R  LCHO. Received Mon 8 Mar 2027, acknowledged Tue 9 Mar, due Tue 23
//	   Mar (10-12, 15-19, 22, 23). Decisions recorded Mon 22 Mar; the
//	   letter goes at 23:30 UTC on Wed 31 Mar, 00:30 on Thu 1 Apr 2027 in
//	   London: late, and a response of 2027/28, in none of this year's
//	   CH02 (and in next year's, late).
//	S  LCRA, a service request converted (rule 5). Received Mon 30 Mar
//	   2026, the year before; on Mon 13 Apr the officer records that the
//	   resident was dissatisfied from Fri 10 Apr 2026. The request stays
//	   open and a complaint is opened beside it, linked, dated 10 Apr:
//	   this year. Acknowledgement due Fri 17 Apr (13-17), given Tue 14
//	   Apr; due Tue 28 Apr (15-17, 20-24, 27, 28). Letter Mon 27 Apr: on
//	   time. The service request itself is in no figure.
//
// Homes in 2026/27: 2,000 LCRA and 500 LCHO, so 2,500 for "All".
//
// CH01, stage complaints received in the year (refused ones left out),
// per 1,000 homes; other tenures and no tenure are plain counts:
//
//	CH01(1) LCRA  B E H M P S         6 / 2,000 x 1,000 =  3.0
//	        LCHO  C D I J2 L N R      7 /   500 x 1,000 = 14.0
//	        All   the 13 above       13 / 2,500 x 1,000 =  5.2
//	        other F                   1
//	        none  G                   1
//	        (A and J1 date from 2025/26; K was refused.)
//	CH01(2) LCRA  M                   1 / 2,000 x 1,000 =  0.5
//	        LCHO  I N                 2 /   500 x 1,000 =  4.0
//	        All   I M N               3 / 2,500 x 1,000 =  1.2
//	        other F                   1
//	        none  -                   0
//
// CH02, stage responses sent in the year and those within the Code:
//
//	CH02(1) LCRA  A J1 M P S of A B E J1 M P S  5 / 7  =  71.4%
//	        LCHO  D J2 of C D I J2 N            2 / 5  =  40.0%
//	        All   the two together              7 / 12 =  58.3%
//	        other F of F                        1 / 1  = 100.0%
//	        none  G of G                        1 / 1  = 100.0%
//	        (H is not responded, R not in this year; K and L never were.)
//	CH02(2) LCRA  M of M                    1 / 1 = 100.0%
//	        LCHO  none of N                 0 / 1 =   0.0%
//	        All   M of M N                  1 / 2 =  50.0%
//	        other F of F                    1 / 1 = 100.0%
//	        none  -                         0 / 0, no figure
//	        (I's stage 2 is not responded.)
//
// In 2027/28, CH02(1) is R alone, late: LCHO and All 0 / 1.
//
// Before issue 12's rules Redress would have said otherwise: H responded
// (on time) on 12 Mar and I and R on 25 Jan and 22 Mar, B, C and N's
// stage 2 within the Code, D late (its 15 days capped at 10), J1 in this
// year's CH01 (dated from its conversion), and F's and G's complaints in
// "All".
func TestAReportingYearsCH01AndCH02MatchTheHandCount(t *testing.T) {
	// The clock is pinned after the year's end; a letter moves it to the
	// day it is sent for that one request (sendResponse).
	a := newAPI(t, "code-2024", time.Date(2027, 4, 15, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	sam := a.user("sam", "officer")
	rex := a.user("rex", "reviewer")
	const lcra, lcho, other complaint.Tenure = "low_cost_rental", "low_cost_home_ownership", "other"
	refs := map[string]string{}

	at := func(day string) string { return day + "T10:00:00Z" }
	sent := func(day string) string { return day + "T15:00:00Z" }
	path := func(name, command string) string { return "/api/v1/cases/" + refs[name] + "/" + command }
	// open logs a contact received on a day, at 10:00, or at a time.
	open := func(name, kind, received string, tenure complaint.Tenure) {
		t.Helper()
		if !strings.Contains(received, "T") {
			received = at(received)
		}
		body := newComplaint(received)
		body["kind"] = kind
		if tenure == "" {
			delete(body, "tenure")
		} else {
			body["tenure"] = string(tenure)
		}
		refs[name] = getString(t, a.must(201, "olive", "POST", "/api/v1/cases", body).body, "reference")
	}
	do := func(who, name, command, day string, body map[string]any) reply {
		t.Helper()
		body["at"] = at(day)
		return a.must(200, who, "POST", path(name, command), body)
	}
	ack := func(who, name, day string) reply {
		return do(who, name, "acknowledge", day, map[string]any{"points": []string{"The repair was not done"}})
	}
	decisions := func(day string) map[string]any {
		return map[string]any{"at": at(day), "decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "The repair was late."}}}
	}
	// respond records the decisions on decided and sends the letter on
	// sentOn, and checks the stage was responded on the letter's date.
	respond := func(who, name, decided, sentOn string) reply {
		t.Helper()
		r := a.respondAndSend(who, refs[name], decisions(decided), sent(sentOn))
		stage := int(r.body["stage"].(float64))
		if got := get(r.body, "stages", stage-1, "responded_at"); r.body["status"] != "responded" || got != sent(sentOn) {
			t.Errorf("%s stage %d: status %v, responded_at %v; want responded at the letter's time %s", name, stage, r.body["status"], got, sent(sentOn))
		}
		return r
	}
	codeBy := func(name string, r reply, stage int, want string) {
		t.Helper()
		if got := get(r.body, "stages", stage-1, "code_respond_by"); got != want {
			t.Errorf("%s stage %d: the Code's response date is %v, want %s", name, stage, got, want)
		}
	}
	escalate := func(name, day string) {
		t.Helper()
		do("olive", name, "escalate", day, map[string]any{})
		a.must(200, "admin", "POST", path(name, "assign"), map[string]any{"handler": rex, "at": day + "T11:00:00Z"})
	}
	extend := func(days int) map[string]any {
		return map[string]any{"working_days": days, "reason": "Waiting for the contractor's survey", "ombudsman_details_given": true}
	}

	// A: received the year before, answered in this one.
	open("A", "complaint", "2026-03-23", lcra)
	codeBy("A", ack("olive", "A", "2026-03-25"), 1, "2026-04-10")
	respond("olive", "A", "2026-04-09", "2026-04-09")

	// B: rule 2, a late acknowledgement buys no time.
	open("B", "complaint", "2026-09-07", lcra)
	r := ack("olive", "B", "2026-09-16")
	codeBy("B", r, 1, "2026-09-28")
	if got := get(r.body, "stages", 0, "respond_by"); got != "2026-09-30" {
		t.Errorf("B: our own response date is %v, want 2026-09-30, from the actual acknowledgement", got)
	}
	respond("olive", "B", "2026-09-29", "2026-09-29")

	// C: rule 3, an extension given after the due date.
	open("C", "complaint", "2026-10-05", lcho)
	codeBy("C", ack("olive", "C", "2026-10-06"), 1, "2026-10-20")
	r = do("olive", "C", "extend", "2026-10-21", extend(5))
	codeBy("C", r, 1, "2026-10-20")
	if get(r.body, "stages", 0, "respond_by") != "2026-10-27" || get(r.body, "stages", 0, "extensions", 0, "late") != true {
		t.Errorf("C: respond_by %v, extension %v; want 2026-10-27 promised and the extension marked late",
			get(r.body, "stages", 0, "respond_by"), get(r.body, "stages", 0, "extensions", 0))
	}
	respond("olive", "C", "2026-10-26", "2026-10-26")

	// D and E: rule 4, beyond the cap with a good reason, and refused
	// without one.
	for _, name := range []string{"D", "E"} {
		tenure := map[string]complaint.Tenure{"D": lcho, "E": lcra}[name]
		open(name, "complaint", "2026-11-02", tenure)
		codeBy(name, ack("olive", name, "2026-11-03"), 1, "2026-11-17")
		over := extend(15)
		over["agreed_with_resident"], over["at"] = true, at("2026-11-12")
		if bad := a.must(400, "olive", "POST", path(name, "extend"), over); get(bad.body, "error", "fields", "good_reason") == nil {
			t.Errorf("%s: 15 working days without a good reason: the error does not name good_reason: %s", name, bad.raw)
		}
	}
	over := extend(15)
	over["agreed_with_resident"], over["good_reason"] = true, "The roof needs scaffolding, which needs the highway authority's permit"
	codeBy("D", do("olive", "D", "extend", "2026-11-12", over), 1, "2026-12-08")
	respond("olive", "D", "2026-12-07", "2026-12-07")
	codeBy("E", do("olive", "E", "extend", "2026-11-12", extend(10)), 1, "2026-12-01")
	respond("olive", "E", "2026-12-03", "2026-12-03")

	// F: another tenure, at both stages.
	open("F", "complaint", "2026-09-14", other)
	codeBy("F", ack("olive", "F", "2026-09-15"), 1, "2026-09-29")
	respond("olive", "F", "2026-09-25", "2026-09-25")
	escalate("F", "2026-10-05")
	codeBy("F", ack("rex", "F", "2026-10-06"), 2, "2026-11-03")
	respond("rex", "F", "2026-10-30", "2026-10-30")

	// G: no tenure recorded.
	open("G", "complaint", "2026-10-12", "")
	codeBy("G", ack("olive", "G", "2026-10-13"), 1, "2026-10-27")
	respond("olive", "G", "2026-10-19", "2026-10-19")

	// H: rule 1, decisions recorded and no letter by the year's end.
	open("H", "complaint", "2027-03-01", lcra)
	codeBy("H", ack("olive", "H", "2027-03-02"), 1, "2027-03-16")
	r = a.must(200, "olive", "POST", path("H", "respond"), decisions("2027-03-12"))
	if r.body["status"] != "acknowledged" || get(r.body, "stages", 0, "responded_at") != nil {
		t.Errorf("H after its decisions: status %v, responded_at %v; want a draft, not a response", r.body["status"], get(r.body, "stages", 0, "responded_at"))
	}
	a.must(409, "olive", "POST", path("H", "close"), map[string]any{"at": at("2027-03-31")})

	// I: rule 1, decisions in time and the letter late; then a stage 2
	// not answered by the year's end.
	open("I", "complaint", "2027-01-11", lcho)
	codeBy("I", ack("olive", "I", "2027-01-13"), 1, "2027-01-27")
	respond("olive", "I", "2027-01-25", "2027-02-01")
	escalate("I", "2027-03-15")
	ack("rex", "I", "2027-03-17")

	// J1 and J2: rule 5, enquiries converted, dated from the
	// dissatisfaction.
	open("J1", "enquiry", "2026-03-26", lcra)
	r = do("olive", "J1", "convert", "2026-04-08", map[string]any{})
	if r.body["kind"] != "complaint" || get(r.body, "stages", 0, "received_at") != at("2026-03-26") || get(r.body, "stages", 0, "acknowledge_by") != "2026-04-02" {
		t.Errorf("J1 converted: kind %v, received_at %v, acknowledge_by %v; want a complaint from 2026-03-26, acknowledged by 2026-04-02",
			r.body["kind"], get(r.body, "stages", 0, "received_at"), get(r.body, "stages", 0, "acknowledge_by"))
	}
	codeBy("J1", ack("olive", "J1", "2026-04-09"), 1, "2026-04-20")
	respond("olive", "J1", "2026-04-17", "2026-04-17")

	open("J2", "enquiry", "2026-03-25", lcho)
	r = do("olive", "J2", "convert", "2026-04-14", map[string]any{"dissatisfied_at": at("2026-04-13")})
	if get(r.body, "stages", 0, "received_at") != at("2026-04-13") {
		t.Errorf("J2 converted: received_at %v, want the dissatisfaction's %s", get(r.body, "stages", 0, "received_at"), at("2026-04-13"))
	}
	codeBy("J2", ack("olive", "J2", "2026-04-15"), 1, "2026-04-29")
	respond("olive", "J2", "2026-04-28", "2026-04-28")

	// K: refused. L: withdrawn, its tenure recorded afterwards.
	open("K", "complaint", "2026-06-01", lcra)
	do("olive", "K", "refuse", "2026-06-02", map[string]any{"exclusion": "legal_proceedings", "explanation": "A claim was filed at court on 28 May"})
	open("L", "complaint", "2026-06-08", "")
	ack("olive", "L", "2026-06-09")
	do("olive", "L", "withdraw", "2026-06-12", map[string]any{"reason": "Put right by the repairs team"})
	do("olive", "L", "details", "2026-06-15", map[string]any{"tenure": string(lcho), "reason": "Checked the lease: shared ownership"})

	// M: rule 6, stage 2 by someone not involved at stage 1.
	open("M", "complaint", "2026-07-06", lcra)
	codeBy("M", ack("olive", "M", "2026-07-07"), 1, "2026-07-21")
	a.must(200, "olive", "POST", path("M", "respond"), decisions("2026-07-20"))
	a.sendResponse("sam", refs["M"], 1, sent("2026-07-20"))
	do("olive", "M", "escalate", "2026-08-03", map[string]any{})
	involved := func(what string, r reply) {
		t.Helper()
		if r.status != 409 || !strings.Contains(r.raw, "6.13") {
			t.Errorf("M: %s at stage 2: %d %s; want 409 citing the Code's 6.13", what, r.status, r.raw)
		}
	}
	involved("sam, who sent the stage 1 letter, assigned", a.call("admin", "POST", path("M", "assign"), map[string]any{"handler": sam}))
	involved("olive, who handled stage 1, acknowledging", a.call("olive", "POST", path("M", "acknowledge"), map[string]any{"points": []string{"x"}}))
	a.must(200, "admin", "POST", path("M", "assign"), map[string]any{"handler": rex, "at": "2026-08-03T11:00:00Z"})
	codeBy("M", ack("rex", "M", "2026-08-05"), 2, "2026-09-03")
	involved("sam extending", a.call("sam", "POST", path("M", "extend"), extend(5)))
	a.must(200, "rex", "POST", path("M", "respond"), decisions("2026-09-01"))
	involved("olive sending the stage 2 response", a.call("olive", "POST", path("M", "letters"),
		map[string]any{"kind": "stage2_response", "channel": "print", "address": postalAddress}))
	a.sendResponse("rex", refs["M"], 2, sent("2026-09-02"))
	if m := a.must(200, "rex", "GET", "/api/v1/cases/"+refs["M"], nil); m.body["status"] != "responded" || m.body["handler"] != rex ||
		get(m.body, "stages", 1, "responded_at") != sent("2026-09-02") {
		t.Errorf("M after stage 2: status %v, handler %v, responded_at %v", m.body["status"], m.body["handler"], get(m.body, "stages", 1, "responded_at"))
	}
	if ls := getList(t, a.must(200, "rex", "GET", path("M", "letters"), nil).body, "letters"); len(ls) != 2 ||
		get(ls[0], "issued_by") != sam || get(ls[1], "issued_by") != rex {
		t.Errorf("M's letters: %v; want the stage 1 response by %s and the stage 2 by %s only", ls, sam, rex)
	}

	// N: late at both stages.
	open("N", "complaint", "2026-07-20", lcho)
	codeBy("N", ack("olive", "N", "2026-07-21"), 1, "2026-08-04")
	respond("olive", "N", "2026-08-05", "2026-08-05")
	escalate("N", "2026-08-06")
	r = ack("rex", "N", "2026-08-17")
	codeBy("N", r, 2, "2026-09-11")
	if got := get(r.body, "stages", 1, "respond_by"); got != "2026-09-15" {
		t.Errorf("N stage 2: our own response date is %v, want 2026-09-15, from the actual acknowledgement", got)
	}
	respond("rex", "N", "2026-09-14", "2026-09-14")

	// P and R: the year's two ends, by the date in London.
	open("P", "complaint", "2026-03-31T23:30:00Z", lcra)
	r = ack("olive", "P", "2026-04-02")
	codeBy("P", r, 1, "2026-04-20")
	if got := get(r.body, "stages", 0, "acknowledge_by"); got != "2026-04-10" {
		t.Errorf("P: acknowledge by %v, want 2026-04-10, five working days from 1 April in London", got)
	}
	respond("olive", "P", "2026-04-16", "2026-04-16")
	open("R", "complaint", "2027-03-08", lcho)
	codeBy("R", ack("olive", "R", "2027-03-09"), 1, "2027-03-23")
	if r := a.respondAndSend("olive", refs["R"], decisions("2027-03-22"), "2027-03-31T23:30:00Z"); get(r.body, "stages", 0, "responded_at") != "2027-03-31T23:30:00Z" {
		t.Errorf("R: responded_at %v, want the letter's time", get(r.body, "stages", 0, "responded_at"))
	}

	// S: rule 5, a service request converted opens a complaint beside it.
	open("S request", "service_request", "2026-03-30", lcra)
	r = do("olive", "S request", "convert", "2026-04-13", map[string]any{"dissatisfied_at": at("2026-04-10")})
	refs["S"] = getString(t, r.body, "reference")
	if refs["S"] == refs["S request"] || r.body["kind"] != "complaint" || get(r.body, "stages", 0, "received_at") != at("2026-04-10") ||
		r.body["tenure"] != string(lcra) || !slices.Contains(getList(t, r.body, "links"), any(refs["S request"])) {
		t.Errorf("converting the service request gave %s: kind %v, received_at %v, tenure %v, links %v; want a new LCRA complaint from %s linked to %s",
			refs["S"], r.body["kind"], get(r.body, "stages", 0, "received_at"), r.body["tenure"], r.body["links"], at("2026-04-10"), refs["S request"])
	}
	if sr := a.must(200, "olive", "GET", "/api/v1/cases/"+refs["S request"], nil); sr.body["kind"] != "service_request" || sr.body["status"] != "received" {
		t.Errorf("the service request after conversion: kind %v, status %v; want it kept open as a service request", sr.body["kind"], sr.body["status"])
	}
	codeBy("S", ack("olive", "S", "2026-04-14"), 1, "2026-04-28")
	respond("olive", "S", "2026-04-27", "2026-04-27")

	if l := getList(t, a.must(200, "olive", "GET", "/api/v1/cases?no_tenure=true", nil).body, "cases"); len(l) != 1 || get(l[0], "reference") != refs["G"] {
		t.Errorf("the cases needing a tenure: %v, want G (%s) alone", l, refs["G"])
	}

	// The year's measures, read through the API as a landlord's own tools
	// would. The API has no way to record homes, so they go through the
	// store as the manager's homes form records them.
	ctx := context.Background()
	if err := a.st.SetHomes(ctx, policy.Homes{Year: 2026, LowCostRental: 2000, LowCostHomeOwnership: 500}, "admin@example.org", a.clock.now()); err != nil {
		t.Fatal(err)
	}
	if r := a.call("olive", "GET", "/api/v1/reports/tsm?year=2026", nil); r.status != 403 {
		t.Errorf("an officer reading the measures: %d, want 403", r.status)
	}
	var tsm report.TSM
	if err := json.Unmarshal([]byte(a.must(200, "admin", "GET", "/api/v1/reports/tsm?year=2026", nil).raw), &tsm); err != nil {
		t.Fatal(err)
	}

	tenures := map[string]string{"All": "", "LCRA": string(lcra), "LCHO": string(lcho), "other": string(other), "none": string(report.NotRecorded)}
	for _, w := range []struct {
		id, tenure string
		num, den   int
		value      float64
		valid      bool
		// The cases behind the numerator and, for CH02, the denominator.
		cases, of string
	}{
		{report.CH01Stage1, "All", 13, 2500, 5.2, true, "B C D E H I J2 L M N P R S", ""},
		{report.CH01Stage1, "LCRA", 6, 2000, 3.0, true, "B E H M P S", ""},
		{report.CH01Stage1, "LCHO", 7, 500, 14.0, true, "C D I J2 L N R", ""},
		{report.CH01Stage1, "other", 1, 0, 0, false, "F", ""},
		{report.CH01Stage1, "none", 1, 0, 0, false, "G", ""},
		{report.CH01Stage2, "All", 3, 2500, 1.2, true, "I M N", ""},
		{report.CH01Stage2, "LCRA", 1, 2000, 0.5, true, "M", ""},
		{report.CH01Stage2, "LCHO", 2, 500, 4.0, true, "I N", ""},
		{report.CH01Stage2, "other", 1, 0, 0, false, "F", ""},
		{report.CH01Stage2, "none", 0, 0, 0, false, "", ""},
		{report.CH02Stage1, "All", 7, 12, 58.3, true, "A D J1 J2 M P S", "A B C D E I J1 J2 M N P S"},
		{report.CH02Stage1, "LCRA", 5, 7, 71.4, true, "A J1 M P S", "A B E J1 M P S"},
		{report.CH02Stage1, "LCHO", 2, 5, 40.0, true, "D J2", "C D I J2 N"},
		{report.CH02Stage1, "other", 1, 1, 100.0, true, "F", "F"},
		{report.CH02Stage1, "none", 1, 1, 100.0, true, "G", "G"},
		{report.CH02Stage2, "All", 1, 2, 50.0, true, "M", "M N"},
		{report.CH02Stage2, "LCRA", 1, 1, 100.0, true, "M", "M"},
		{report.CH02Stage2, "LCHO", 0, 1, 0, true, "", "N"},
		{report.CH02Stage2, "other", 1, 1, 100.0, true, "F", "F"},
		{report.CH02Stage2, "none", 0, 0, 0, false, "", ""},
	} {
		f, ok := tsm.Find(w.id, complaint.Tenure(tenures[w.tenure]))
		if !ok || f.Numerator != w.num || f.Denominator != w.den || f.Value != w.value || f.Valid != w.valid {
			t.Errorf("%s %s = %d / %d = %v (valid %v), want %d / %d = %v (valid %v)",
				w.id, w.tenure, f.Numerator, f.Denominator, f.Value, f.Valid, w.num, w.den, w.value, w.valid)
		}
		behind := func(part string) string {
			t.Helper()
			q := url.Values{"year": {"2026"}, "measure": {w.id}, "part": {part}}
			if tn := tenures[w.tenure]; tn != "" {
				q.Set("tenure", tn)
			}
			r := a.must(200, "admin", "GET", "/api/v1/reports/tsm/cases?"+q.Encode(), nil)
			if r.body["hidden"] != 0.0 {
				t.Errorf("the cases behind %s %s: %v hidden from an admin", w.id, w.tenure, r.body["hidden"])
			}
			var got []string
			for _, ref := range getList(t, r.body, "references") {
				got = append(got, ref.(string))
			}
			return namesOf(refs, got)
		}
		if got := behind("numerator"); got != w.cases {
			t.Errorf("%s %s counts %q, want %q", w.id, w.tenure, got, w.cases)
		}
		if strings.HasPrefix(w.id, "CH02") {
			if got := behind("denominator"); got != w.of {
				t.Errorf("%s %s is out of %q, want %q", w.id, w.tenure, got, w.of)
			}
		}
	}
	// R's letter went on 1 April 2027 in London: a response of 2027/28.
	var nextTSM report.TSM
	if err := json.Unmarshal([]byte(a.must(200, "admin", "GET", "/api/v1/reports/tsm?year=2027", nil).raw), &nextTSM); err != nil {
		t.Fatal(err)
	}
	for _, tenure := range []complaint.Tenure{"", lcho} {
		if f, _ := nextTSM.Find(report.CH02Stage1, tenure); f.Numerator != 0 || f.Denominator != 1 {
			t.Errorf("2027/28's CH02(1) %q = %d / %d, want 0 / 1 (R, late)", tenure, f.Numerator, f.Denominator)
		}
	}
	r = a.must(200, "admin", "GET", "/api/v1/reports/tsm/cases?year=2027&measure=CH02(1)&part=denominator", nil)
	if l := getList(t, r.body, "references"); len(l) != 1 || l[0] != refs["R"] {
		t.Errorf("the responses of 2027/28: %v, want R (%s)", l, refs["R"])
	}
	// A year not begun, and a measure with no cases behind it, are refused
	// naming the parameter.
	for path, field := range map[string]string{
		"/api/v1/reports/tsm?year=2028":                                           "year",
		"/api/v1/reports/tsm/cases?measure=TP09&part=numerator":                   "measure",
		"/api/v1/reports/tsm/cases?measure=CH01(1)&part=denominator":              "part",
		"/api/v1/reports/tsm/cases?measure=CH02(1)&part=numerator&tenure=council": "tenure",
	} {
		r := a.call("admin", "GET", path, nil)
		if r.status != 400 || !strings.Contains(r.raw, `"`+field+`"`) {
			t.Errorf("GET %s: %d %s, want 400 naming %s", path, r.status, r.raw, field)
		}
	}
	if rep, err := a.st.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Errorf("audit: %+v %v", rep, err)
	}
}

// namesOf turns references into the test's names for the cases, sorted
// and joined by spaces; a reference the test did not name is kept as is.
func namesOf(refs map[string]string, got []string) string {
	var out []string
	for _, ref := range got {
		name := ref
		for n, r := range refs {
			if r == ref {
				name = n
			}
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}
