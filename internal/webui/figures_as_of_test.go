package webui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
)

// behindReplica is a store whose reporting replica is behind: the one
// thing this test varies. internal/store/sqldb's replica test checks
// FiguresAsOf against a real standby.
type behindReplica struct {
	store.Store
	asOf time.Time
}

func (b behindReplica) FiguresAsOf(context.Context) (time.Time, bool, error) {
	return b.asOf, true, nil
}

// When the reporting replica is behind, the report pages and search
// results say as of when their figures are; other pages say nothing.
func TestReportPagesSayWhenTheirFiguresAreFromABehindReplica(t *testing.T) {
	asOf := time.Date(2026, 11, 23, 9, 58, 30, 0, time.UTC)
	s := newSiteWith(t, func(st store.Store) store.Store { return behindReplica{st, asOf} })
	c := s.signIn("manager")
	const banner = "These figures and search results are as of 09:58:30 on 23 November 2026"
	for _, path := range []string{"/reports", "/reports/management", "/cases?q=roof"} {
		resp, body := s.get(c, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if !strings.Contains(body, banner) {
			t.Errorf("GET %s does not say when its figures are as of", path)
		}
	}
	for _, path := range []string{"/", "/cases"} {
		if _, body := s.get(c, path); strings.Contains(body, "figures-as-of") {
			t.Errorf("GET %s speaks of the replica, though it reads the primary", path)
		}
	}
}
