package attach

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
)

// formOf builds a parsed multipart form with the files given, by name.
func formOf(t *testing.T, files map[string][]byte, order ...string) *multipart.Form {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, name := range order {
		part, err := w.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(files[name])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	form, err := multipart.NewReader(&body, w.Boundary()).ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { form.RemoveAll() })
	return form
}

func TestEverySurfaceReadsUploadedFilesTheOneWay(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	t.Run("a photo is read and an empty file input skipped", func(t *testing.T) {
		files, refused, err := FromForm(formOf(t, map[string][]byte{"mould.png": png, "": nil}, "mould.png", ""), "files")
		if err != nil || refused != nil || len(files) != 1 || files[0].Name != "mould.png" || files[0].ContentType != "image/png" {
			t.Errorf("FromForm = %+v, %v, %v; want the one PNG", files, refused, err)
		}
	})
	t.Run("a program named as a photo is refused, naming it", func(t *testing.T) {
		_, refused, err := FromForm(formOf(t, map[string][]byte{"photo.jpg": []byte("MZ\x90\x00program")}, "photo.jpg"), "files")
		if err != nil || refused == nil || !strings.HasPrefix(refused.Error(), "photo.jpg") {
			t.Errorf("FromForm refused %v, err %v; want photo.jpg refused", refused, err)
		}
	})
	t.Run("no files is no files, not a refusal", func(t *testing.T) {
		files, refused, err := FromForm(formOf(t, nil), "files")
		if err != nil || refused != nil || len(files) != 0 {
			t.Errorf("FromForm = %+v, %v, %v; want nothing", files, refused, err)
		}
	})
}
