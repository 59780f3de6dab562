package webui

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
)

// evidencePack downloads a case's evidence pack. Only people who may see
// the case and act on cases may take its whole record away; the download
// is logged by reference and user, never with the resident's details.
func (s *Server) evidencePack(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	pack, err := evidence.BuildFor(r.Context(), s.Store, c.Reference, s.brandName(r.Context()), s.Now(), s.viewer(userOf(r)))
	if err != nil {
		return err
	}
	s.Log.Info("evidence pack downloaded", "reference", c.Reference, "user_id", userOf(r).ID, "verified", pack.Verification.OK())
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-evidence.zip"`, c.Reference))
	w.Header().Set("Content-Length", strconv.Itoa(len(pack.Zip)))
	_, err = w.Write(pack.Zip)
	return err
}

// attachment downloads a file sent with the case, to those who may see
// the case. It is always offered as a download, never shown inline, with
// the type read from its content when it arrived.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "case %s has no file %q", c.Reference, r.PathValue("id"))
	}
	a, err := s.Store.Attachment(r.Context(), c.Reference, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	_, err = w.Write(a.Data)
	return err
}
