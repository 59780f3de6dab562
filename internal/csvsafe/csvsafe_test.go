package csvsafe_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/csvsafe"
)

func TestCellQuotesWhatASpreadsheetWouldEvaluate(t *testing.T) {
	tests := []struct{ in, want string }{
		{`=HYPERLINK("http://evil.example","click")`, `'=HYPERLINK("http://evil.example","click")`},
		{"+SUM(A1)", "'+SUM(A1)"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(1)", "'@SUM(1)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"  =1+1", "'  =1+1"},
		{"\n@SUM(1)", "'\n@SUM(1)"},
		{"\u00a0=1+1", "'\u00a0=1+1"},
		{"＝1+1", "'＝1+1"},
		{"-", "'-"},
		{"-1e5", "'-1e5"},
		{"-Inf", "'-Inf"},
		{"--1", "'--1"},
		{"-1.", "'-1."},
	}
	for _, tt := range tests {
		if got := csvsafe.Cell(tt.in); got != tt.want {
			t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCellLeavesTextAndRedressNumbersAlone(t *testing.T) {
	for _, s := range []string{"", "Repairs", "Damp and mould", "C-2026-000123", "2026-11-23", "jo@example.org",
		"0", "12", "-12", "3.5", "-0.5", "150.00", "a = b", "  Repairs", "'quoted"} {
		if got := csvsafe.Cell(s); got != s {
			t.Errorf("Cell(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestWriterGuardsEveryCell(t *testing.T) {
	var b strings.Builder
	w := csvsafe.NewWriter(&b)
	w.Write([]string{"service_area", "handler", "count"})
	w.Write([]string{`=HYPERLINK("http://evil.example")`, "@SUM(1)", "-3"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`'=HYPERLINK("http://evil.example")`, "'@SUM(1)", "-3"}
	if strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Errorf("row %q, want %q", rows[1], want)
	}
}
