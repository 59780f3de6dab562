package sqldb

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
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

// BenchmarkTenancyCandidates looks a contact up in a 10,000-tenancy
// register by email, phone and postcode with a name, as every new case
// is (suggestTenancy): the cost the register adds to logging a case.
//
//	go test -run XXX -bench TenancyCandidates ./internal/store/sqldb
func BenchmarkTenancyCandidates(b *testing.B) {
	const n = 10_000
	var csv strings.Builder
	csv.WriteString(tenancy.Template())
	for i := range n {
		// A hundred homes share each postcode, as in a large estate.
		fmt.Fprintf(&csv, "H%06d,%d,%d Bench Road,,,Newtown,NE%d %dAB,T%06d,General needs,2020-04-01,,Resident Smith%d,r%d@example.org,0191 %07d\n",
			i, 300000+i, i, 1+i%10, i%10, i, i%7, i, i)
	}
	db := openTemp(b)
	f, err := tenancy.ReadCSV(strings.NewReader(csv.String()), nil, nil)
	if err != nil || len(f.Errors) > 0 {
		b.Fatal(err, f.Errors)
	}
	if _, err := db.ImportRegister(context.Background(), f, store.RegisterImport{By: "bench", At: time.Unix(0, 0)}, nil); err != nil {
		b.Fatal(err)
	}
	p := complaint.Person{Name: "Mrs Smith3", Email: "r4321@example.org", Phone: "0191 0004321", Postcode: "NE2 1AB"}
	for b.Loop() {
		cands, err := db.TenancyCandidates(context.Background(), p)
		if err != nil || len(cands) == 0 {
			b.Fatal(err, len(cands))
		}
		if ms := tenancy.Rank(p, cands, calendar.MustParseDate("2026-06-01")); len(ms) == 0 || ms[0].Tenancy.Ref != "T004321" {
			b.Fatalf("ranked %v", ms)
		}
	}
}
