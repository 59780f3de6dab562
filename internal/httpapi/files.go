package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
)

// MaxUpload is the largest file upload accepted: attach.MaxTotal of
// files and the form around them, as the resident's pages take, so a
// file a resident could send is one staff can add for them.
const MaxUpload = attach.MaxTotal + 1<<20

// uploadTimeout is how long an upload may take to arrive, as on the
// resident's pages.
const uploadTimeout = 10 * time.Minute

// uploadFiles adds files to a case from staff: a letter that came by
// post and was scanned, photos taken on a visit. They are checked by
// their content and limited as the resident's own uploads are
// (attach.CheckAll), and recorded as information added with source
// "staff", so the case's files and its audit trail hold them alike
// whoever brought them; being staff's own, they do not tag the case "new
// from resident".
//
// The request is multipart/form-data: one or more files in the field
// "files" and an optional "text" saying what they are. The case is found
// as the caller may see it before any file is read, so a case hidden from
// them costs no upload. If-Match is checked against the case as found.
func (s *Server) uploadFiles(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	if version != 0 && version != c.Version {
		return complaint.Errorf(complaint.Stale, "case %s has changed: it is at version %d, not %d; reload it and try again", c.Reference, c.Version, version)
	}
	// 25 MB over a slow link can take minutes: more than the server's
	// read and write timeouts allow a command. Only a caller who may act
	// on the case gets the longer time. Servers that do not support
	// deadlines (tests' recorders) keep their own.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(clock.Deadline(uploadTimeout))
	rc.SetWriteDeadline(clock.Deadline(uploadTimeout + time.Minute))
	files, text, err := readUploads(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	info := complaint.AddInformation{Source: "staff", From: u.Email, Text: text}
	c, err = s.cases().Receive(r.Context(), complaint.Actor{Email: u.Email, Role: u.Role}, c.Reference, s.Now(), info, files)
	if err != nil {
		return err
	}
	return writeCase(w, http.StatusOK, c)
}

// readUploads reads a staff upload: its files, each checked by its
// content, and its text. Any other field is refused, as an unknown JSON
// field is, so a misspelt "text" is not silently dropped.
func readUploads(r *http.Request) ([]attach.File, string, error) {
	err := r.ParseMultipartForm(1 << 20)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, "", &complaint.Error{Code: complaint.TooLarge, Message: fmt.Sprintf("the upload is over %d MB: the files must come to %d MB or less in all", MaxUpload>>20, attach.MaxTotal>>20)}
	case errors.Is(err, http.ErrNotMultipart), errors.Is(err, http.ErrMissingBoundary):
		return nil, "", complaint.InvalidField("body", "send the files as multipart/form-data, in a field named files")
	case err != nil:
		return nil, "", complaint.InvalidField("body", "the form could not be read: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	bad := map[string]string{}
	for k := range r.MultipartForm.Value {
		if k != "text" {
			bad[k] = "is not a field of an upload: send files and, optionally, text"
		}
	}
	for k := range r.MultipartForm.File {
		if k != "files" {
			bad[k] = "is not a field of an upload: send the files in the field named files"
		}
	}
	if len(r.MultipartForm.Value["text"]) > 1 {
		bad["text"] = "is given more than once"
	}
	if len(bad) > 0 {
		return nil, "", &complaint.Error{Code: complaint.Invalid, Message: "the upload has fields it does not take", Fields: bad}
	}
	files, refused, err := attach.FromForm(r.MultipartForm, "files")
	if err != nil {
		return nil, "", err
	}
	if refused != nil {
		// The reason names the file, as it was given.
		return nil, "", complaint.InvalidField("files", "%v", refused)
	}
	if len(files) == 0 {
		return nil, "", complaint.InvalidField("files", "choose at least one file; to record information without a file, add a note")
	}
	return files, r.FormValue("text"), nil
}
