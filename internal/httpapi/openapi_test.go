package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// openAPIRoutes is every route the API's route table serves, read from
// it, so that a route added to the table and not documented fails here.
// Two patterns of Handler are not in the table: GET /api/openapi.json,
// the document itself, which needs no token; and the catch-all /api/,
// which answers 404 to everything else.
func openAPIRoutesOf() []string {
	var out []string
	for _, r := range Routes() {
		out = append(out, r.Pattern)
	}
	return out
}

// openAPICommands are the values of {command} that Server.command takes;
// OpenAPI paths are literal, so the document has one path for each.
var openAPICommands = []string{
	"acknowledge", "assign", "extend", "respond", "escalate", "close",
	"withdraw", "refuse", "convert", "milestone", "notes", "link", "details",
	"definition", "mark-read",
	"safety-flag", "safety-acknowledge", "hazard", "hazard-step", "accommodation",
	"compliment",
}

var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIDoc parses the embedded document, refusing duplicate keys, which
// encoding/json would otherwise let the last one win silently.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	if err := openAPINoDuplicateKeys(json.NewDecoder(bytes.NewReader(openAPI)), "#"); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json is not a JSON object: %v", err)
	}
	return doc
}

// openAPINoDuplicateKeys reads one JSON value from dec and reports the
// first object that holds a key twice.
func openAPINoDuplicateKeys(dec *json.Decoder, at string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			k := kt.(string)
			if seen[k] {
				return fmt.Errorf("%s holds the key %q twice", at, k)
			}
			seen[k] = true
			if err := openAPINoDuplicateKeys(dec, at+"/"+k); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := openAPINoDuplicateKeys(dec, fmt.Sprintf("%s/%d", at, i)); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	return err
}

// openAPIExpected expands the route table into the operations the document
// must hold, "METHOD path", each mapped to the Handler pattern it is.
func openAPIExpected() map[string]string {
	want := map[string]string{}
	for _, r := range openAPIRoutesOf() {
		method, path, _ := strings.Cut(r, " ")
		if strings.Contains(path, "{command}") {
			for _, c := range openAPICommands {
				want[method+" "+strings.Replace(path, "{command}", c, 1)] = r
			}
			continue
		}
		want[r] = r
	}
	return want
}

