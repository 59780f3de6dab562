package webui

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/report"
)

// Managers and admins see every confidential case, so the cases page
// never hides one from them; for anyone else it would say how many it
// counted but does not list.
func TestTSMCasesPageSaysHowManyConfidentialCasesItHides(t *testing.T) {
	s, err := New(&Server{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	fig := report.Figure{ID: report.CH01Stage1, Title: "Stage 1 complaints received per 1,000 homes", Numerator: 3, NumeratorLabel: "stage 1 complaints received"}
	for hidden, want := range map[int]string{1: "1 confidential case is counted but not listed.", 2: "2 confidential cases are counted but not listed."} {
		w := httptest.NewRecorder()
		s.render(w, httptest.NewRequest("GET", "/reports/cases", nil), 200, "reports-cases", map[string]any{
			"Title": "Cases", "Figure": fig, "Year": report.Year(2026), "Tenure": "All homes", "Part": "numerator",
			"Label": fig.NumeratorLabel, "Count": 3, "Refs": []string{"C-2026-000001"}, "Hidden": hidden, "Value": "3.0 per 1,000 homes",
			"YearField": selectField{}, "TenureField": selectField{}, "MeasureField": selectField{}, "PartField": selectField{},
		})
		if w.Code != 200 || !strings.Contains(w.Body.String(), want) || !strings.Contains(w.Body.String(), `href="/cases/C-2026-000001"`) {
			t.Errorf("%d hidden: %d, want %q\n%s", hidden, w.Code, want, w.Body.String())
		}
	}
}
