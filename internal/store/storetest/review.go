package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testReview records a year's self-assessment, improvements and
// governing body response, changes them, and checks that bad input is
// refused whole and changes nothing.
func testReview(t *testing.T, s store.Store) {
	rv, err := s.Review(ctx, 2026)
	if err != nil || len(rv.Assessments)+len(rv.Improvements) != 0 || rv.Response.Text != "" || rv.Year != 2026 {
		t.Fatalf("empty review = %+v, %v", rv, err)
	}
	now := time.Date(2027, 5, 20, 9, 0, 0, 0, time.UTC)
	by := "manager@example.org"
	err = s.SaveAssessments(ctx, 2026, []report.Assessment{
		{Provision: "6.10", Complies: "yes", Evidence: "Policy section 4"},
		{Provision: "1.2", Complies: "partly", Evidence: "Leaflet", Commentary: "Website wording changes in June"},
		{Provision: "6.2", Complies: "yes", Evidence: "CH02 figures"},
	}, by, now)
	if err != nil {
		t.Fatal(err)
	}
	// Answering again replaces the earlier answer for that provision only.
	later := now.Add(time.Hour)
	if err := s.SaveAssessments(ctx, 2026, []report.Assessment{{Provision: "6.2", Complies: "no", Commentary: "Acknowledgements were late in August"}}, "other@example.org", later); err != nil {
		t.Fatal(err)
	}
	// A bad batch is refused whole, naming each bad field by provision.
	err = s.SaveAssessments(ctx, 2026, []report.Assessment{
		{Provision: "1.2", Complies: "yes", Evidence: "changed"},
		{Provision: "99.1", Complies: "maybe"},
		{Provision: "6.10", Complies: "no"},
	}, by, later)
	var e *complaint.Error
	if !errors.As(err, &e) || e.Code != complaint.Invalid || e.Fields["99.1.provision"] == "" || e.Fields["99.1.complies"] == "" || e.Fields["6.10.commentary"] == "" {
		t.Errorf("bad assessments: %v", err)
	}
	if err := s.SaveAssessments(ctx, 1999, nil, by, later); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("year 1999: %v", err)
	}

	first, err := s.AddImprovement(ctx, 2026, report.Improvement{ServiceArea: "repairs", YouSaid: "Repairs appointments were missed", WeDid: "Text reminders the day before"}, by, now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.AddImprovement(ctx, 2026, report.Improvement{YouSaid: "Letters were hard to read", WeDid: "Large print on request"}, by, later)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddImprovement(ctx, 2026, report.Improvement{YouSaid: " "}, by, later); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("empty improvement: %v", err)
	}
	if _, err := s.AddImprovement(ctx, 2025, report.Improvement{YouSaid: "Last year", WeDid: "Something"}, by, later); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveImprovement(ctx, 2025, first); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("removing 2026's improvement from 2025: %v", err)
	}

	agreed := calendar.MustParseDate("2027-06-24")
	if err := s.SetResponse(ctx, 2026, report.Response{Text: "The board notes the report.", Date: agreed}, by, now); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResponse(ctx, 2026, report.Response{Text: "The board accepts the report and asks for quarterly updates.", Date: agreed}, by, later); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResponse(ctx, 2026, report.Response{}, by, later); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("empty response: %v", err)
	}

	rv, err = s.Review(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range rv.Assessments {
		got = append(got, a.Provision+"="+a.Complies)
	}
	if want := []string{"1.2=partly", "6.2=no", "6.10=yes"}; !slices.Equal(got, want) {
		t.Errorf("assessments = %v, want %v (in Code order)", got, want)
	}
	if a, _ := rv.Find("6.2"); a.UpdatedBy != "other@example.org" || !a.UpdatedAt.Equal(later) || a.Evidence != "" {
		t.Errorf("6.2 = %+v", a)
	}
	if a, _ := rv.Find("1.2"); a.Evidence != "Leaflet" || a.Commentary != "Website wording changes in June" {
		t.Errorf("1.2 changed by a refused batch: %+v", a)
	}
	if len(rv.Improvements) != 2 || rv.Improvements[0].ID != first || rv.Improvements[1].ID != second ||
		rv.Improvements[0].ServiceArea != "repairs" || rv.Improvements[1].WeDid != "Large print on request" || !rv.Improvements[1].AddedAt.Equal(later) {
		t.Errorf("improvements = %+v", rv.Improvements)
	}
	if rv.Response.Text != "The board accepts the report and asks for quarterly updates." || rv.Response.Date != agreed || !rv.Response.UpdatedAt.Equal(later) {
		t.Errorf("response = %+v", rv.Response)
	}

	if err := s.RemoveImprovement(ctx, 2026, first); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveImprovement(ctx, 2026, first); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("removing twice: %v", err)
	}
	rv, err = s.Review(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(rv.Improvements) != 1 || rv.Improvements[0].ID != second {
		t.Errorf("after removal: %+v", rv.Improvements)
	}
	if other, err := s.Review(ctx, 2025); err != nil {
		t.Errorf("2025: %v", err)
	} else if len(other.Improvements) != 1 || len(other.Assessments) != 0 || other.Response.Text != "" {
		t.Errorf("2025 = %+v", other)
	}
}
