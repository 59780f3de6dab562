package store

import "github.com/redresshq/redress/internal/tenancy"

// PhoneKey is a phone number's national significant number: its digits
// without an international prefix for the UK (+44 or 0044, with or
// without a "(0)") and without the leading 0, so that "07700 900123",
// "07700900123" and "+44 7700 900123" are one key. A number abroad keeps
// its country code, written with + or 00 alike. Digits starting 44 with
// no prefix are taken as +44 only when there are enough of them for a
// whole number, since no UK number starts 44 when written nationally.
//
// It is the one normalisation of phone numbers: the people search
// indexes and looks numbers up by it, and the subject access export
// (internal/sar) matches a person's number by it, so that whatever the
// search finds as one person's number the export treats as theirs.
func PhoneKey(s string) string { return tenancy.PhoneKey(s) }
