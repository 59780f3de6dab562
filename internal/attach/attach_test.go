package attach

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
)

// part is one file inside a ZIP the test builds: its data, or else mb
// megabytes of zeros, deflated, that its header says are declared bytes
// (mb<<20 if declared is 0).
type part struct {
	name     string
	data     []byte
	mb       int
	declared uint64
}

// zipOf builds a ZIP file of parts, in order.
func zipOf(t *testing.T, parts ...part) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, p := range parts {
		if p.mb > 0 {
			data, crc := zeros(t, p.mb)
			if p.declared == 0 {
				p.declared = uint64(p.mb) << 20
			}
			f, err := w.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(len(data)), UncompressedSize64: p.declared})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write(data); err != nil {
				t.Fatal(err)
			}
			continue
		}
		f, err := w.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	wordMain  = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	excelMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	docxType  = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	xlsxType  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	odtType   = "application/vnd.oasis.opendocument.text"
)

// contentTypesXML is a [Content_Types].xml naming main as the content
// type of mainPart, as Word and Excel write it.
func contentTypesXML(mainPart, main string, more ...string) part {
	return part{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/` + mainPart + `" ContentType="` + main + `"/>` + strings.Join(more, "") + `</Types>`)}
}

var rels = part{name: "_rels/.rels", data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)}

