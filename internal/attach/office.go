package attach

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode"
)

// Limits on what a document may hold once unpacked. A Word file of a
// hundred pages with photographs unpacks to a few tens of megabytes and a
// few hundred parts; a ZIP bomb of 200 KB unpacks to hundreds of
// megabytes, and anyone opening it (Redress included) would pay for that.
const (
	MaxInflated = 100 << 20 // the parts of one document, unpacked
	MaxEntries  = 1000      // parts in one document
)

// The content types of the main part of each Office Open XML document
// accepted, and where ECMA-376 puts that part.
var officeMain = map[string]struct{ part, contentType string }{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": {"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":       {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": {"ppt/presentation.xml",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
}

// programExtensions name parts a document has no business holding:
// programs and scripts, which one click on an embedded icon can start.
var programExtensions = map[string]bool{
	".exe": true, ".dll": true, ".bat": true, ".cmd": true, ".com": true, ".js": true, ".jse": true,
	".vbs": true, ".vbe": true, ".wsf": true, ".ps1": true, ".scr": true, ".msi": true, ".lnk": true,
	".hta": true, ".jar": true, ".cpl": true,
}

// programMagic are the first bytes of programs (Windows, Linux) and of
// OLE compound files, which is how embedded objects, ActiveX controls and
// macros travel inside a document.
var programMagic = []string{"MZ", "\x7fELF", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}

// refusal is why a ZIP-based file is refused, in words for the person
// who sent it.
type refusal string

func (r refusal) Error() string { return string(r) }

// office reads a ZIP file as an office document and returns its content
// type, or why it is refused. Every part is read, through a limit, so
// what it unpacks to is counted rather than taken from the headers, which
// whoever made the file wrote. Any ZIP that is not one of the office
// documents accepted is refused, as it could hold anything.
func office(data []byte) (string, error) {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return "", refusal("it is a damaged or unreadable ZIP file")
	}
	if len(r.File) > MaxEntries {
		return "", refusal(fmt.Sprintf("it has %d parts; a document may have at most %d", len(r.File), MaxEntries))
	}
	var declared uint64
	seen := make(map[string]bool, len(r.File))
	for _, f := range r.File {
		if reason := partNameProblem(f.Name); reason != "" {
			return "", refusal(fmt.Sprintf("it has a part named %q, which %s", f.Name, reason))
		}
		if seen[f.Name] {
			return "", refusal(fmt.Sprintf("it has two parts named %q", f.Name))
		}
		seen[f.Name] = true
		if isProgramName(f.Name) {
			return "", refusal(fmt.Sprintf("it holds a program or macros (%s)", f.Name))
		}
		declared += min(f.UncompressedSize64, MaxInflated+1)
	}
	if declared > MaxInflated {
		return "", refusal(fmt.Sprintf("it would unpack to more than %s", size(MaxInflated)))
	}
	parts, err := readParts(r)
	if err != nil {
		return "", err
	}
	if m, ok := parts["mimetype"]; ok && !seen["[Content_Types].xml"] {
		return openDocument(m, seen)
	}
	return openXML(parts["[Content_Types].xml"], seen)
}

// readParts reads every part, refusing programs by their first bytes and
// a document whose parts come to more than MaxInflated, however small
// their headers say they are. It keeps the small parts that say what the
// document is.
func readParts(r *zip.Reader) (map[string][]byte, error) {
	kept := map[string][]byte{}
	var total int64
	buf := make([]byte, 32<<10)
	for _, f := range r.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, refusal(fmt.Sprintf("its part %q cannot be read", f.Name))
		}
		keep := f.Name == "[Content_Types].xml" || f.Name == "mimetype"
		var head, whole bytes.Buffer
		lr := io.LimitReader(rc, MaxInflated-total+1)
		for {
			n, err := lr.Read(buf)
			total += int64(n)
			if head.Len() < 8 {
				head.Write(buf[:min(n, 8-head.Len())])
			}
			if keep {
				whole.Write(buf[:n])
			}
			if total > MaxInflated {
				rc.Close()
				return nil, refusal(fmt.Sprintf("it would unpack to more than %s", size(MaxInflated)))
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return nil, refusal(fmt.Sprintf("its part %q is damaged", f.Name))
			}
		}
		rc.Close()
		for _, magic := range programMagic {
			if strings.HasPrefix(head.String(), magic) {
				return nil, refusal(fmt.Sprintf("it holds a program, macros or an embedded object (%s)", f.Name))
			}
		}
		if keep {
			kept[f.Name] = whole.Bytes()
		}
	}
	return kept, nil
}

