package webui

import (
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// complimentCommand reads the case page's form for passing a compliment
// on (000: "we offer individual feedback to colleagues when a compliment
// is received"; 003 §2: "Feedback on compliments is given to staff"). The
// form offers one colleague (a user), one team and one contractor; the
// manager is chosen from the users, as users have no manager field. What
// only the page knows (a choice not from the list, a contractor without
// an address) is named here; the rest is the domain's.
func (s *Server) complimentCommand(r *http.Request) (complaint.Command, []fieldError, error) {
	f := r.PostForm
	var cmd complaint.PassOnCompliment
	var errs []fieldError
	user := func(field, email, msg string) string {
		u, err := s.Store.UserByEmail(r.Context(), email)
		if complaint.ErrorCode(err) == complaint.NotFound {
			errs = append(errs, fieldError{field, msg})
			return ""
		}
		if err != nil {
			errs = append(errs, fieldError{field, "Could not read the users: try again"})
			return ""
		}
		return u.Name
	}
	if email := strings.TrimSpace(f.Get("colleague")); email != "" {
		if name := user("colleague", email, "Choose the colleague from the list"); name != "" {
			cmd.Praised = append(cmd.Praised, complaint.Praised{Kind: complaint.PraisedColleague, Name: name, Email: email})
		}
	}
	if team := strings.TrimSpace(f.Get("team")); team != "" {
		cmd.Praised = append(cmd.Praised, complaint.Praised{Kind: complaint.PraisedTeam, Name: team})
	}
	name, email := strings.TrimSpace(f.Get("contractor_name")), strings.TrimSpace(f.Get("contractor_email"))
	switch {
	case name != "" && email == "":
		errs = append(errs, fieldError{"contractor_email", "Enter the contractor's email address, so that they can be told"})
	case name == "" && email != "":
		errs = append(errs, fieldError{"contractor_name", "Enter the contractor's name"})
	case email != "" && !complaint.ValidEmail(email):
		errs = append(errs, fieldError{"contractor_email", "Enter the contractor's email address, like office@contractor.example"})
	case name != "":
		cmd.Praised = append(cmd.Praised, complaint.Praised{Kind: complaint.PraisedContractor, Name: name, Email: email})
	}
	if len(cmd.Praised) == 0 && len(errs) == 0 {
		errs = append(errs, fieldError{"colleague", "Name at least one colleague, team or contractor the compliment praises"})
	}
	if m := strings.TrimSpace(f.Get("manager")); m == "" {
		errs = append(errs, fieldError{"manager", "Choose the manager who is told with those praised"})
	} else if user("manager", m, "Choose the manager from the list") != "" {
		cmd.Manager = m
	}
	cmd.Quote = f.Get("quote")
	return cmd, errs, nil
}

// praiseDetail is what the timeline shows of a compliment passed on: each
// person praised and the manager told.
func praiseDetail(m map[string]any) []string {
	var out []string
	if ps, ok := m["praised"].([]any); ok {
		for _, p := range ps {
			pm, _ := p.(map[string]any)
			line := "Praised (" + toString(pm["kind"]) + "): " + toString(pm["name"])
			if e := toString(pm["email"]); e != "" {
				line += " (" + e + ")"
			}
			out = append(out, line)
		}
	}
	if mgr := toString(m["manager"]); mgr != "" {
		out = append(out, "Manager told: "+mgr)
	}
	return out
}

// complimentsFor lists the recent compliments passed on to the user, as
// someone praised or as the manager told, newest first: the in-app half
// of "individual feedback to colleagues" (000), beside the email. There is
// no notices page, so the dashboard shows them. Compliments are few; the
// latest are read and those for the user kept.
func (s *Server) complimentsFor(r *http.Request, v store.Viewer, email string) ([]complaint.Case, error) {
	cs, _, err := s.Store.ListCases(r.Context(), store.CaseFilter{Viewer: v, Kind: complaint.KindCompliment,
		ReceivedFrom: s.Now().AddDate(0, 0, -complimentsForDays), Limit: 200})
	if err != nil {
		return nil, err
	}
	var out []complaint.Case
	for _, c := range cs {
		if c.Praise.Praises(email) && len(out) < 10 {
			out = append(out, c)
		}
	}
	return out, nil
}

// complimentsForDays is how far back the dashboard looks for
// compliments for the user: a quarter.
const complimentsForDays = 92

// complimentFigures is the management page's section of compliments
// passed on, by colleague, team and contractor (000, 003 §2).
type complimentFigures struct {
	PassedOn int
	Tables   []complimentTable
	CSV      csvLink
}

// complimentTable is one table of complimentFigures: Praised says whom,
// as the CSV's first column does.
type complimentTable struct {
	Caption, Praised string
	Rows             []report.Row
}

func newComplimentFigures(f report.ComplimentFigures, csv csvLink) complimentFigures {
	return complimentFigures{PassedOn: f.PassedOn, CSV: csv, Tables: []complimentTable{
		{"Compliments by colleague", "colleague", f.ByColleague}, {"Compliments by team", "team", f.ByTeam},
		{"Compliments by contractor", "contractor", f.ByContractor},
	}}
}
