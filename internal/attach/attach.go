// Package attach decides which files residents and staff may attach to a
// case. A file's type is read from its content, never from its name or
// the type a browser or mail client claims, so a program renamed to
// photo.jpg is refused. Office documents are ZIP files and are opened and
// read whole, within limits, so that a ZIP bomb, a program or macros
// inside one is refused too. The package is pure: it reads only the bytes
// it is given.
package attach

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode"
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
// store, or an error saying why it is refused, naming the file. The name
// kept ends in an extension of the type found, so a PDF called
// invoice.exe is stored as invoice.exe.pdf and opens as what it is.
func Check(name string, data []byte) (File, error) {
	name = CleanName(name)
	switch {
	case len(data) == 0:
		return File{}, fmt.Errorf("%s is empty", name)
	case len(data) > MaxBytes:
		return File{}, fmt.Errorf("%s is %s; each file must be %s or smaller", name, size(len(data)), size(MaxBytes))
	}
	ct, err := sniff(data)
	if err != nil {
		return File{}, fmt.Errorf("%s cannot be accepted: %v; send a %s", name, err, Allowed)
	}
	if _, ok := Types[ct]; !ok {
		return File{}, fmt.Errorf("%s is not a file we can accept; send a %s", name, Allowed)
	}
	sum := sha256.Sum256(data)
	return File{Name: withExtension(name, ct), ContentType: ct, Data: data, SHA256: hex.EncodeToString(sum[:])}, nil
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
// office formats, which are ZIP files) read here. A ZIP file that is not
// a safe office document is application/zip.
func Sniff(data []byte) string {
	ct, err := sniff(data)
	if err != nil {
		return "application/zip"
	}
	return ct
}

// sniff is Sniff with the reason a ZIP file is refused.
func sniff(data []byte) (string, error) {
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		switch string(data[8:12]) {
		case "heic", "heix", "mif1", "heim", "heis", "hevc":
			return "image/heic", nil
		}
	}
	ct := http.DetectContentType(data)
	if ct == "application/zip" {
		return office(data)
	}
	if strings.HasPrefix(ct, "text/plain") {
		if utf8.Valid(data) {
			return "text/plain", nil
		}
		return "application/octet-stream", nil
	}
	return strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]), nil
}

// maxName is the longest file name kept, in characters.
const maxName = 100

// CleanName keeps a file's own name, safe to show and to offer as a
// download: no folder; no control characters; no bidirectional overrides
// or other invisible formatting, with which "invoice\u202Efdp.exe" shows
// as invoiceexe.pdf; no spaces or dots at the ends, which Windows drops;
// and at most maxName characters, cut from the middle of a long name so
// that its extension stays.
func CleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) || r == '"' || r == '/' {
			return -1
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, name)
	name = strings.TrimRight(strings.TrimSpace(name), ". ")
	if name == "" {
		name = "file"
	}
	if r := []rune(name); len(r) > maxName {
		ext := []rune(path.Ext(name))
		if len(ext) > 16 {
			ext = nil
		}
		name = strings.TrimSpace(string(r[:maxName-len(ext)])) + string(ext)
	}
	return name
}

// extensions are the file name endings of each type accepted, the first
// the one added to a name that has none of them.
var extensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg", ".jpe", ".jfif"},
	"image/png":       {".png"},
	"image/gif":       {".gif"},
	"image/webp":      {".webp"},
	"image/heic":      {".heic", ".heif", ".hif"},
	"text/plain":      {".txt", ".text", ".log"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       {".xlsx"},
	"application/vnd.oasis.opendocument.text":                                 {".odt"},
}

// withExtension returns name ending in an extension of content type ct,
// adding one if it has none, so that whoever downloads the file opens it
// as what it was checked to be, not as whatever its name claims.
func withExtension(name, ct string) string {
	exts, ok := extensions[ct]
	if !ok {
		return name
	}
	lower := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(lower, e) && len(lower) > len(e) {
			return name
		}
	}
	if r := []rune(name); len(r)+len(exts[0]) > maxName {
		name = strings.TrimSpace(string(r[:maxName-len(exts[0])]))
	}
	return name + exts[0]
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}