// docx is a small real Word document with extra parts added.
func docx(t *testing.T, extra ...part) []byte {
	t.Helper()
	parts := []part{contentTypesXML("word/document.xml", wordMain), rels,
		{name: "word/document.xml", data: []byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>The boiler failed.</w:t></w:r></w:p></w:body></w:document>`)}}
	return zipOf(t, append(parts, extra...)...)
}

// odt is a small OpenDocument text file with extra parts added.
func odt(t *testing.T, extra ...part) []byte {
	t.Helper()
	parts := []part{{name: "mimetype", data: []byte(odtType)}, {name: "content.xml", data: []byte("<office:document-content/>")},
		{name: "META-INF/manifest.xml", data: []byte("<manifest:manifest/>")}}
	return zipOf(t, append(parts, extra...)...)
}

// zeros returns mb megabytes of zeros deflated, made by repeating one
// compressed megabyte (a deflate block flushed to a byte boundary stands
// alone), and their CRC-32: a ZIP bomb's payload in milliseconds.
func zeros(t *testing.T, mb int) ([]byte, uint32) {
	t.Helper()
	var one, end bytes.Buffer
	fw, err := flate.NewWriter(&one, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	meg := make([]byte, 1<<20)
	if _, err := fw.Write(meg); err != nil {
		t.Fatal(err)
	}
	if err := fw.Flush(); err != nil {
		t.Fatal(err)
	}
	fw.Reset(&end)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	var crc uint32
	for range mb {
		crc = crc32.Update(crc, crc32.IEEETable, meg)
	}
	return append(bytes.Repeat(one.Bytes(), mb), end.Bytes()...), crc
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
		{"statement.docx", docx(t, part{name: "word/media/image1.png", data: []byte("\x89PNG\r\n\x1a\n")}), docxType},
		{"costs.xlsx", zipOf(t, contentTypesXML("xl/workbook.xml", excelMain), part{name: "xl/workbook.xml", data: []byte("<workbook/>")}), xlsxType},
		{"letter.odt", odt(t), odtType},
		// Refused whatever they are called.
		{"photo.jpg", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), ""},
		{"archive.zip", zipOf(t, part{name: "anything.exe", data: []byte("MZ")}), ""},
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

// TestOfficeDocumentsAreCheckedInsideNotByAFolderName makes the files an
// attacker uploaded as Word documents, and others like them: each is
// refused, with the file named and the reason given, however its name
// and folders dress it up.
func TestOfficeDocumentsAreCheckedInsideNotByAFolderName(t *testing.T) {
	bomb200 := docx(t, part{name: "word/media/fill.bin", mb: 200})
	if len(bomb200) > 250<<10 {
		t.Fatalf("the bomb is %d bytes; it should be about 200 KB", len(bomb200))
	}
	var manyParts []part
	for i := range 120 {
		manyParts = append(manyParts, part{name: fmt.Sprintf("word/media/image%d.png", i), mb: 1})
	}
	var tooManyParts []part
	for i := range MaxEntries + 1 {
		tooManyParts = append(tooManyParts, part{name: fmt.Sprintf("word/media/image%d.png", i), data: []byte("\x89PNG")})
	}
	ole := "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Equation.3"
	docm := zipOf(t, contentTypesXML("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
		part{name: "word/document.xml", data: []byte("<w:document/>")})
	pptx := zipOf(t, contentTypesXML("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
		part{name: "ppt/presentation.xml", data: []byte("<p:presentation/>")})

	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"a ZIP with only a word/ folder", zipOf(t, part{name: "word/document.xml", data: []byte("<w:document/>")}), "[Content_Types].xml is missing"},
		{"a 200 KB bomb that unpacks to 200 MB", bomb200, "would unpack to more than 100.0 MB"},
		{"a bomb whose headers say 1 KB", docx(t, part{name: "word/media/fill.bin", mb: 200, declared: 1 << 10}), "damaged"},
		{"120 parts of 1 MB each", docx(t, manyParts...), "would unpack to more than 100.0 MB"},
		{"more parts than any document has", docx(t, tooManyParts...), "a document may have at most 1000"},
		{"an embedded .exe", docx(t, part{name: "word/embeddings/setup.exe", data: []byte("MZ\x90\x00 a program")}), "holds a program or macros (word/embeddings/setup.exe)"},
		{"an .exe in capitals under another folder", docx(t, part{name: "customXml/INVOICE.EXE", data: []byte("not even MZ")}), "holds a program"},
		{"a script", docx(t, part{name: "word/run.ps1", data: []byte("Start-Process calc")}), "holds a program"},
		{"a program named as an image", docx(t, part{name: "word/media/image1.png", data: []byte("MZ\x90\x00\x03")}), "holds a program, macros or an embedded object (word/media/image1.png)"},
		{"a Linux program", docx(t, part{name: "word/media/image1.png", data: []byte("\x7fELF\x02\x01")}), "holds a program"},
		{"a macro project", docx(t, part{name: "word/vbaProject.bin", data: []byte("anything")}), "holds a program or macros (word/vbaProject.bin)"},
		{"an embedded OLE object", docx(t, part{name: "word/embeddings/oleObject1.bin", data: []byte(ole)}), "embedded object"},
		{"a macro-enabled document called .docx", docm, "holds macros or controls"},
		{"a part that climbs out", docx(t, part{name: "../../evil.xml", data: []byte("<x/>")}), "points outside the document"},
		{"a part at the root", docx(t, part{name: "/etc/cron.d/x", data: []byte("x")}), "points outside the document"},
		{"a part with backslashes", docx(t, part{name: `word\..\..\x.xml`, data: []byte("x")}), "points outside the document"},
		{"a part on a drive", docx(t, part{name: "C:/Windows/x.xml", data: []byte("x")}), "points outside the document"},
		{"a part with a hidden character", docx(t, part{name: "word/\u202Elmx.exe", data: []byte("x")}), "hidden characters"},
		{"two parts of one name", docx(t, part{name: "word/document.xml", data: []byte("<w:document/>")}), "two parts named"},
		{"[Content_Types].xml cut short", zipOf(t, part{name: "[Content_Types].xml", data: []byte(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml"`)}, part{name: "word/document.xml", data: nil}), "[Content_Types].xml is not valid"},
		{"[Content_Types].xml of another root", zipOf(t, part{name: "[Content_Types].xml", data: []byte(`<xml/>`)}, part{name: "word/document.xml", data: nil}), "[Content_Types].xml is not valid"},
		{"content types whose main part is missing", zipOf(t, contentTypesXML("word/document.xml", wordMain), part{name: "word/other.xml", data: []byte("<x/>")}), "main part is missing"},
		{"content types naming no main part", zipOf(t, contentTypesXML("word/styles.xml", "application/xml"), part{name: "word/document.xml", data: []byte("<x/>")}), "names no main part"},
		{"a presentation", pptx, "not a file we can accept"},
		{"an OpenDocument file with Basic macros", odt(t, part{name: "Basic/Standard/Module1.xml", data: []byte("<script:module/>")}), "holds macros (Basic/Standard/Module1.xml)"},
		{"an OpenDocument file with a program", odt(t, part{name: "Pictures/a.exe", data: []byte("MZ")}), "holds a program"},
		{"a damaged ZIP", docx(t)[:200], "damaged or unreadable"},
	} {
		f, err := Check("statement.docx", tt.data)
		switch {
		case err == nil:
			t.Errorf("%s: accepted as %s", tt.name, f.ContentType)
		case !strings.Contains(err.Error(), "statement.docx") || !strings.Contains(err.Error(), tt.want):
			t.Errorf("%s: %v\nwant the file named and %q", tt.name, err, tt.want)
		}
	}
	// A real document with photos and a chart's workbook inside is still
	// accepted: the checks refuse what documents never hold.
	chart := zipOf(t, contentTypesXML("xl/workbook.xml", excelMain), part{name: "xl/workbook.xml", data: []byte("<workbook/>")})
	f, err := Check("statement.docx", docx(t, part{name: "word/media/image1.png", data: []byte("\x89PNG\r\n\x1a\n")},
		part{name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", data: chart}, part{name: "docProps/", data: nil}))
	if err != nil || f.ContentType != docxType {
		t.Errorf("a real document: %v, %q", err, f.ContentType)
	}
}

// TestFileNamesLoseBidiOverridesAndControlCharacters shows that a name
// made to look like something else ("invoice\u202Efdp.exe" shows as
// invoiceexe.pdf) is stored as what it is, and that a stored name always
// ends in an extension of the type its content was found to be.
func TestFileNamesLoseBidiOverridesAndControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"invoice\u202Efdp.exe":                 "invoicefdp.exe",
		"\u2067photo\u2069\u200b.jpg":          "photo.jpg",
		"report\u200e\u200f\u061c\u2028.pdf":   "report.pdf",
		"line\u0085break\u009b.txt":            "linebreak.txt",
		"  spaced out.pdf . ":                  "spaced out.pdf",
		"no\u00a0break\u2003space.pdf":         "no break space.pdf",
		"bad utf-8 \xff\xfe.pdf":               "bad utf-8 .pdf",
		"\u202E":                               "file",
		strings.Repeat("é", 120) + ".docx":     strings.Repeat("é", 95) + ".docx",
		"x." + strings.Repeat("e", 120):        "x." + strings.Repeat("e", 98),
		strings.Repeat("a", 99) + " .pdf.docx": strings.Repeat("a", 95) + ".docx",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	pdf := []byte("%PDF-1.7\n...")
	for _, tt := range []struct{ name, want string }{
		{"invoice\u202Efdp.exe", "invoicefdp.exe.pdf"},
		{"invoice\u202Efdp.pdf", "invoicefdp.pdf"},
		{"LETTER.PDF", "LETTER.PDF"},
		{"statement", "statement.pdf"},
		{".pdf", ".pdf.pdf"},
		{strings.Repeat("a", 100), strings.Repeat("a", 96) + ".pdf"},
	} {
		f, err := Check(tt.name, pdf)
		if err != nil || f.Name != tt.want {
			t.Errorf("Check(%q) kept the name %q (%v), want %q", tt.name, f.Name, err, tt.want)
		}
	}
	if _, err := Check("invoice\u202Efdp.exe", []byte("MZ\x90\x00\x03\x00")); err == nil || !strings.Contains(err.Error(), "invoicefdp.exe is not") {
		t.Errorf("a program with a bidi name: %v", err)
	}
}
