package sqldb

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// BenchmarkImportRegister imports a 10,000-tenancy homes file into an
// empty SQLite register, and reports rows per second, reading the CSV
// included.
//
//	go test -run XXX -bench ImportRegister ./internal/store/sqldb
func BenchmarkImportRegister(b *testing.B) {
	const n = 10_000
	var csv strings.Builder
	csv.WriteString(tenancy.Template())
	for i := range n {
		fmt.Fprintf(&csv, "H%06d,%d,%d Bench Road,,,Newtown,NE%d %dAB,T%06d,General needs,2020-04-01,,Resident %d,r%d@example.org,0191 %07d\n",
			i, 300000+i, i, 1+i%9, i%10, i, i, i, i)
	}
	text := csv.String()
	for b.Loop() {
		b.StopTimer()
		db := openTemp(b)
		b.StartTimer()
		f, err := tenancy.ReadCSV(strings.NewReader(text), nil, nil)
		if err != nil || len(f.Errors) > 0 {
			b.Fatal(err, f.Errors)
		}
		if _, err := db.ImportRegister(context.Background(), f, store.RegisterImport{By: "bench", At: time.Unix(0, 0)}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
