// Package attach decides which files residents and staff may attach to a
// case. A file's type is read from its content, never from its name or
// the type a browser or mail client claims, so a program renamed to
// photo.jpg is refused. The package is pure.
package attach

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/complaint"
)

// Limits on files: a phone photo is a few megabytes; ten of them is a
// generous complaint.
const (
	MaxBytes = 10 << 20 // per file
	MaxFiles = 10       // per submission
	MaxTotal = 25 << 20 // per submission
)

// Types are the content types accepted, with what people call them.
var Types = map[string]string{
	"application/pdf": "PDF",
	"image/jpeg":      "JPEG image",
	"image/png":       "PNG image",
	"image/gif":       "GIF image",
	"image/webp":      "WebP image",
	"image/heic":      "HEIC photo",
	"text/plain":      "text",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       "Excel spreadsheet",
	"application/vnd.oasis.opendocument.text":                                 "OpenDocument text",
}

// Allowed is how the accepted types are listed to people.
const Allowed = "PDF, JPEG, PNG, GIF, WebP or HEIC images, Word, Excel or OpenDocument files, or plain text"

// File is a checked file, ready to store.
type File struct {
	Name        string
	ContentType string
	Data        []byte
	SHA256      string
}

// Ref is the file as a case event names it.
func (f File) Ref() complaint.AttachmentRef {
	return complaint.AttachmentRef{Name: f.Name, SHA256: f.SHA256, Size: int64(len(f.Data))}
}

// Check reads a file's type from its content and returns it ready to
// store, or an error saying why it is refused, naming the file.
func Check(name string, data []byte) (File, error) {
	name = CleanName(name)
	switch {
	case len(data) == 0:
		return File{}, fmt.Errorf("%s is empty", name)
	case len(data) > MaxBytes:
		return File{}, fmt.Errorf("%s is %s; each file must be %s or smaller", name, size(len(data)), size(MaxBytes))
	}
	ct := Sniff(data)
	if _, ok := Types[ct]; !ok {
		return File{}, fmt.Errorf("%s is not a file we can accept; send a %s", name, Allowed)
	}
	sum := sha256.Sum256(data)
	return File{Name: name, ContentType: ct, Data: data, SHA256: hex.EncodeToString(sum[:])}, nil
}

// CheckAll checks a submission's files together: their number and total
// size as well as each one.
func CheckAll(names []string, datas [][]byte) ([]File, error) {
	if len(names) > MaxFiles {
		return nil, fmt.Errorf("%d files were sent; send at most %d at once", len(names), MaxFiles)
	}
	total := 0
	var out []File
	for i, n := range names {
		f, err := Check(n, datas[i])
		if err != nil {
			return nil, err
		}
		total += len(f.Data)
		out = append(out, f)
	}
	if total > MaxTotal {
		return nil, fmt.Errorf("the files come to %s; send at most %s at once", size(total), size(MaxTotal))
	}
	return out, nil
}

// Sniff returns a file's content type from its first bytes: the standard
// library's sniffing, with the types it does not know (HEIC and the
// office formats, which are ZIP files) read here.
func Sniff(data []byte) string {
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		switch string(data[8:12]) {
		case "heic", "heix", "mif1", "heim", "heis", "hevc":
			return "image/heic"
		}
	}
	ct := http.DetectContentType(data)
	if ct == "application/zip" {
		return office(data)
	}
	if strings.HasPrefix(ct, "text/plain") {
		if utf8.Valid(data) {
			return "text/plain"
		}
		return "application/octet-stream"
	}
	return strings.TrimSpace(strings.SplitN(ct, ";", 2)[0])
}

// office tells an office document from any other ZIP file by what is in
// it; any other ZIP is refused, as it could hold anything.
func office(data []byte) string {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "application/zip"
	}
	for _, f := range r.File {
		switch {
		case f.Name == "mimetype":
			rc, err := f.Open()
			if err != nil {
				return "application/zip"
			}
			var b [64]byte
			n, _ := rc.Read(b[:])
			rc.Close()
			if string(b[:n]) == "application/vnd.oasis.opendocument.text" {
				return "application/vnd.oasis.opendocument.text"
			}
		case strings.HasPrefix(f.Name, "word/"):
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case strings.HasPrefix(f.Name, "xl/"):
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
	}
	return "application/zip"
}

// CleanName keeps a file's own name without any folder, control
// characters or more than 100 characters, so it is safe to show and to
// offer as a download.
func CleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "" {
		name = "file"
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	return name
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}
