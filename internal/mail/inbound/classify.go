package inbound

import (
	"regexp"
	"strings"
)

// Class is what sort of message one is, for deciding whether it may
// open a case.
type Class string

// The classes. Only mail from a person is case work.
const (
	// Person: mail someone wrote.
	Person Class = "person"
	// AutoReply: an out-of-office reply, a read receipt, mailing-list or
	// bulk mail: sent by software, so answering it could loop.
	AutoReply Class = "auto_reply"
	// Bounce: a delivery failure report about mail Redress sent.
	Bounce Class = "bounce"
	// Own: mail from Redress's own address, come back round.
	Own Class = "own"
)

var (
	// autoSubject matches the subjects out-of-office replies are given:
	// "Automatic reply: ...", "Out of Office: ...", or just "Out of
	// Office". "Out of office hours repair" is a resident's subject, so a
	// prefix counts only with its colon.
	autoSubject = regexp.MustCompile(`(?i)^\s*(automatic reply|auto[- ]?reply|auto[- ]?response|out of (the )?office( reply| autoreply)?)\s*(:|$)`)
	// bounceSubject matches the subjects of delivery failure reports.
	bounceSubject = regexp.MustCompile(`(?i)^\s*(undeliverable|undelivered mail|delivery status notification \(failure\)|mail delivery failed|returned mail|delivery failure|failure notice)\b`)
)

// Classify says whether a message is mail from a person, and if not,
// why. own are Redress's own addresses (the From of its outbound mail and
// the feedback address): mail from one of them is Redress's own.
//
// It follows RFC 3834: Auto-Submitted other than "no" marks automatic
// mail, which Redress's own automatic mail also carries. Besides, it
// knows the headers of common out-of-office software (X-Autoreply,
// X-Autorespond, X-Auto-Response-Suppress, Precedence), delivery status
// reports (RFC 3464), read receipts (RFC 8098), the senders of bounces
// (MAILER-DAEMON, postmaster, an empty Return-Path) and the subjects of
// both.
func Classify(m Message, own ...string) (Class, string) {
	h := m.Header
	from := strings.ToLower(m.From.Address)
	for _, o := range own {
		if o != "" && strings.EqualFold(from, o) {
			return Own, "sent from Redress's own address"
		}
	}
	ct, params, _ := h.ContentType()
	local, _, _ := strings.Cut(from, "@")
	switch {
	case ct == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status"):
		return Bounce, "a delivery status report"
	case local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon":
		return Bounce, "sent by " + local
	case h.Get("X-Failed-Recipients") != "":
		return Bounce, "names failed recipients"
	case bounceSubject.MatchString(m.Subject) && returnPathEmpty(&h):
		return Bounce, "a delivery failure with an empty return path"
	case ct == "multipart/report" && strings.EqualFold(params["report-type"], "disposition-notification"):
		return AutoReply, "a read receipt"
	}
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && !strings.HasPrefix(v, "no") {
		return AutoReply, "Auto-Submitted: " + firstWord(v)
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder"} {
		if v := strings.ToLower(strings.TrimSpace(h.Get(k))); v != "" && v != "no" && v != "false" {
			return AutoReply, "has " + k
		}
	}
	if v := strings.TrimSpace(h.Get("X-Auto-Response-Suppress")); v != "" {
		return AutoReply, "has X-Auto-Response-Suppress"
	}
	switch p := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); p {
	case "bulk", "junk", "list", "auto_reply":
		return AutoReply, "Precedence: " + p
	}
	if autoSubject.MatchString(m.Subject) {
		return AutoReply, "an out-of-office subject"
	}
	if returnPathEmpty(&h) {
		return AutoReply, "an empty return path"
	}
	return Person, ""
}

// returnPathEmpty reports whether the message has the null return path
// "<>", which only automatic mail is sent with.
func returnPathEmpty(h interface{ Values(string) []string }) bool {
	for _, v := range h.Values("Return-Path") {
		if strings.ReplaceAll(strings.TrimSpace(v), " ", "") == "<>" {
			return true
		}
	}
	return false
}

func firstWord(s string) string {
	s, _, _ = strings.Cut(s, ";")
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return cleanLine(f[0])
}
