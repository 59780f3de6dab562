package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testPacks keeps a period's executive summary with its figures, every
// sign-off with the latest counting, and the year's Member Responsible
// for Complaints; each period and year is kept apart, and bad input is
// refused naming its field and changes nothing.
func testPacks(t *testing.T, s store.Store) {
	year := report.Period{Year: 2026}
	q2 := report.Period{Year: 2026, Quarter: 2}
	rec, err := s.PackRecord(ctx, year)
	if err != nil || rec.Summary.Text != "" || rec.SignOff != nil || rec.Summary.Period != "2026" {
		t.Fatalf("empty record = %+v, %v", rec, err)
	}
	at := time.Date(2027, 5, 20, 9, 0, 0, 0, time.UTC)
	sum := report.PackSummary{Period: "2026", Text: "A steady year.", Figures: `{"a":1}`, FiguresHash: "h1", UpdatedBy: "Mo Manager", UpdatedAt: at}
	if err := s.SavePackSummary(ctx, sum); err != nil {
		t.Fatal(err)
	}
	sum.Text, sum.FiguresHash, sum.UpdatedAt = "A better year.", "h2", at.Add(time.Hour)
	if err := s.SavePackSummary(ctx, sum); err != nil {
		t.Fatal(err)
	}
	err = s.SavePackSummary(ctx, report.PackSummary{Period: "2026-Q9", Text: "x"})
	var e *complaint.Error
	if !errors.As(err, &e) || e.Code != complaint.Invalid || e.Fields["period"] == "" {
		t.Errorf("summary for period 2026-Q9: %v", err)
	}
	rec, err = s.PackRecord(ctx, year)
	if err != nil || rec.Summary != sum {
		t.Errorf("summary = %+v, %v; want %+v", rec.Summary, err, sum)
	}
	if rec, err := s.PackRecord(ctx, q2); err != nil || rec.Summary.Text != "" {
		t.Errorf("Q2's summary = %+v, %v; want none", rec.Summary, err)
	}

	first := report.PackSignOff{Period: "2026", SignedBy: "Mo Manager", SignedAt: at, FiguresHash: "h1", Summary: "A steady year."}
	second := report.PackSignOff{Period: "2026", SignedBy: "Sam Second", SignedAt: at.Add(2 * time.Hour), FiguresHash: "h2", Summary: "A better year."}
	for _, so := range []report.PackSignOff{first, second} {
		if err := s.SignOffPack(ctx, so); err != nil {
			t.Fatal(err)
		}
	}
	err = s.SignOffPack(ctx, report.PackSignOff{Period: "2026", SignedAt: at})
	if !errors.As(err, &e) || e.Code != complaint.Invalid || e.Fields["signed_by"] == "" || e.Fields["figures_hash"] == "" {
		t.Errorf("sign-off by nobody of nothing: %v", err)
	}
	rec, err = s.PackRecord(ctx, year)
	if err != nil || rec.SignOff == nil || *rec.SignOff != second {
		t.Errorf("sign-off = %+v, %v; want the latest, %+v", rec.SignOff, err, second)
	}
	if rec, err := s.PackRecord(ctx, q2); err != nil || rec.SignOff != nil {
		t.Errorf("Q2's sign-off = %+v, %v; want none", rec.SignOff, err)
	}

	m, err := s.ComplaintsMember(ctx, 2026)
	if err != nil || m.Name != "" || m.Year != 2026 {
		t.Errorf("no member = %+v, %v", m, err)
	}
	want := report.ComplaintsMember{Year: 2026, Name: "Cllr Pat Board", UpdatedBy: "Mo Manager", UpdatedAt: at}
	if err := s.SetComplaintsMember(ctx, want); err != nil {
		t.Fatal(err)
	}
	err = s.SetComplaintsMember(ctx, report.ComplaintsMember{Year: 2026, Name: "Two\nlines", UpdatedAt: at})
	if !errors.As(err, &e) || e.Code != complaint.Invalid || e.Fields["member"] == "" {
		t.Errorf("member on two lines: %v", err)
	}
	if m, err := s.ComplaintsMember(ctx, 2026); err != nil || m != want {
		t.Errorf("member = %+v, %v; want %+v", m, err, want)
	}
	if m, err := s.ComplaintsMember(ctx, 2025); err != nil || m.Name != "" {
		t.Errorf("2025's member = %+v, %v; want none", m, err)
	}
	if _, err := s.ComplaintsMember(ctx, 1999); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("member of 1999: %v", err)
	}
}
