package tenancy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
)

const header = "home_ref,uprn,address_1,address_2,address_3,town,postcode,tenancy_ref,tenure,tenancy_start,tenancy_end,name,email,phone\n"

func TestPostcodesPhonesDatesAndTenuresAreReadAsExportsWriteThem(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ne1 4st", "NE1 4ST"}, {"SW1A1AA", "SW1A 1AA"}, {" m1  1ae ", "M1 1AE"}, {"CR2 6XH", "CR2 6XH"},
		{"NE1", ""}, {"12345", ""}, {"NE1 4S", ""}, {"SW1A 1AAA", ""},
	} {
		got, ok := NormalPostcode(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NormalPostcode(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"0191 000 0000", "01910000000"}, {"+44 (0)7700-900123", "+4407700900123"}, {"07700 900123", "07700900123"},
		{"123", ""}, {"0191 000 0000 ext 2", ""}, {"44+7700900123", ""},
	} {
		got, ok := NormalPhone(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NormalPhone(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"2026-04-01", "2026-04-01"}, {"01/04/2026", "2026-04-01"}, {"1/4/2026", "2026-04-01"},
		{"31/02/2026", ""}, {"04/01/26", ""}, {"2026-4-1", ""}, {"next week", ""},
	} {
		d, err := ParseDate(tc.in)
		if tc.want == "" && err == nil || tc.want != "" && d.String() != tc.want {
			t.Errorf("ParseDate(%q) = %s, %v; want %q", tc.in, d, err, tc.want)
		}
	}
	for in, want := range map[string]Tenure{"General needs": LowCostRental, "AFFORDABLE RENT": LowCostRental, "shared  ownership": LowCostHomeOwnership,
		"low_cost_home_ownership": LowCostHomeOwnership, "Leasehold": Leasehold, "other": Other} {
		if got, err := ParseTenure(in); got != want || err != nil {
			t.Errorf("ParseTenure(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseTenure("freehold"); err == nil {
		t.Error("freehold was read as a tenure")
	}
	// A leaseholder who owns outright is neither low-cost rental nor
	// low-cost home ownership in the Regulator's measures.
	if LowCostHomeOwnership.CaseTenure() != "low_cost_home_ownership" || Leasehold.CaseTenure() != "other" || LowCostRental.CaseTenure() != "low_cost_rental" {
		t.Error("tenure in the measures")
	}
}

// TestEveryBadCellIsNamedByLineAndColumn reads a file with one problem
// per row: each is reported on its own line and column, and the good
// rows are still read.
func TestEveryBadCellIsNamedByLineAndColumn(t *testing.T) {
	good := "H1,100,1 High Street,,,Newtown,NE1 4ST,T1,General needs,01/04/2020,,Ann Example,ann@example.org,0191 000 0000\n"
	rows := []struct{ row, column, says string }{
		{",100,1 High Street,,,,NE1 4ST,T2,other,2020-04-01,,Bo,,", "home_ref", "is empty"},
		{"H3,12a,1 High Street,,,,NE1 4ST,T3,other,2020-04-01,,Bo,,", "uprn", "not a UPRN"},
		{"H4,,,,,,NE1 4ST,T4,other,2020-04-01,,Bo,,", "address_1", "is empty"},
		{"H5,,1 High St,,,,Newtown,T5,other,2020-04-01,,Bo,,", "postcode", "not a UK postcode"},
		{"H6,,1 High St,,,,NE1 4ST,,other,2020-04-01,,Bo,,", "tenancy_ref", "is empty"},
		{"H7,,1 High St,,,,NE1 4ST,T7,freehold,2020-04-01,,Bo,,", "tenure", "not a tenure"},
		{"H8,,1 High St,,,,NE1 4ST,T8,other,April 2020,,Bo,,", "tenancy_start", "not a date"},
		{"H9,,1 High St,,,,NE1 4ST,T9,other,2020-04-01,2019-01-01,Bo,,", "tenancy_end", "before the tenancy started"},
		{"H10,,1 High St,,,,NE1 4ST,T10,other,2020-04-01,,,,", "name", "is empty"},
		{"H11,,1 High St,,,,NE1 4ST,T11,other,2020-04-01,,Bo,bo at example.org,", "email", "not an email address"},
		{"H12,,1 High St,,,,NE1 4ST,T12,other,2020-04-01,,Bo,,call me", "phone", "not a phone number"},
		{"H1,100,2 High Street,,,Newtown,NE1 4ST,T13,other,2020-04-01,,Bo,,", "home_ref", "another address"},
		{"H14,,1 High St,,,,NE1 4ST,T1,other,2020-04-01,,Bo,,", "tenancy_ref", "another home, tenure or dates on line 2"},
		{"H15,,1 High St", "", "wrong number of fields"},
	}
	var b strings.Builder
	b.WriteString(header + good)
	for _, r := range rows {
		b.WriteString(r.row + "\n")
	}
	b.WriteString("H1,100,1 High Street,,,Newtown,NE1 4ST,T1,General needs,01/04/2020,,Ben Example,,\n") // a joint tenant
	f, err := ReadCSV(strings.NewReader(b.String()), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Errors) != len(rows) {
		t.Fatalf("%d errors, want %d: %v", len(f.Errors), len(rows), f.Errors)
	}
	for i, r := range rows {
		e := f.Errors[i]
		if e.Line != i+3 || e.Column != r.column || !strings.Contains(e.Message, r.says) {
			t.Errorf("row %q: %s; want line %d, column %s, %q", r.row, e, i+3, r.column, r.says)
		}
	}
	if len(f.Tenancies) != 1 || len(f.Tenancies[0].People) != 2 || f.Tenancies[0].People[1].Name != "Ben Example" || f.Rows != len(rows)+2 {
		t.Errorf("the good rows: %+v (%d rows)", f.Tenancies, f.Rows)
	}
	want := Tenancy{Ref: "T1", HomeRef: "H1", Tenure: LowCostRental, Start: calendar.MustParseDate("2020-04-01"),
		People: []Person{{Name: "Ann Example", Email: "ann@example.org", Phone: "01910000000"}, {Name: "Ben Example"}}}
	if !f.Tenancies[0].Equal(want) {
		t.Errorf("T1: %+v", f.Tenancies[0])
	}
	if h := f.Homes[0]; h.Postcode != "NE1 4ST" || strings.Join(h.Address, "|") != "1 High Street|Newtown" || h.UPRN != "100" {
		t.Errorf("H1: %+v", h)
	}
}

// TestALandlordsOwnHeadersAreMappedToTheColumns reads an export whose
// headers are the housing management system's, mapped with --map, and
// refuses one missing a required column, naming it.
func TestALandlordsOwnHeadersAreMappedToTheColumns(t *testing.T) {
	export := "Property Ref,Address Line 1,Post Code,Tenancy No,Tenure Type,Start Date,Lead Tenant\n" +
		"P1,1 High Street,NE1 4ST,TN-1,General needs,01/04/2020,Ann Example\n"
	m, err := ParseMapping("home_ref=Property Ref, address_1=address line 1, postcode=POSTCODE,tenancy_ref=Tenancy No,tenure=Tenure Type,tenancy_start=Start Date,name=Lead Tenant")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadCSV(strings.NewReader(export), m, nil)
	if err != nil || len(f.Errors) > 0 || len(f.Tenancies) != 1 || f.Tenancies[0].Ref != "TN-1" {
		t.Fatalf("%v %v %+v", err, f.Errors, f)
	}
	_, err = ReadCSV(strings.NewReader(export), nil, nil)
	if err == nil || !strings.Contains(err.Error(), `home_ref (looked for "home_ref")`) || !strings.Contains(err.Error(), "--map") {
		t.Errorf("unmapped: %v", err)
	}
	for _, bad := range []string{"home_ref", "flat=Flat No", "home_ref="} {
		if _, err := ParseMapping(bad); err == nil {
			t.Errorf("ParseMapping(%q) accepted", bad)
		}
	}
	if _, err := ReadCSV(strings.NewReader(""), nil, nil); err == nil {
		t.Error("an empty file was read")
	}
}

// TestProgressIsReportedAsALargeFileIsRead reads 2,500 rows.
func TestProgressIsReportedAsALargeFileIsRead(t *testing.T) {
	var b strings.Builder
	b.WriteString(Template())
	for i := range 2500 {
		fmt.Fprintf(&b, "H%d,,%d High St,,,,NE1 4ST,T%d,other,2020-04-01,,Resident %d,,\n", i, i, i, i)
	}
	var seen []int
	f, err := ReadCSV(strings.NewReader(b.String()), nil, func(n int) { seen = append(seen, n) })
	if err != nil || len(f.Tenancies) != 2500 {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[1000 2000 2500]" {
		t.Errorf("progress: %v", seen)
	}
}