// openAPIOperations returns the document's operations by "METHOD path".
func openAPIOperations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("the document has no paths object")
	}
	ops := map[string]map[string]any{}
	for path, v := range paths {
		item, ok := v.(map[string]any)
		if !ok {
			t.Errorf("path %s is not an object", path)
			continue
		}
		for _, m := range openAPIMethods {
			if op, ok := item[m].(map[string]any); ok {
				ops[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return ops
}

func TestOpenAPIVersionAndInfo(t *testing.T) {
	doc := openAPIDoc(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "Redress API" || info["version"] != "1" {
		t.Errorf("info = %v, %v, want Redress API, 1", info["title"], info["version"])
	}
	sec, _ := doc["security"].([]any)
	if len(sec) != 1 {
		t.Fatalf("security = %v, want the bearer scheme applied globally", doc["security"])
	}
	req, ok := sec[0].(map[string]any)
	if !ok {
		t.Fatalf("security = %v, want a security requirement object", doc["security"])
	}
	name := ""
	for k := range req {
		name = k
	}
	scheme, _ := openAPIPointer(doc, "/components/securitySchemes/"+name).(map[string]any)
	if scheme["type"] != "http" || scheme["scheme"] != "bearer" {
		t.Errorf("security scheme %q = %v, want http bearer", name, scheme)
	}
}

// TestOpenAPIDocumentsEveryRoute checks that the document has exactly the
// operations of the route table, and that each is routed by Handler to
// the pattern the table says, not to the catch-all 404.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := openAPIDoc(t)
	ops := openAPIOperations(t, doc)
	want := openAPIExpected()
	for k := range want {
		if ops[k] == nil {
			t.Errorf("%s is routed by Handler but not documented", k)
		}
	}
	for k := range ops {
		if _, ok := want[k]; !ok {
			t.Errorf("%s is documented but is not in the route table", k)
		}
	}

	mux, ok := (&Server{}).Handler().(*http.ServeMux)
	if !ok {
		t.Fatal("Handler no longer returns a *http.ServeMux; change this test to match")
	}
	sample := strings.NewReplacer("{ref}", "C-2026-000001", "{id}", "7")
	for k, pattern := range want {
		method, path, _ := strings.Cut(k, " ")
		r := httptest.NewRequest(method, sample.Replace(path), nil)
		if _, got := mux.Handler(r); got != pattern {
			t.Errorf("Handler routes %s %s to %q, want %q: the route table is out of step with Handler", method, path, got, pattern)
		}
	}
}

// TestOpenAPICommandsMatchHandler checks the command names against
// Server.command: each documented one is taken (a broken body is refused
// as invalid, not as an unknown command), and the list it gives for an
// unknown command is the documented one.
func TestOpenAPICommandsMatchHandler(t *testing.T) {
	s := &Server{}
	run := func(name string) error {
		r := httptest.NewRequest("POST", "/api/v1/cases/C-2026-000001/"+name, strings.NewReader("{"))
		r.SetPathValue("ref", "C-2026-000001")
		r.SetPathValue("command", name)
		return s.command(httptest.NewRecorder(), r)
	}
	for _, c := range openAPICommands {
		if code := complaint.ErrorCode(run(c)); code != complaint.Invalid {
			t.Errorf("command %s with a broken body: code %s, want invalid; is it still a command?", c, code)
		}
	}
	err := run("no-such-command")
	if code := complaint.ErrorCode(err); code != complaint.NotFound {
		t.Fatalf("an unknown command: code %s, want not_found", code)
	}
	_, list, ok := strings.Cut(err.Error(), "the commands are ")
	if !ok {
		t.Fatalf("the unknown command message no longer lists the commands: %q; change this test to match", err)
	}
	var got []string
	for _, part := range strings.Split(list, ", ") {
		got = append(got, strings.Split(part, " and ")...)
	}
	want := slices.Clone(openAPICommands)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("Server.command takes %v, the document has %v", got, want)
	}
}

// openAPIPointer resolves a JSON pointer (RFC 6901) against doc, or
// returns nil.
func openAPIPointer(doc any, pointer string) any {
	if pointer == "" {
		return doc
	}
	v := doc
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil
			}
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestOpenAPIRefsResolve(t *testing.T) {
	doc := openAPIDoc(t)
	n := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"]; ok {
				n++
				s, _ := r.(string)
				target, ok := strings.CutPrefix(s, "#")
				switch {
				case !ok || !strings.HasPrefix(target, "/components/"):
					t.Errorf("%s: $ref %v is not to a component of this document", at, r)
				case openAPIPointer(doc, target) == nil:
					t.Errorf("%s: $ref %s is not defined", at, s)
				}
			}
			for k, e := range x {
				walk(e, at+"/"+k)
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(doc, "#")
	if n == 0 {
		t.Error("the document has no $ref at all")
	}
}

func TestOpenAPIOperationsAreComplete(t *testing.T) {
	doc := openAPIDoc(t)
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("the document has no paths object")
	}
	ids := map[string]string{}
	for k, op := range openAPIOperations(t, doc) {
		responses, _ := op["responses"].(map[string]any)
		has4xx := false
		for status := range responses {
			has4xx = has4xx || len(status) == 3 && status[0] == '4'
		}
		if !has4xx {
			t.Errorf("%s lists no 4xx response", k)
		}
		id, _ := op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", k)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s and %s share the operationId %s", k, other, id)
		}
		ids[id] = k

		// Every {param} of the path is declared, at the path or the
		// operation, resolving $refs.
		_, path, _ := strings.Cut(k, " ")
		declared := map[string]bool{}
		item := paths[path].(map[string]any)
		for _, list := range []any{item["parameters"], op["parameters"]} {
			ps, _ := list.([]any)
			for _, p := range ps {
				pm, _ := p.(map[string]any)
				if r, ok := pm["$ref"].(string); ok {
					pm, _ = openAPIPointer(doc, strings.TrimPrefix(r, "#")).(map[string]any)
				}
				if pm["in"] == "path" {
					if name, ok := pm["name"].(string); ok {
						declared[name] = true
					} else {
						t.Errorf("%s has a path parameter without a name: %v", k, pm)
					}
				}
			}
		}
		for rest := path; ; {
			_, after, ok := strings.Cut(rest, "{")
			if !ok {
				break
			}
			name, tail, _ := strings.Cut(after, "}")
			if !declared[name] {
				t.Errorf("%s does not declare its path parameter %s", k, name)
			}
			rest = tail
		}
	}
}
