// Package money is Redress's one amount of money and the one place it is
// written out. Compensation is offered in letters, listed on case pages,
// totalled in reports and downloaded as spreadsheets; written by one type,
// a resident, an officer and a board member see the same £1,250.00 for the
// same amount, and a fix to how it is written reaches all of them.
//
// Amounts are whole pence, never floats, so that a total is exact to the
// penny however many remedies go into it.
package money

import (
	"fmt"
	"strconv"
)

// Pence is an amount of money in pence, as cases record compensation.
// Letters take it as a value of their data, so it must stay a plain
// number with formatting methods only: a letter template can reach
// nothing through it but its own text.
type Pence int64

// String writes the amount as a letter or a notice says it: pounds with
// commas between thousands, and pence only when there are any ("£150",
// "£12.50", "£1,250", "-£5"). Plain English puts no ".00" on a whole
// number of pounds.
func (p Pence) String() string { return p.format("£", ",", false) }

// Fixed writes the amount with its pence always shown ("£150.00",
// "£1,250.00", "£0.00"), for tables and reports, where amounts stand in
// a column and line up only if every one has its pence.
func (p Pence) Fixed() string { return p.format("£", ",", true) }

// Decimal writes the amount as a number of pounds that a spreadsheet
// reads as a number: no symbol, no separators, pence always ("1250.00",
// "-0.05"). It is for CSV files, where "£1,250.00" would be text.
func (p Pence) Decimal() string { return p.format("", "", true) }

// format writes the amount with the symbol before the pounds, sep
// between their thousands, and the pence when there are any or always.
// A negative amount has its minus before the symbol, as people write it.
func (p Pence) format(symbol, sep string, alwaysPence bool) string {
	sign := ""
	u := uint64(p)
	if p < 0 {
		// Two's complement negation in uint64 is exact for every int64,
		// the most negative one included.
		sign, u = "-", -u
	}
	pounds := strconv.FormatUint(u/100, 10)
	if sep != "" {
		for i := len(pounds) - 3; i > 0; i -= 3 {
			pounds = pounds[:i] + sep + pounds[i:]
		}
	}
	s := sign + symbol + pounds
	if pence := u % 100; pence != 0 || alwaysPence {
		s += fmt.Sprintf(".%02d", pence)
	}
	return s
}
