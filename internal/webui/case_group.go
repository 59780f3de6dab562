package webui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// The case page's forms for a group complaint or petition.
const (
	formGroup       = "group"
	formGroupCopies = "group-copies"
)

// groupCommand reads the form that records a case's group (003: "we will
// ask the group to nominate a single point of contact"): its name, its
// point of contact, and its members one a line, each "name, email" or
// "name, postal address", so that a written response can reach every
// one. A line the page cannot read is named by its number.
func groupCommand(f url.Values) (complaint.Command, []fieldError) {
	g := complaint.Group{Name: f.Get("group_name"), PointOfContact: f.Get("point_of_contact")}
	var errs []fieldError
	for i, line := range strings.Split(strings.ReplaceAll(f.Get("members"), "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, how, _ := strings.Cut(line, ",")
		name, how = strings.TrimSpace(name), strings.TrimSpace(how)
		switch {
		case name == "":
			errs = append(errs, fieldError{"members", fmt.Sprintf("Line %d: enter the member's name before the comma", i+1)})
			continue
		case how == "":
			errs = append(errs, fieldError{"members", fmt.Sprintf("Line %d: give %s's email or postal address after a comma", i+1, name)})
			continue
		}
		m := complaint.GroupMember{Name: name}
		if !strings.Contains(how, ",") && strings.Contains(how, "@") {
			m.Email = how
		} else {
			m.Address = how
		}
		g.People = append(g.People, m)
	}
	if len(errs) > 1 {
		// One message per field: the first line at fault, and how many.
		errs = []fieldError{{"members", fmt.Sprintf("%s (and %d more lines)", errs[0].Message, len(errs)-1)}}
	}
	return complaint.RecordGroup{Group: g}, errs
}

// groupFieldToForm maps the domain's group fields to the form's.
func groupFieldToForm(field string) string {
	switch field {
	case "group.name":
		return "group_name"
	case "group.point_of_contact":
		return "point_of_contact"
	}
	return "members"
}

// groupView is what the case page shows of a group: its members, and
// for the stage's issued response, who has been sent a copy.
type groupView struct {
	Group    *complaint.Group
	Response *store.Letter
	Rows     []groupMemberRow
	Due      int
	// Promised is true where the policy promises every member the
	// written response (003).
	Promised bool
}

type groupMemberRow struct {
	Member complaint.GroupMember
	Copy   *complaint.GroupCopy
}

func (s *Server) newGroupView(c complaint.Case, issued []store.Letter) groupView {
	v := groupView{Group: c.Group, Promised: s.Policy.Groups.RespondToEveryMember}
	if c.Group == nil {
		return v
	}
	kind := complaint.ResponseLetterKind(c.Stage)
	for i := range issued {
		if issued[i].Kind == kind && issued[i].Stage == c.Stage {
			v.Response = &issued[i]
		}
	}
	for _, m := range c.Group.People {
		row := groupMemberRow{Member: m}
		if v.Response != nil {
			for i := range c.GroupCopies {
				if g := c.GroupCopies[i]; g.SHA256 == v.Response.SHA256 && g.Member == m.Name {
					row.Copy = &c.GroupCopies[i]
				}
			}
			if row.Copy == nil {
				v.Due++
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// sendGroupCopies sends the stage's response to every member of the
// group not yet sent a copy (casework.SendGroupCopies).
func (s *Server) sendGroupCopies(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	next, err := s.cases().SendGroupCopies(r.Context(), userOf(r), c.Reference, version)
	if errs, ok := domainErrors(err, formGroupCopies); ok {
		latest, lerr := s.Store.GetCase(r.Context(), c.Reference)
		if lerr != nil {
			return lerr
		}
		return s.renderCase(w, r, http.StatusConflict, latest, formGroupCopies, errs, r.PostForm)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/cases/"+next.Reference+"?done="+formGroupCopies+"#group-complaint", http.StatusSeeOther)
	return nil
}

// groupDetail is what the timeline shows of a group recorded (its name,
// point of contact and members) or of copies of a response sent (each
// member and how).
func groupDetail(m map[string]any) []string {
	var out []string
	if g, ok := m["group"].(map[string]any); ok {
		out = append(out, "Group: "+toString(g["name"]), "Point of contact: "+toString(g["point_of_contact"]))
		if ps, ok := g["people"].([]any); ok {
			out = append(out, fmt.Sprintf("Members listed: %d", len(ps)))
		}
	}
	if cs, ok := m["copies"].([]any); ok {
		for _, c := range cs {
			cm, _ := c.(map[string]any)
			out = append(out, "Copy to "+toString(cm["member"])+" by "+toString(cm["channel"]))
		}
	}
	return out
}
