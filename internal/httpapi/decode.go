package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// bodyField is the field an error names when the body as a whole is
// wrong (not JSON, not an object, empty, two values), so that every 400
// names a field, as the API promises.
const bodyField = "body"

// invalidBody returns an invalid-input error about the body as a whole.
func invalidBody(format string, args ...any) error {
	e := complaint.InvalidField(bodyField, format, args...)
	e.Message = "the request body is not a JSON object this request accepts"
	return e
}

// decode reads one JSON object from the body into v, refusing unknown
// fields, trailing data and bodies over MaxBody. An empty body decodes as
// {} when emptyOK.
func decode(r *http.Request, v any, emptyOK bool) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if emptyOK {
			return nil
		}
		return invalidBody("is empty: the request needs a JSON object")
	}
	return decodeJSON(data, v)
}

// decodeJSON decodes data into v as decode does. The body is read as one
// JSON value first, so that a problem with a field is found in that value
// alone, whatever follows it.
func decodeJSON(data []byte, v any) error {
	var raw json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return jsonError(data, reflect.TypeOf(v), err)
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return invalidBody("holds more than one JSON value, or something after it")
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		return jsonError(raw, reflect.TypeOf(v), err)
	}
	return nil
}

// jsonError turns a failure to decode data into t into an invalid-input
// error naming each bad field by its path in the notation the domain's
// validation uses (remedies[0].due, complainant.name), so that a client
// hears of a field the same way whether the JSON or the rules refused it.
//
// encoding/json cannot say this itself: its type errors name the path
// without array indices (remedies.due), its unknown-field errors name
// only the key, and an error from a type's own decoding (an impossible
// time such as 2026-13-01T00:00:00Z, a time given as a number) names
// nothing. So after a failure the body is walked again against t, value
// by value, to find every field that does not decode and why.
func jsonError(data []byte, t reflect.Type, err error) error {
	var syn *json.SyntaxError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.As(err, &syn):
		return invalidBody("is not valid JSON: %v (at byte %d)", syn, syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidBody("ends before the JSON is complete")
	}
	fields := map[string]string{}
	locate(data, t, "", fields)
	if len(fields) == 0 {
		// The walk and encoding/json disagree: still name what can be
		// named rather than fail without a field.
		var typ *json.UnmarshalTypeError
		field := bodyField
		if errors.As(err, &typ) && typ.Field != "" {
			field = typ.Field
		}
		fields[field] = strings.TrimPrefix(err.Error(), "json: ")
	}
	if p, ok := fields[""]; ok {
		delete(fields, "")
		fields[bodyField] = p
	}
	return &complaint.Error{Code: complaint.Invalid, Message: "the request has invalid fields", Fields: fields}
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType        = reflect.TypeFor[time.Time]()
)

// locate records in fields, by path, every value in raw that does not
// decode into t, following encoding/json's rules: null decodes into
// anything, keys match field names ignoring case, and a type that
// decodes itself is tried as a whole.
func locate(raw []byte, t reflect.Type, path string, fields map[string]string) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pt := reflect.PointerTo(t)
	container := t.Kind() == reflect.Struct || t.Kind() == reflect.Map ||
		t.Kind() == reflect.Array || (t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8)
	if !container || pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) {
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			fields[path] = leafProblem(raw, t, err)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			fields[path] = wantGot(t, raw)
			return
		}
		known := jsonFields(t)
		for key, v := range obj {
			f, ok := known[key]
			if !ok {
				for name, g := range known {
					if strings.EqualFold(name, key) {
						f, ok, key = g, true, name
						break
					}
				}
			}
			if !ok {
				fields[join(path, key)] = "is not a field of this request"
				continue
			}
			locate(v, f.Type, join(path, key), fields)
		}
	case reflect.Map:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			fields[path] = wantGot(t, raw)
			return
		}
		for key, v := range obj {
			locate(v, t.Elem(), join(path, key), fields)
		}
	default: // a slice or an array
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			fields[path] = wantGot(t, raw)
			return
		}
		for i, v := range list {
			locate(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i), fields)
		}
	}
}

// jsonFields returns a struct's fields by their JSON names, with the
// fields of untagged embedded structs promoted as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	var embedded []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			embedded = append(embedded, f)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	for _, f := range embedded {
		et := f.Type
		if et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		if et.Kind() != reflect.Struct {
			continue
		}
		for name, g := range jsonFields(et) {
			if _, ok := out[name]; !ok {
				out[name] = g
			}
		}
	}
	return out
}

// join appends a key to a path: "complainant" and "name" make
// "complainant.name".
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// leafProblem says why raw does not decode into t, in words.
func leafProblem(raw []byte, t reflect.Type, err error) string {
	if t == timeType {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return wantGot(t, raw)
		}
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			return fmt.Sprintf("%q is not a real time (%s); want an RFC 3339 time, such as 2026-11-23T10:00:00Z", s, strings.TrimPrefix(pe.Message, ": "))
		}
		return fmt.Sprintf("%q is not an RFC 3339 time, such as 2026-11-23T10:00:00Z", s)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return wantGot(t, raw)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// wantGot says what JSON a field wants and what it was given.
func wantGot(t reflect.Type, raw []byte) string {
	return fmt.Sprintf("want %s, got JSON %s", jsonType(t), jsonKind(raw))
}

// jsonKind names the kind of a JSON value, with the value itself when it
// is short and a number or a boolean.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean " + string(raw)
	case 'n':
		return "null"
	}
	if len(raw) > 20 {
		return "number"
	}
	return "number " + string(raw)
}

func jsonType(t reflect.Type) string {
	if t == timeType {
		return "an RFC 3339 time, such as 2026-11-23T10:00:00Z"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return "an object"
}
