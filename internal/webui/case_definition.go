package webui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// definitionPoint is one current point of complaint on the "Amend the
// complaint definition" page: its wording, to reword, and a box to
// withdraw it.
type definitionPoint struct {
	N        int
	Wording  formField
	Withdraw formField
	Checked  bool
}

// definitionPage is "Amend the complaint definition": the current
// stage's points, numbered as the resident's letters number them, to
// reword, withdraw or add to, and the outcomes sought. A resident often
// says more, or less, after the acknowledgement, and the response must
// decide the complaint as it stands (Code 6.7).
func (s *Server) definitionPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	s.renderDefinition(w, r, http.StatusOK, c, nil, nil)
	return nil
}

// amendDefinition records the amendment at the version the page showed.
// Where the officer asked to tell the resident, it comes back to this
// page, which then says it is saved and offers the letter; otherwise it
// goes back to the case.
func (s *Server) amendDefinition(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	cmd, errs := definitionCommand(r.PostForm, c.Current())
	if len(errs) == 0 {
		var next complaint.Case
		next, err = s.cases().Apply(r.Context(), userOf(r), c.Reference, formVersion(r), time.Time{}, cmd)
		if err == nil {
			to := "/cases/" + next.Reference + "?done=definition"
			if r.PostForm.Get("tell_resident") == "yes" {
				to = "/cases/" + next.Reference + "/definition?saved=tell"
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return nil
		}
	}
	status := http.StatusBadRequest
	if err != nil {
		var ok bool
		if errs, status, ok = definitionErrors(err, cmd); !ok {
			return err
		}
	}
	latest, err := s.Store.GetCase(r.Context(), c.Reference)
	if err != nil {
		return err
	}
	s.renderDefinition(w, r, status, latest, errs, r.PostForm)
	return nil
}

// definitionCommand reads the page: a point whose wording differs from
// the stage's is reworded, a ticked point withdrawn, each line of the new
// points box added, and the outcomes sought replaced if they differ.
// Points are numbered as the page numbers them, from 1, as the domain
// numbers them too.
func definitionCommand(f url.Values, st *complaint.Stage) (complaint.AmendDefinition, []fieldError) {
	var cmd complaint.AmendDefinition
	var points, outcomes []string
	if st != nil {
		points, outcomes = st.Points, st.OutcomesSought
	}
	for i, p := range points {
		n := i + 1
		if v, ok := f["point."+strconv.Itoa(n)]; ok && len(v) > 0 && strings.TrimSpace(v[0]) != p {
			cmd.Reword = append(cmd.Reword, complaint.PointWording{Point: n, Text: v[0]})
		}
	}
	var errs []fieldError
	for _, v := range f["withdraw"] {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fieldError{"definition", "Choose the points to withdraw by ticking their boxes"})
			continue
		}
		cmd.Withdraw = append(cmd.Withdraw, n)
	}
	cmd.Add = lines(f.Get("add"))
	if v, ok := f["outcomes_sought"]; ok && len(v) > 0 {
		if o := lines(v[0]); !slices.Equal(o, outcomes) {
			cmd.OutcomesSought = &o
		}
	}
	cmd.Reason = f.Get("reason")
	cmd.NoUnreasonableDelay = f.Get("no_unreasonable_delay") == "yes"
	return cmd, errs
}

