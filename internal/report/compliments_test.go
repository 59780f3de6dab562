package report

import (
	"reflect"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// Compliments by whom they praise (000: "recognise the good work of our
// colleagues and contractors"): a colleague is one person however their
// name is spelt, one compliment counts once for each person it praises,
// and the most praised come first.
func TestComplimentsCountOncePerPersonPraisedMostPraisedFirst(t *testing.T) {
	sam := complaint.Praised{Kind: complaint.PraisedColleague, Name: "Sam Jones", Email: "sam@x.example"}
	samAgain := complaint.Praised{Kind: complaint.PraisedColleague, Name: "Sam J", Email: "SAM@x.example"}
	amy := complaint.Praised{Kind: complaint.PraisedColleague, Name: "Amy Li", Email: "amy@x.example"}
	repairs := complaint.Praised{Kind: complaint.PraisedTeam, Name: "Repairs"}
	repairsLower := complaint.Praised{Kind: complaint.PraisedTeam, Name: "repairs"}
	var tally ComplimentTally
	tally.Add([]complaint.Praised{sam, samAgain, repairs}) // Sam named twice in one compliment: once
	tally.Add([]complaint.Praised{amy, repairsLower})
	tally.Add([]complaint.Praised{samAgain})
	want := ComplimentFigures{
		PassedOn:    3,
		ByColleague: []Row{{Label: "Sam Jones", N: 2}, {Label: "Amy Li", N: 1}},
		ByTeam:      []Row{{Label: "Repairs", N: 2}},
	}
	if got := tally.Figures(); !reflect.DeepEqual(got, want) {
		t.Errorf("figures = %+v, want %+v", got, want)
	}
	var none ComplimentTally
	if got := none.Figures(); !reflect.DeepEqual(got, ComplimentFigures{}) {
		t.Errorf("no compliments: %+v", got)
	}
}
