package attach

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func zipWith(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		content := "<xml/>"
		if n == "mimetype" {
			content = "application/vnd.oasis.opendocument.text"
		}
		if _, err := f.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTypeIsReadFromContentNotName(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	tests := []struct {
		name string
		data []byte
		want string // content type, or "" for refused
	}{
		{"letter.pdf", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"photo.png", png, "image/png"},
		{"photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "image/jpeg"},
		{"photo.heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), "image/heic"},
		{"notes.txt", []byte("The boiler failed on Tuesday — again."), "text/plain"},
		{"statement.docx", zipWith(t, "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"costs.xlsx", zipWith(t, "[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"letter.odt", zipWith(t, "mimetype", "content.xml"), "application/vnd.oasis.opendocument.text"},
		// Refused whatever they are called.
		{"photo.jpg", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), ""},
		{"archive.zip", zipWith(t, "anything.exe"), ""},
		{"page.pdf", []byte("<html><script>alert(1)</script></html>"), ""},
		{"notes.txt", []byte("\xff\xfe\x00bad utf-8 \xc3\x28"), ""},
		{"empty.pdf", nil, ""},
		{"huge.pdf", append([]byte("%PDF-1.7\n"), make([]byte, MaxBytes)...), ""},
	}
	for _, tt := range tests {
		f, err := Check(tt.name, tt.data)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s (%q...): accepted as %s", tt.name, tt.data[:min(len(tt.data), 8)], f.ContentType)
		case tt.want == "" && !strings.Contains(err.Error(), tt.name):
			t.Errorf("%s: the error does not name the file: %v", tt.name, err)
		case tt.want != "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.want != "" && (f.ContentType != tt.want || len(f.SHA256) != 64 || f.Ref().Size != int64(len(tt.data))):
			t.Errorf("%s: %s %s, want %s", tt.name, f.ContentType, f.SHA256, tt.want)
		}
	}
}

func TestCheckAllLimitsCountAndTotal(t *testing.T) {
	pdf := append([]byte("%PDF-1.7\n"), make([]byte, 4<<20)...)
	var names []string
	var datas [][]byte
	for i := range MaxFiles + 1 {
		names = append(names, "f"+string(rune('a'+i))+".pdf")
		datas = append(datas, []byte("%PDF-1.7\n"))
	}
	if _, err := CheckAll(names, datas); err == nil || !strings.Contains(err.Error(), "at most 10") {
		t.Errorf("11 files: %v", err)
	}
	names, datas = nil, nil
	for i := range 7 {
		names = append(names, "big"+string(rune('a'+i))+".pdf")
		datas = append(datas, pdf)
	}
	if _, err := CheckAll(names, datas); err == nil || !strings.Contains(err.Error(), "send at most 25.0 MB") {
		t.Errorf("28 MB in all: %v", err)
	}
	if fs, err := CheckAll(names[:2], datas[:2]); err != nil || len(fs) != 2 {
		t.Errorf("two files: %d, %v", len(fs), err)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"photo.jpg":                       "photo.jpg",
		"../../etc/passwd":                "passwd",
		`C:\Users\ada\Desktop\mould.jpg`:  "mould.jpg",
		"bad\x00name\r\n.pdf":             "badname.pdf",
		`say "hi".txt`:                    "say hi.txt",
		"":                                "file",
		strings.Repeat("a", 150) + ".pdf": strings.Repeat("a", 96) + ".pdf",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