// definitionErrors puts the domain's refusal of cmd in the page's words,
// on the page's fields: reword[1].text is the wording of the point it
// rewords, as numbered on the page, withdraw[0] that point's box.
func definitionErrors(err error, cmd complaint.AmendDefinition) ([]fieldError, int, bool) {
	var e *complaint.Error
	if !errors.As(err, &e) || e.Code != complaint.Invalid || len(e.Fields) == 0 {
		return pageErrors(err, "definition")
	}
	type ranked struct {
		rank int
		fieldError
	}
	var out []ranked
	add := func(rank int, field, msg string) { out = append(out, ranked{rank, fieldError{field, msg}}) }
	const after = 1 << 20 // ranks the fields after the points in page order
	for k, msg := range e.Fields {
		list, i, tail := indexed(k)
		switch {
		case k == "body":
			add(-1, "definition", "Change something: reword, withdraw or add a point, or change the outcomes sought")
		case list == "reword" && i < len(cmd.Reword):
			n := cmd.Reword[i].Point
			switch {
			case tail == "point" && strings.Contains(msg, "withdrawn"):
				add(n, "point."+strconv.Itoa(n), "Point "+strconv.Itoa(n)+" is ticked to be withdrawn: put its wording back, or untick it")
			case tail == "text" && msg == "is required":
				add(n, "point."+strconv.Itoa(n), "Enter the wording of point "+strconv.Itoa(n)+", or tick it to be withdrawn")
			default:
				add(n, "point."+strconv.Itoa(n), "Point "+strconv.Itoa(n)+" "+msg)
			}
		case list == "withdraw" && i < len(cmd.Withdraw):
			n := cmd.Withdraw[i]
			add(n, "withdraw."+strconv.Itoa(n), "Point "+strconv.Itoa(n)+" cannot be withdrawn: "+msg)
		case k == "withdraw":
			first := 1
			if len(cmd.Withdraw) > 0 {
				first = slices.Min(cmd.Withdraw)
			}
			add(first, "withdraw."+strconv.Itoa(first), "Withdrawing every point "+msg)
		case list == "add":
			add(after, "add", "New point "+strconv.Itoa(i+1)+" "+msg)
		case k == "add":
			add(after, "add", "With these new points, "+msg)
		case k == "no_unreasonable_delay":
			add(after, "no_unreasonable_delay", noDelayMessage)
		case list == "outcomes_sought":
			add(after+1, "outcomes_sought", "Outcome "+strconv.Itoa(i+1)+" "+msg)
		case k == "outcomes_sought":
			add(after+1, "outcomes_sought", "Outcomes the resident wants "+msg)
		case k == "reason" && msg == "is required":
			add(after+2, "reason", "Enter why the definition is changing")
		case k == "reason":
			add(after+2, "reason", "Why it is changing "+msg)
		default:
			add(after+3, "definition", fieldMessage(k, msg))
		}
	}
	slices.SortStableFunc(out, func(a, b ranked) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.Field, b.Field)
	})
	errs := make([]fieldError, len(out))
	for i, o := range out {
		errs[i] = o.fieldError
	}
	return errs, http.StatusBadRequest, true
}

// indexed splits a domain field path such as reword[1].text into its
// list, index and the rest; list is "" for a path with no index.
func indexed(k string) (list string, i int, tail string) {
	name, rest, ok := strings.Cut(k, "[")
	if !ok {
		return "", 0, ""
	}
	num, tail, _ := strings.Cut(rest, "]")
	i, err := strconv.Atoi(num)
	if err != nil {
		return "", 0, ""
	}
	return name, i, strings.TrimPrefix(tail, ".")
}

// renderDefinition shows the definition page: the stage's points as they
// are, or what was typed with its errors after a refusal, numbered from 1
// as the page and the domain both number them.
func (s *Server) renderDefinition(w http.ResponseWriter, r *http.Request, status int, c complaint.Case, errs []fieldError, typed url.Values) {
	st := c.Current()
	form := typed
	if form == nil {
		form = url.Values{}
		if st != nil {
			for i, p := range st.Points {
				form.Set("point."+strconv.Itoa(i+1), p)
			}
			form.Set("outcomes_sought", strings.Join(st.OutcomesSought, "\n"))
		}
	}
	var points []definitionPoint
	var withdrawn []complaint.WithdrawnPoint
	if st != nil {
		withdrawn = st.Withdrawn
		for i := range st.Points {
			n := strconv.Itoa(i + 1)
			wording := rows(newField("point."+n, "Wording of point "+n, "", form, errs), 3)
			box := newField("withdraw."+n, "Withdraw point "+n, "It leaves the complaint; the case keeps a record of it", nil, errs)
			points = append(points, definitionPoint{N: i + 1, Wording: wording, Withdraw: box, Checked: slices.Contains(form["withdraw"], n)})
		}
	}
	s.render(w, r, status, "case-definition", map[string]any{
		"Title": "Amend the complaint definition of " + c.Reference, "Nav": "cases", "Case": c, "Stage": st, "Errors": errs,
		"Points": points, "Withdrawn": withdrawn, "Saved": typed == nil && r.URL.Query().Get("saved") == "tell",
		"Add":      rows(newField("add", "New points (optional)", "One point a line. They are numbered after the points above", form, errs), 3),
		"Outcomes": rows(newField("outcomes_sought", "Outcomes the resident wants", "One a line", form, errs), 3),
		"NoDelay":  newField("no_unreasonable_delay", noDelayLabel, noDelayHint, form, errs),
		"Reason":   rows(newField("reason", "Why the definition is changing", "For example, what the resident said, and when. It is kept with the change", form, errs), 3),
		"Tell":     newField("tell_resident", "Tell the resident", "After saving, you will be offered a letter to write to them", form, errs),
	})
}
