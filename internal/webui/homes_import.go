package webui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// maxHomesFile is the largest homes file the import page takes: the
// limit of the staff's file uploads (maxUpload), which holds a register
// of well over 100,000 tenancies.
const maxHomesFile = maxUpload

// The import page's design (issue 20, item 1): the file is read and
// checked within the request, and a file of up to largeHomesFile
// tenancies is applied there too, in one transaction, the page that comes
// back being the report. A larger one is applied in the background while
// a page shows its progress (homes_job.go).

// homesImportView is the import page: the columns with the landlord's
// headers for them, and after a check or an import its report.
type homesImportView struct {
	Columns []homesColumn
	// Refused are the rows the file's problems name, by line and
	// column; nothing was imported when there are any.
	Refused []tenancy.RowError
	Rows    int
	Report  *store.RegisterReport
	// Changes are the report's first changes; More is how many are not
	// shown.
	Changes []store.RegisterChange
	More    int
	File    string
	// Job is a large file's import running in the background, if it is
	// one (homes_job.go).
	Job *homesJobView
}

// homesColumn is one column of a homes file, with the header the
// landlord's export gives it, if another.
type homesColumn struct {
	tenancy.Column
	Field formField
}

// shownChanges bounds the changes listed on the page; the counts above
// them are complete.
const shownChanges = 200

func (s *Server) homesImportPage(w http.ResponseWriter, r *http.Request) error {
	s.renderHomesImport(w, r, http.StatusOK, url.Values{}, nil, homesImportView{})
	return nil
}

func (s *Server) renderHomesImport(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []fieldError, v homesImportView) {
	for _, c := range tenancy.Columns {
		v.Columns = append(v.Columns, homesColumn{Column: c, Field: newField("map."+c.Name, c.Name, c.Help, form, errs)})
	}
	s.render(w, r, status, "homes-import", map[string]any{"Title": "Import homes and tenancies", "Nav": "reports", "Errors": errs, "View": v})
}

// homesTemplate is the first line of a homes file, to start an export
// from.
func (s *Server) homesTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="homes-template.csv"`)
	_, err := io.WriteString(w, tenancy.Template())
	return err
}

// importHomes checks (dry run) or imports a homes file sent from the
// page, with the column mapping typed beside it.
func (s *Server) importHomes(w http.ResponseWriter, r *http.Request) error {
	err := r.ParseMultipartForm(1 << 20)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		s.renderHomesImport(w, r, http.StatusRequestEntityTooLarge, url.Values{}, []fieldError{{"file", fmt.Sprintf("The file must be %d MB or less", maxHomesFile>>20)}}, homesImportView{})
		return nil
	case errors.Is(err, http.ErrNotMultipart), errors.Is(err, http.ErrMissingBoundary):
		return complaint.Errorf(complaint.Invalid, "the form was not sent as a form with a file: go back and send it again from its page")
	case err != nil:
		return complaint.Errorf(complaint.Invalid, "the form could not be read: choose the file again")
	}
	defer r.MultipartForm.RemoveAll()
	form := r.PostForm
	m := tenancy.Mapping{}
	for _, c := range tenancy.Columns {
		if h := strings.TrimSpace(form.Get("map." + c.Name)); h != "" {
			m[c.Name] = h
		}
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.renderHomesImport(w, r, http.StatusBadRequest, form, []fieldError{{"file", "Choose a homes file (CSV) to check or import"}}, homesImportView{})
		return nil
	}
	defer file.Close()
	b, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	v := homesImportView{File: hdr.Filename}
	f, err := tenancy.ReadCSV(bytes.NewReader(b), m, nil)
	if err != nil {
		s.renderHomesImport(w, r, http.StatusBadRequest, form, []fieldError{{"file", "The file cannot be imported: " + err.Error()}}, v)
		return nil
	}
	v.Rows = f.Rows
	if len(f.Errors) > 0 {
		v.Refused = f.Errors
		s.renderHomesImport(w, r, http.StatusBadRequest, form,
			[]fieldError{{"file", fmt.Sprintf("%d of the file's %d rows have problems, listed below by line and column; nothing was imported", len(f.Errors), f.Rows)}}, v)
		return nil
	}
	sum := sha256.Sum256(b)
	dry := form.Get("action") != "import"
	u := userOf(r)
	imp := store.RegisterImport{FileSHA256: hex.EncodeToString(sum[:]), By: u.Email, At: s.Now(), DryRun: dry}
	if len(f.Tenancies) > largeHomesFile {
		id := s.startHomesJob(f, imp, u.ID, hdr.Filename)
		http.Redirect(w, r, "/admin/homes/import/"+id, http.StatusSeeOther)
		return nil
	}
	rep, err := s.Store.ImportRegister(r.Context(), f, imp, nil)
	if err != nil {
		return err
	}
	if !dry {
		s.Log.Info("register imported", "user_id", u.ID, "rows", rep.Rows, "tenancies_added", rep.TenanciesAdded, "tenancies_changed", rep.TenanciesChanged)
	}
	v.Report = &rep
	v.Changes = rep.Changes
	if len(v.Changes) > shownChanges {
		v.Changes, v.More = v.Changes[:shownChanges], len(v.Changes)-shownChanges
	}
	s.renderHomesImport(w, r, http.StatusOK, form, nil, v)
	return nil
}
