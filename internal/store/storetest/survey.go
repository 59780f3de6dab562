package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testSurveyInvites answers a survey through its single-use link, and
// checks a used, expired, unknown or bad answer records nothing.
func testSurveyInvites(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Leaking roof")
	hash := strings.Repeat("ab", 32)
	expired := strings.Repeat("cd", 32)
	if err := s.InviteToSurvey(ctx, store.SurveyInvite{TokenHash: hash, CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now.Add(30 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.InviteToSurvey(ctx, store.SurveyInvite{TokenHash: expired, CaseRef: c.Reference, CreatedAt: w.now, ExpiresAt: w.now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	inv, err := s.SurveyInviteByHash(ctx, hash)
	if err != nil || inv.CaseRef != c.Reference || !inv.UsedAt.IsZero() {
		t.Fatalf("invite: %+v, %v", inv, err)
	}
	later := w.now.Add(2 * time.Hour)
	if _, err := s.AnswerSurvey(ctx, hash, "delighted", "", later); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a bad answer: %v", err)
	}
	if _, err := s.AnswerSurvey(ctx, expired, "very_satisfied", "", later); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("an expired link: %v", err)
	}
	if _, err := s.AnswerSurvey(ctx, strings.Repeat("ef", 32), "very_satisfied", "", later); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("an unknown link: %v", err)
	}
	if _, err := s.AnswerSurvey(ctx, hash, "fairly_satisfied", "Quick and kind", later); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AnswerSurvey(ctx, hash, "very_dissatisfied", "", later); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("answering twice: %v", err)
	}
	day := calendar.DateOf(later)
	counts, err := s.TSMCounts(ctx, day, day)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range report.SurveyAnswers {
		n += counts.Survey[a].Total()
	}
	if n != 1 || counts.Survey["fairly_satisfied"].Total() != 1 {
		t.Errorf("survey answers recorded: %d, %+v", n, counts.Survey)
	}
}
