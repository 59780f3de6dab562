package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// templateRow is a kind of letter in the list of templates.
type templateRow struct {
	Kind       letters.Kind
	Customised bool
	UpdatedBy  string
	UpdatedAt  string
}

func (s *Server) letterTemplatesPage(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.Store.LetterTemplates(r.Context())
	if err != nil {
		return err
	}
	var rowsOut []templateRow
	for _, k := range letters.Kinds {
		row := templateRow{Kind: k}
		if t, ok := ts[string(k)]; ok {
			row.Customised, row.UpdatedBy, row.UpdatedAt = true, t.UpdatedBy, formatTime(t.UpdatedAt)
		}
		rowsOut = append(rowsOut, row)
	}
	s.render(w, r, http.StatusOK, "letter-templates", map[string]any{"Title": "Letters", "Nav": "letters", "Templates": rowsOut,
		"Saved": r.URL.Query().Get("saved")})
	return nil
}

func templateKind(r *http.Request) (letters.Kind, error) {
	k, err := letters.ParseKind(r.PathValue("kind"))
	if err != nil {
		return "", complaint.Errorf(complaint.NotFound, "%v", err)
	}
	return k, nil
}

func (s *Server) letterTemplatePage(w http.ResponseWriter, r *http.Request) error {
	kind, err := templateKind(r)
	if err != nil {
		return err
	}
	ts, err := s.Store.LetterTemplates(r.Context())
	if err != nil {
		return err
	}
	t, customised := ts[string(kind)]
	source := t.Source
	if !customised {
		def, err := letters.DefaultTemplate(kind)
		if err != nil {
			return err
		}
		source = def.Source()
	}
	return s.renderLetterTemplate(w, r, http.StatusOK, kind, url.Values{"source": {source}}, nil, customised)
}

func (s *Server) renderLetterTemplate(w http.ResponseWriter, r *http.Request, status int, kind letters.Kind, form url.Values, errs []fieldError, customised bool) error {
	var preview []letters.Block
	if tmpl, err := letters.ParseTemplate(kind, form.Get("source")); err == nil {
		if body, err := tmpl.Execute(letters.SampleData(kind)); err == nil {
			preview = letters.Blocks(body)
		}
	}
	s.render(w, r, status, "letter-template", map[string]any{
		"Title": "Wording of the " + kind.Title(), "Nav": "letters", "Kind": kind, "Errors": errs, "Customised": customised,
		"Source":  rows(newField("source", "Template", "Go template syntax: {{.Reference}}, {{range .Points}} … {{end}}. The letter must still say everything the Code requires; it is checked against sample cases when you save.", form, errs), 30),
		"Preview": preview,
	})
	return nil
}

// saveLetterTemplate checks the wording renders and keeps what the Code
// requires, then saves it; "restore" goes back to the built-in wording.
// Letters already issued are not touched: they are kept as issued.
func (s *Server) saveLetterTemplate(w http.ResponseWriter, r *http.Request) error {
	kind, err := templateKind(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	t := store.LetterTemplate{Kind: string(kind), UpdatedBy: userOf(r).Email, UpdatedAt: s.Now()}
	if r.PostForm.Get("restore") != "yes" {
		t.Source = strings.ReplaceAll(r.PostForm.Get("source"), "\r\n", "\n")
		if _, err := letters.ParseTemplate(kind, t.Source); err != nil {
			msg := err.Error()
			var te *letters.TemplateError
			if errors.As(err, &te) {
				msg = capitalise(te.Message)
				if te.Line > 0 {
					msg = fmt.Sprintf("Line %d: %s", te.Line, te.Message)
				}
				for _, m := range te.Missing {
					msg += "; " + m.Message
				}
			}
			return s.renderLetterTemplate(w, r, http.StatusBadRequest, kind, r.PostForm, []fieldError{{"source", msg}}, true)
		}
	}
	if err := s.Store.SetLetterTemplate(r.Context(), t); err != nil {
		return err
	}
	s.Log.Info("letter template saved", "kind", string(kind), "restored", t.Source == "", "user_id", userOf(r).ID)
	http.Redirect(w, r, "/letters/templates?saved="+url.QueryEscape(kind.Title()), http.StatusSeeOther)
	return nil
}
