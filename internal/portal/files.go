package portal

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// filesData is what the files page shows.
type filesData struct {
	Files   []store.DraftFile
	Allowed string
	Max     int
}

func (s *Server) renderFiles(w http.ResponseWriter, r *http.Request, status int, d *draft, errs []fieldError) {
	s.render(w, status, "files", s.withDanger(r, d.a, &page{
		Title: "Do you want to send photos or documents?", Back: previous(d.a, filesStep), Errors: errs,
		Data: filesData{Files: d.Files, Allowed: attach.Allowed, Max: attach.MaxFiles},
	}))
}

// liveDraft returns the request's unsent draft if it may see page slug,
// or writes where to go instead and returns nil.
func (s *Server) liveDraft(w http.ResponseWriter, r *http.Request, slug string) (*draft, error) {
	d, err := s.loadDraft(r)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, s.startAgain(w)
	}
	if d.CaseRef != "" {
		return nil, seeOther(w, r, "/complain/confirmation")
	}
	if to := allowed(d.a, slug); to != "" {
		return nil, seeOther(w, r, "/complain/"+to)
	}
	return d, nil
}

// filesPage lists the files uploaded so far and offers more.
func (s *Server) filesPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.liveDraft(w, r, filesStep)
	if d == nil {
		return err
	}
	s.renderFiles(w, r, http.StatusOK, d, nil)
	return nil
}

// uploadFiles keeps the files chosen with the draft, each checked by its
// content, and goes on or back to the page for more. A refused file
// refuses the whole upload and keeps nothing of it. The draft is found
// from its cookie before the body is read, so a request with no form in
// progress is turned away without its files being read.
func (s *Server) uploadFiles(w http.ResponseWriter, r *http.Request) error {
	d, err := s.liveDraft(w, r, filesStep)
	if d == nil {
		return err
	}
	files, form, uerr := readUploads(r)
	if uerr != nil {
		var fe *fileError
		if errors.As(uerr, &fe) {
			s.renderFiles(w, r, fe.status, d, []fieldError{{Field: "files", Message: fe.msg}})
			return nil
		}
		return uerr
	}
	next := d.a.clone()
	if filledHoneypot(form) {
		next.Bot = true
	}
	if len(files) > 0 {
		add := make([]store.DraftFile, len(files))
		for i, f := range files {
			add[i] = store.DraftFile{Name: f.Name, ContentType: f.ContentType, Data: f.Data, SHA256: f.SHA256}
		}
		added, err := s.Drafts.AddDraftFiles(r.Context(), d.hash, add, s.Now(), attach.MaxFiles, attach.MaxTotal)
		var e *complaint.Error
		if errors.As(err, &e) && e.Code == complaint.Invalid {
			s.renderFiles(w, r, http.StatusBadRequest, d, []fieldError{{Field: "files", Message: capitalise(e.Fields["files"])}})
			return nil
		}
		if err != nil {
			return err
		}
		d.Files = append(d.Files, added...)
	}
	if form.Get("action") == "upload" {
		if len(files) == 0 {
			s.renderFiles(w, r, http.StatusBadRequest, d, []fieldError{{Field: "files", Message: "Select a file to upload"}})
			return nil
		}
		if err := s.saveDraft(w, r, d, next); err != nil {
			return err
		}
		return seeOther(w, r, "/complain/files")
	}
	next.Done[filesStep] = true
	if err := s.saveDraft(w, r, d, next); err != nil {
		return err
	}
	return seeOther(w, r, "/complain/"+nextAfter(next, filesStep))
}

// removeFile takes a file off the draft.
func (s *Server) removeFile(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d, err := s.liveDraft(w, r, filesStep)
	if d == nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "there is no such file")
	}
	if err := s.Drafts.RemoveDraftFile(r.Context(), d.hash, id); err != nil {
		return err
	}
	return seeOther(w, r, "/complain/files")
}

// fileError is a problem with an upload to show on the page's files
// field, with the status to answer.
type fileError struct {
	status int
	msg    string
}

func (e *fileError) Error() string { return e.msg }

// readUploads reads a multipart form: its files field's files, each
// checked by its content (attach.CheckAll), and its other fields. A body
// over the upload limit, or a file refused, is a *fileError.
func readUploads(r *http.Request) ([]attach.File, url.Values, error) {
	err := r.ParseMultipartForm(1 << 20)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, nil, &fileError{http.StatusRequestEntityTooLarge, fmt.Sprintf("The files must come to %d MB or less in all", attach.MaxTotal>>20)}
	case errors.Is(err, http.ErrNotMultipart):
		return nil, nil, complaint.Errorf(complaint.Invalid, "the form was not sent as a form with files")
	case err != nil:
		return nil, nil, &fileError{http.StatusBadRequest, "The files could not be read: try again"}
	}
	defer r.MultipartForm.RemoveAll()
	files, refused, err := attach.FromForm(r.MultipartForm, "files")
	if err != nil {
		return nil, nil, err
	}
	if refused != nil {
		// The message starts with the file's name, as it was given.
		return nil, r.MultipartForm.Value, &fileError{http.StatusBadRequest, refused.Error()}
	}
	return files, r.MultipartForm.Value, nil
}
