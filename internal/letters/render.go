package letters

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/policy"
)

// Draft fills a letter of kind kind from the case with tmpl, or with the
// built-in template for the kind if tmpl is nil. The case's reasonable
// adjustments set the letter's print and email format (see LargePrint and
// PlainTextEmail), and a representative with consent gets the letter
// instead of the resident. It refuses with a conflict error when the case's
// position does not call for the letter; a draft may still lack something
// the Code requires, which Check names.
func Draft(kind Kind, c complaint.Case, p *policy.Policy, cal *calendar.Calendar, lh Letterhead, tmpl *Template, today calendar.Date) (Letter, error) {
	return DraftWith(kind, c, Options{}, p, cal, lh, tmpl, today)
}

// Options are what a draft may say that the case itself does not hold.
type Options struct {
	// TrackingCode is the case's tracking code as people read it (see
	// Data.TrackingCode).
	TrackingCode string
}

// DraftWith is Draft with what the case does not hold, such as its
// tracking code.
func DraftWith(kind Kind, c complaint.Case, o Options, p *policy.Policy, cal *calendar.Calendar, lh Letterhead, tmpl *Template, today calendar.Date) (Letter, error) {
	d, err := NewData(kind, c, p, cal, lh, today)
	if err != nil {
		return Letter{}, err
	}
	d.TrackingCode = o.TrackingCode
	if tmpl == nil {
		if tmpl, err = DefaultTemplate(kind); err != nil {
			return Letter{}, err
		}
	}
	if tmpl.Kind() != kind {
		return Letter{}, fmt.Errorf("letters: a %s template cannot draft a %s letter", tmpl.Kind(), kind)
	}
	body, err := tmpl.Execute(d)
	if err != nil {
		return Letter{}, err
	}
	return Letter{
		Kind:           kind,
		Reference:      d.Reference,
		Date:           today,
		Recipient:      d.Recipient,
		Subject:        kindInfo[kind].subject,
		Body:           body,
		LargePrint:     LargePrint(c.Adjustments),
		PlainTextEmail: PlainTextEmail(c.Adjustments),
		Data:           d,
	}, nil
}

// LargePrint reports whether any of a case's reasonable adjustments asks
// for large print. Adjustments are free text that staff type ("Large print
// letters (18 point)"), so this looks for the words, in any case, with a
// space or hyphen between them.
func LargePrint(adjustments []string) bool { return mentions(adjustments, "large print") }

// PlainTextEmail reports whether any adjustment asks for plain-text email,
// as screen-reader users and some email setups need.
func PlainTextEmail(adjustments []string) bool {
	return mentions(adjustments, "plain text") || mentions(adjustments, "plaintext")
}

func mentions(adjustments []string, phrase string) bool {
	return slices.ContainsFunc(adjustments, func(a string) bool {
		return strings.Contains(fold(strings.ReplaceAll(a, "-", " ")), phrase)
	})
}

// Render lays the letter out as an A4 PDF: the letterhead, the recipient's
// name and address where a windowed envelope shows them, the date and
// references, the body, and the reference with "Page N of M" on every page.
// Fonts are embedded and the text can be selected and read aloud. A large
// print letter is set at 16 pt, not enlarged.
//
// The letter's date is the PDF's creation date, so the same letter always
// gives the same bytes.
func Render(l Letter, lh Letterhead) ([]byte, error) {
	if l.Date.IsZero() {
		return nil, fmt.Errorf("letters: the letter has no date")
	}
	out, err := pdfdoc.Render(document(l, lh))
	if err != nil {
		return nil, fmt.Errorf("letters: rendering %s letter %s: %w", l.Kind, l.Reference, err)
	}
	return out, nil
}

// document is the letter in pdfdoc's model.
func document(l Letter, lh Letterhead) pdfdoc.Document {
	doc := pdfdoc.Document{
		Title:      l.Subject,
		Author:     lh.Name,
		Created:    l.Date.Start(),
		Letterhead: &pdfdoc.Letterhead{Name: lh.Name, Address: lh.Address, Contact: lh.Contact, Logo: lh.Logo},
		Recipient:  append([]string{l.Recipient.Name}, l.Recipient.Address...),
		Reference:  l.Reference,
		LargePrint: l.LargePrint,
	}
	doc.Blocks = append(doc.Blocks, pdfdoc.KeyValues{Pairs: header(l)})
	if l.Subject != "" {
		doc.Blocks = append(doc.Blocks, pdfdoc.Heading{Level: 2, Text: l.Subject})
	}
	for _, b := range parseMarkup(l.Body) {
		switch {
		case b.heading > 0:
			doc.Blocks = append(doc.Blocks, pdfdoc.Heading{Level: b.heading + 1, Text: b.text})
		case len(b.items) > 0:
			doc.Blocks = append(doc.Blocks, pdfdoc.Bullets{Items: b.items})
		default:
			doc.Blocks = append(doc.Blocks, pdfdoc.Paragraph{Text: b.text})
		}
	}
	return doc
}

// Validate renders a sample letter with the letterhead and returns the
// error if it fails, such as for a logo that is not a whole PNG or JPEG
// image, so that a letterhead is refused when it is saved rather than when
// a letter is due.
func (lh Letterhead) Validate() error {
	d := SampleData(Acknowledgement)
	tm, err := DefaultTemplate(Acknowledgement)
	if err != nil {
		return err
	}
	body, err := tm.Execute(d)
	if err != nil {
		return err
	}
	date, _ := calendar.ParseDate(string(d.Date))
	l := Letter{Kind: Acknowledgement, Reference: d.Reference, Date: date, Recipient: d.Recipient, Subject: kindInfo[Acknowledgement].subject, Body: body, Data: d}
	_, err = pdfdoc.Render(document(l, lh))
	if errors.Is(err, pdfdoc.ErrInvalid) {
		return complaint.Errorf(complaint.Invalid, "the letterhead cannot be used: %s", strings.TrimPrefix(err.Error(), pdfdoc.ErrInvalid.Error()+": "))
	}
	return err
}

// header is the date and references printed above the body, and at the top
// of the email.
func header(l Letter) [][2]string {
	pairs := [][2]string{{"Date", NewDate(l.Date).String()}, {"Our reference", l.Reference}}
	if refs := l.Data.OtherReferences; len(refs) > 0 {
		pairs = append(pairs, [2]string{"Earlier reference", strings.Join(refs, ", ")})
	}
	return pairs
}

// EmailText returns the letter as the plain text of an email: the date and
// references, the same words as the PDF with headings on lines of their own
// and bullets as "- ", and the landlord's name and contact details at the
// end in place of the letterhead. Lines are not wrapped: mail clients and
// screen readers wrap better than a fixed width does.
func EmailText(l Letter) string {
	var b strings.Builder
	for _, kv := range header(l) {
		fmt.Fprintf(&b, "%s: %s\n", kv[0], kv[1])
	}
	for _, bl := range parseMarkup(l.Body) {
		b.WriteString("\n")
		switch {
		case bl.heading > 0:
			b.WriteString(bl.text + "\n")
		case len(bl.items) > 0:
			for _, it := range bl.items {
				b.WriteString("- " + strings.ReplaceAll(it, "\n", "\n  ") + "\n")
			}
		default:
			b.WriteString(bl.text + "\n")
		}
	}
	lh := l.Data.Landlord
	if lh.Name != "" || len(lh.Address)+len(lh.Contact) > 0 {
		b.WriteString("\n--\n")
		for _, line := range slices.Concat([]string{lh.Name}, lh.Address, lh.Contact) {
			if line != "" {
				b.WriteString(line + "\n")
			}
		}
	}
	return b.String()
}
