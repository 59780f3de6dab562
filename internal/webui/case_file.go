package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/complaint"
)

// maxUpload is the largest body the "Add a file or a record of contact"
// form may send: attach.MaxTotal of files and the form around them, as
// the resident's pages take, so that a file a resident could send is one
// staff can add for them.
const maxUpload = attach.MaxTotal + 1<<20

// contactWays are how information may reach staff, as the page offers
// them; the chosen one starts the record's From, so the timeline says how
// it came.
var contactWays = []option{
	{"phone", "A phone call"}, {"letter", "A letter"}, {"visit", "A visit"},
	{"inspection", "An inspection"}, {"other", "Another way"},
}

// contactFrom is what the record's From says for each way: "Phone call
// from Ada Resident".
var contactFrom = map[string]string{
	"phone": "Phone call", "letter": "Letter", "visit": "Visit", "inspection": "Inspection",
}

// newFilePage is "Add a file or a record of contact": what reached the
// landlord outside Redress, a call, a letter, a visit or an inspection,
// with any files (a scanned letter, photos of the repair), kept with
// the case as the resident's own uploads are.
func (s *Server) newFilePage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	s.renderFile(w, r, http.StatusOK, c, nil, url.Values{"how": {r.URL.Query().Get("how")}})
	return nil
}

// addFile records the contact, and its files, as information added with
// source "staff", so the case's files and audit trail hold them alike
// whoever brought them. The case is found as the person may see it
// before the files are read, so a case hidden from them costs no upload.
// A refused file refuses the whole form, and nothing is kept.
func (s *Server) addFile(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	files, ferr := readStaffUploads(r)
	var fe *uploadError
	switch {
	case errors.As(ferr, &fe):
		s.renderFile(w, r, fe.status, c, []fieldError{{"files", fe.msg}}, r.PostForm)
		return nil
	case ferr != nil:
		return ferr
	}
	f := r.PostForm
	how, who := f.Get("how"), strings.TrimSpace(f.Get("from"))
	var errs []fieldError
	from, ok := contactFrom[how]
	switch {
	case how == "other":
		if from = strings.TrimSpace(f.Get("other_way")); from == "" {
			errs = append(errs, fieldError{"other_way", "Say how it came, such as a text message"})
		}
	case !ok:
		errs = append(errs, fieldError{"how", "Choose how it came"})
	}
	if who != "" {
		from += " from " + who
	}
	if len(errs) == 0 && formVersion(r) != 0 && formVersion(r) != c.Version {
		errs = append(errs, fieldError{"file", staleMessage + ". Choose the files again"})
		s.renderFile(w, r, http.StatusConflict, c, errs, f)
		return nil
	}
	if len(errs) > 0 {
		s.renderFile(w, r, http.StatusBadRequest, c, errs, f)
		return nil
	}
	u := userOf(r)
	info := complaint.AddInformation{Source: "staff", From: from, Text: f.Get("text")}
	next, err := s.cases().Receive(r.Context(), complaint.Actor{Email: u.Email, Role: u.Role}, c.Reference, s.Now(), info, files)
	if errs, status, ok := pageErrors(err, "file"); ok {
		for i, e := range errs {
			switch {
			case e.Field == "text" && strings.HasSuffix(e.Message, "is required"):
				errs[i].Message = "Say what was said, or what the file is, or choose a file"
			case e.Field == "text":
				errs[i].Message = "What was said " + strings.TrimPrefix(e.Message, "Text ")
			case e.Field == "from":
				errs[i].Field, errs[i].Message = "from", "Who it came from, with how it came, "+strings.TrimPrefix(e.Message, "From ")
			case strings.HasPrefix(e.Field, "attachments"):
				errs[i].Field = "files"
			case e.Field != "file":
				errs[i].Field = "file"
			}
		}
		latest, lerr := s.Store.GetCase(r.Context(), c.Reference)
		if lerr != nil {
			return lerr
		}
		s.renderFile(w, r, status, latest, errs, f)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/cases/"+next.Reference+"?done=file", http.StatusSeeOther)
	return nil
}

// uploadError is a problem with the files sent, shown on the files field
// with the status to answer.
type uploadError struct {
	status int
	msg    string
}

func (e *uploadError) Error() string { return e.msg }

// readStaffUploads reads the form's files, each checked by its content
// with the limits the resident's form has (attach.CheckAll), and its
// other fields into r.PostForm. A body over the limit, or a file refused,
// is an *uploadError.
func readStaffUploads(r *http.Request) ([]attach.File, error) {
	err := r.ParseMultipartForm(1 << 20)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, &uploadError{http.StatusRequestEntityTooLarge, fmt.Sprintf("The files must come to %d MB or less in all", attach.MaxTotal>>20)}
	case errors.Is(err, http.ErrNotMultipart), errors.Is(err, http.ErrMissingBoundary):
		return nil, complaint.Errorf(complaint.Invalid, "the form was not sent as a form with files: go back and send it again from its page")
	case err != nil:
		return nil, &uploadError{http.StatusBadRequest, "The files could not be read: choose them again"}
	}
	defer r.MultipartForm.RemoveAll()
	files, refused, err := attach.FromForm(r.MultipartForm, "files")
	if err != nil {
		return nil, err
	}
	if refused != nil {
		// The message starts with the file's name, as it was given.
		return nil, &uploadError{http.StatusBadRequest, refused.Error()}
	}
	return files, nil
}

// renderFile shows the file page with its limits, which are the
// resident's (package attach), and what was typed after a refusal; files
// chosen are never kept, so a refused upload asks for them again.
func (s *Server) renderFile(w http.ResponseWriter, r *http.Request, status int, c complaint.Case, errs []fieldError, typed url.Values) {
	s.render(w, r, status, "case-file", map[string]any{
		"Title": "Add a file or a record of contact to " + c.Reference, "Nav": "cases", "Case": c, "Errors": errs,
		"Files":    newField("files", "Files (optional)", "", nil, errs),
		"How":      newField("how", "", "", typed, errs),
		"Ways":     contactWays,
		"Other":    newField("other_way", "If it came another way, how", "Only if you chose another way: for example, a text message, or a message passed on by a colleague", typed, errs),
		"From":     withType(newField("from", "Who it came from (optional)", "For example, the resident, their representative or a contractor", typed, errs), "text", "off"),
		"Text":     rows(newField("text", "What was said, or what the file is", "Required unless you choose a file. Kept in the case's timeline", typed, errs), 5),
		"MaxFiles": attach.MaxFiles, "MaxEach": attach.MaxBytes >> 20, "MaxTotal": attach.MaxTotal >> 20, "Allowed": attach.Allowed,
	})
}

// withType is the withType template function, for fields built in Go.
func withType(f formField, typ, autocomplete string) formField {
	f.Type, f.Autocomplete = typ, autocomplete
	return f
}
