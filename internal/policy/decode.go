package policy

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxPolicySize is the largest policy file Redress reads.
const MaxPolicySize = 1 << 20

// Parse reads a policy from YAML and validates it. name labels errors:
// the file name or preset name. Every problem found is returned at once in
// an *InvalidError, each with its line and field; nothing is returned for
// a policy with any problem.
func Parse(name string, data []byte) (*Policy, error) {
	if len(data) > MaxPolicySize {
		return nil, &InvalidError{Name: name, Fields: []FieldError{{Field: "(file)", Message: fmt.Sprintf("larger than %d bytes", MaxPolicySize)}}}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &InvalidError{Name: name, Fields: []FieldError{{Field: "(file)", Message: "is empty"}}}
		}
		return nil, &InvalidError{Name: name, Fields: []FieldError{syntaxError(err)}}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line
		}
		return nil, &InvalidError{Name: name, Fields: []FieldError{{Line: line, Field: "(file)", Message: "holds more than one YAML document"}}}
	}
	d := decoder{lines: map[string]int{}}
	var p Policy
	d.value(&doc, reflect.ValueOf(&p).Elem(), "")
	if len(d.errs) == 0 {
		for _, e := range p.validate() {
			e.Line = d.lineOf(e.Field)
			d.errs = append(d.errs, e)
		}
	}
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool { return d.errs[i].Line < d.errs[j].Line })
		return nil, &InvalidError{Name: name, Fields: d.errs}
	}
	return &p, nil
}

// syntaxError turns the YAML parser's "yaml: line 3: did not find ..."
// into a FieldError with the line on its own.
func syntaxError(err error) FieldError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	fe := FieldError{Field: "(syntax)", Message: msg}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(n); err == nil {
				fe.Line, fe.Message = line, tail
			}
		}
	}
	return fe
}

// decoder fills Go values from a YAML node tree by hand rather than with
// yaml.Node.Decode, so that every error can name the field path people
// read in the file (stage1.acknowledge.within) and the line, and so that
// unknown keys are refused with the keys that are allowed.
type decoder struct {
	lines map[string]int
	errs  []FieldError
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	if path == "" {
		path = "(document)"
	}
	d.errs = append(d.errs, FieldError{Line: n.Line, Field: path, Message: fmt.Sprintf(format, args...)})
}

// lineOf returns the line of path, or of its nearest parent in the file,
// for errors about values that are missing or wrong as a whole.
func (d *decoder) lineOf(path string) int {
	for path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return d.lines[""]
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			d.fail(n, path, "is empty")
			return
		}
		n = n.Content[0]
	}
	d.lines[path] = n.Line
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.fail(n, path, "YAML anchors and aliases are not supported in policies: write the value out")
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		if v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice {
			return // Absent: leave nil.
		}
		d.fail(n, path, "needs a value")
		return
	}
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	if v.Addr().Type().Implements(textUnmarshaler) {
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want a single value, got %s", kindName(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.fail(n, path, "%v", err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list, got %s", kindName(n))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
		for i, item := range n.Content {
			d.value(item, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want text, got %s", kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, path, "want a whole number, got %s", describe(n))
			return
		}
		i, err := strconv.ParseInt(n.Value, 0, 32)
		if err != nil {
			d.fail(n, path, "%q is out of range", n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.fail(n, path, "want true or false, got %s", describe(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		d.fail(n, path, "cannot be decoded (internal error: %s)", v.Kind())
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping of keys to values, got %s", describe(n))
		return
	}
	fields := map[string]int{}
	var names []string
	for i := range v.NumField() {
		tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			fields[tag] = i
			names = append(names, tag)
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		sub := key
		if path != "" {
			sub = path + "." + key
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "keys must be plain words")
			continue
		}
		fi, ok := fields[key]
		if !ok {
			d.fail(k, sub, "unknown field; allowed here: %s", strings.Join(names, ", "))
			continue
		}
		if seen[key] {
			d.fail(k, sub, "is given twice")
			continue
		}
		seen[key] = true
		d.lines[sub] = k.Line
		d.value(val, v.Field(fi), sub)
		d.lines[sub] = k.Line
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a single value"
}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return kindName(n)
}