// openXML checks an Office Open XML package: a well-formed
// [Content_Types].xml naming one main part of a kind accepted, that part
// present, and no content type that carries macros or ActiveX controls.
func openXML(types []byte, parts map[string]bool) (string, error) {
	if types == nil {
		return "", refusal("it is a ZIP file, not a Word, Excel or OpenDocument file ([Content_Types].xml is missing)")
	}
	declared, err := contentTypes(types)
	if err != nil {
		return "", refusal("its [Content_Types].xml is not valid: " + err.Error())
	}
	var kind string
	for _, part := range slices.Sorted(maps.Keys(declared)) {
		ct := declared[part]
		lower := strings.ToLower(ct)
		if strings.Contains(lower, "macroenabled") || strings.Contains(lower, "vba") || strings.Contains(lower, "activex") {
			return "", refusal(fmt.Sprintf("it holds macros or controls (%s)", strings.TrimPrefix(part, "/")))
		}
		m, ok := officeMain[ct]
		if !ok {
			continue
		}
		if strings.TrimPrefix(part, "/") != m.part || !parts[m.part] || (kind != "" && kind != m.contentType) {
			return "", refusal("it is not a Word or Excel document: its main part is missing or in the wrong place")
		}
		kind = m.contentType
	}
	if kind == "" {
		return "", refusal("it is not a Word or Excel document: [Content_Types].xml names no main part")
	}
	return kind, nil
}

// contentTypes reads [Content_Types].xml strictly and returns the
// content type of each part it names; Default entries, by extension, are
// keyed by the extension.
func contentTypes(b []byte) (map[string]string, error) {
	const ns = "http://schemas.openxmlformats.org/package/2006/content-types"
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	out := map[string]string{}
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 && (t.Name.Space != ns || t.Name.Local != "Types") {
				return nil, fmt.Errorf("its root is <%s>, not <Types>", t.Name.Local)
			}
			if depth != 2 {
				continue
			}
			var key, ct string
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "PartName", "Extension":
					key = a.Value
				case "ContentType":
					ct = a.Value
				}
			}
			if t.Name.Local == "Default" {
				key = "*." + key
			}
			out[key] = ct
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 || len(out) == 0 {
		return nil, errors.New("it declares no content types")
	}
	return out, nil
}

// openDocument checks an OpenDocument text file: the mimetype part says
// so, content.xml is there, and there are no Basic or script macros.
func openDocument(mimetype []byte, parts map[string]bool) (string, error) {
	const odt = "application/vnd.oasis.opendocument.text"
	if string(bytes.TrimSpace(mimetype)) != odt || !parts["content.xml"] {
		return "", refusal("it is not an OpenDocument text file (its mimetype or content.xml is wrong)")
	}
	for name := range parts {
		if strings.HasPrefix(name, "Basic/") || strings.HasPrefix(name, "Scripts/") {
			return "", refusal(fmt.Sprintf("it holds macros (%s)", name))
		}
	}
	return odt, nil
}

// partNameProblem says what is wrong with a part's name, if anything: a
// name that climbs out of the document, starts at a root or a drive, or
// hides characters, is how files get written where they should not be
// when a document is unpacked.
func partNameProblem(name string) string {
	trimmed := strings.TrimSuffix(name, "/")
	switch {
	case name == "" || trimmed == "":
		return "is empty"
	case strings.ContainsRune(name, '\\') || strings.HasPrefix(name, "/") || strings.Contains(name, ":"):
		return "points outside the document"
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.In(r, unicode.Cc, unicode.Cf) || r == unicode.ReplacementChar }):
		return "has hidden characters"
	case path.Clean(trimmed) != trimmed:
		return "points outside the document"
	}
	for _, el := range strings.Split(trimmed, "/") {
		if el == ".." || el == "." {
			return "points outside the document"
		}
	}
	return ""
}

// isProgramName reports whether a part's name is that of a program,
// script or macro project, whatever its case.
func isProgramName(name string) bool {
	base := strings.ToLower(path.Base(name))
	return programExtensions[path.Ext(base)] || base == "vbaproject.bin" || base == "vbadata.xml"
}
