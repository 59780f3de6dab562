package sar_test

import (
	"fmt"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/sar"
	"github.com/redresshq/redress/internal/store"
)

// BenchmarkFindAmong5000Cases measures what finding a person costs: Find
// reads every case, since a group's members are in no search index, so
// this is the time a manager waits on the person's page (and the first
// part of every export) with 5,000 cases in the database, of which the
// person is named on 3.
func BenchmarkFindAmong5000Cases(b *testing.B) {
	w := newWorld(b)
	recv := at("2026-06-01 10:00")
	for i := range 5000 {
		p := complaint.Person{Name: fmt.Sprintf("Resident %d", i), Email: fmt.Sprintf("resident%d@example.org", i)}
		if i%2000 == 7 {
			p = ada
		}
		if _, err := w.st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &recv, Complainant: p, Summary: "Repairs"},
				complaint.Env{Now: now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: w.p, Calendar: w.cal, NewReference: ref})
		}); err != nil {
			b.Fatal(err)
		}
	}
	s, _ := sar.ParseSubject(ada.Email)
	for b.Loop() {
		ms, err := sar.Find(ctx, w.st, s)
		if err != nil || len(ms) != 3 {
			b.Fatalf("found %d, %v", len(ms), err)
		}
	}
}
