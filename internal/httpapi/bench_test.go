package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
)

// BenchmarkCreateCase measures creates through the HTTP handler (routing,
// authentication, decoding, the domain, and a durable commit to a real
// SQLite file with synchronous=FULL), one request at a time and with
// concurrent clients.
func BenchmarkCreateCase(b *testing.B) {
	for _, parallel := range []bool{false, true} {
		name := "serial"
		if parallel {
			name = "parallel"
		}
		b.Run(name, func(b *testing.B) {
			a := newAPI(b, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
			h := a.srv.Config.Handler
			body, err := json.Marshal(newComplaint("2026-11-20T10:00:00Z"))
			if err != nil {
				b.Fatal(err)
			}
			create := func() {
				req := httptest.NewRequest("POST", "/api/v1/cases", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+a.tokens["admin"])
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusCreated {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
			start := clock.Wall()
			if parallel {
				b.SetParallelism(4)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						create()
					}
				})
			} else {
				for b.Loop() {
					create()
				}
			}
			b.ReportMetric(float64(b.N)/clock.Wall().Sub(start).Seconds(), "creates/s")
		})
	}
}
