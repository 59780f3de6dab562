package attach

import (
	"io"
	"mime/multipart"
)

// FromForm reads the files sent in field of a parsed multipart form and
// checks them together (CheckAll), for every surface that takes uploads:
// the resident's form, the staff pages and the API read files the one
// way, so a limit or a check cannot differ between them. A file input
// sent with no file chosen (no name, no bytes) is skipped, as browsers
// send one. Each file is read to one byte past MaxBytes at most, so an
// oversized part costs no more memory than the limit.
//
// refused is a file the rules turn away, its message starting with the
// file's name as it was given, for the person who sent it; err is a
// failure to read what was already received, which is the server's.
func FromForm(form *multipart.Form, field string) (files []File, refused, err error) {
	var names []string
	var datas [][]byte
	for _, fh := range form.File[field] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		names, datas = append(names, fh.Filename), append(datas, data)
	}
	files, refused = CheckAll(names, datas)
	return files, refused, nil
}
