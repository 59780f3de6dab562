package webui

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// The most a logo may be: a letterhead logo is small, and a bigger file
// is almost always a photograph uploaded by mistake.
const maxLogoBytes = 512 << 10

func (s *Server) letterheadPage(w http.ResponseWriter, r *http.Request) error {
	lh, _, err := s.Store.Letterhead(r.Context())
	if err != nil {
		return err
	}
	form := map[string]string{"name": lh.Name, "address": strings.Join(lh.Address, "\n"), "contact": strings.Join(lh.Contact, "\n")}
	return s.renderLetterhead(w, r, http.StatusOK, lh, form, nil, r.URL.Query().Get("saved") == "1")
}

func (s *Server) renderLetterhead(w http.ResponseWriter, r *http.Request, status int, lh store.Letterhead, form map[string]string, errs []fieldError, saved bool) error {
	s.render(w, r, status, "letterhead", map[string]any{
		"Title": "Letterhead", "Nav": "letters", "Form": form, "Errors": errs, "Saved": saved, "HasLogo": len(lh.Logo) > 0,
	})
	return nil
}

// setLetterhead saves the letterhead. The logo is checked by its content,
// not its name: only PNG and JPEG are taken, up to maxLogoBytes, and a
// letter with it is rendered before it is saved, so a logo the PDF cannot
// use is refused now rather than when a letter is due.
//
// A body that is not the page's multipart form is refused with a 400 that
// says so, keeping whatever was typed that could be read, and nothing is
// saved: the form is the only way in, and a broken one is the sender's
// mistake, not the server's.
func (s *Server) setLetterhead(w http.ResponseWriter, r *http.Request) error {
	old, _, err := s.Store.Letterhead(r.Context())
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(maxLogoBytes + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		typed := map[string]string{}
		for _, k := range []string{"name", "address", "contact"} {
			typed[k] = strings.TrimSpace(r.PostForm.Get(k))
		}
		switch {
		case errors.As(err, &tooBig):
			return s.renderLetterhead(w, r, http.StatusRequestEntityTooLarge, old, typed,
				[]fieldError{{"logo", "The logo must be smaller than 512 KB"}}, false)
		case errors.Is(err, http.ErrNotMultipart):
			return s.renderLetterhead(w, r, http.StatusBadRequest, old, typed,
				[]fieldError{{"logo", "The form was not sent as this page sends it (multipart/form-data, with the logo as a file): nothing was saved; send it again from this page"}}, false)
		default:
			return s.renderLetterhead(w, r, http.StatusBadRequest, old, typed,
				[]fieldError{{"logo", "The form could not be read (" + err.Error() + "): nothing was saved; send it again from this page"}}, false)
		}
	}
	form := map[string]string{}
	for _, k := range []string{"name", "address", "contact"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	lh := store.Letterhead{Name: form["name"], Address: lines(form["address"]), Contact: lines(form["contact"]),
		Logo: old.Logo, UpdatedBy: userOf(r).Email, UpdatedAt: s.Now()}
	var errs []fieldError
	if lh.Name == "" {
		errs = append(errs, fieldError{"name", "Enter the landlord's name, as it heads every letter"})
	}
	if len(lh.Address) > 6 {
		errs = append(errs, fieldError{"address", "The address must be 6 lines or fewer"})
	}
	if len(lh.Contact) > 6 {
		errs = append(errs, fieldError{"contact", "The contact details must be 6 lines or fewer"})
	}
	if r.PostFormValue("remove_logo") == "yes" {
		lh.Logo = nil
	}
	if f, hdr, err := r.FormFile("logo"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxLogoBytes+1))
		switch ct := http.DetectContentType(b); {
		case err != nil:
			return err
		case hdr.Size == 0 || len(b) == 0:
		case len(b) > maxLogoBytes:
			errs = append(errs, fieldError{"logo", "The logo must be smaller than 512 KB"})
		case ct != "image/png" && ct != "image/jpeg":
			errs = append(errs, fieldError{"logo", "The logo must be a PNG or JPEG image"})
		default:
			lh.Logo = b
		}
	} else if !errors.Is(err, http.ErrMissingFile) {
		return err
	}
	if len(errs) == 0 {
		if err := (letters.Letterhead{Name: lh.Name, Address: lh.Address, Contact: lh.Contact, Logo: lh.Logo}).Validate(); err != nil {
			errs = append(errs, fieldError{"logo", "The letterhead cannot be printed: " + err.Error()})
		}
	}
	if len(errs) > 0 {
		return s.renderLetterhead(w, r, http.StatusBadRequest, old, form, errs, false)
	}
	if err := s.Store.SetLetterhead(r.Context(), lh); err != nil {
		return err
	}
	// Every page's header, and the residents' pages and email, show the
	// new name and logo from the next request, not after the cache's TTL.
	s.Brand.Changed()
	s.Log.Info("letterhead saved", "user_id", userOf(r).ID, "logo", len(lh.Logo) > 0)
	http.Redirect(w, r, "/letters/letterhead?saved=1", http.StatusSeeOther)
	return nil
}
