package complaint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// commands holds one value of every command type, by type name.
var commands = []Command{
	Create{}, Acknowledge{}, Assign{}, Extend{}, Respond{}, LegacyRespond{},
	Escalate{}, Close{}, Withdraw{}, Refuse{}, Convert{}, Note{}, Link{},
	CompleteRemedy{}, RecordLetter{}, AddInformation{}, EditDetails{},
	RecordMilestone{}, FlagHealthAndSafety{}, AcknowledgeHealthAndSafety{},
	ClassifyHazard{}, RecordHazardStep{}, RecordAccommodation{}, AmendDefinition{},
	SupersedeRemedy{}, MarkRead{},
	ReferToOmbudsman{}, RequestOmbudsmanEvidence{}, ApproveOmbudsmanResponse{}, SendOmbudsmanEvidence{}, RecordOmbudsmanDetermination{}, RecordOmbudsmanCompliance{},
	RecordSignOff{}, WaiveSignOff{}, RecordMediation{}, LogAdditionalComplaint{},
	AgreeResponseMethod{}, AcknowledgeMemberEnquiry{}, RecordMemberResponse{},
	PassOnCompliment{}, RecordGroupCopies{}, RecordGroup{}, ConfirmTenancy{}, ImportCase{},
	PlaceLegalHold{}, LiftLegalHold{}, Anonymise{},
	RecordSubjectAccessExport{},
}

// TestEveryCommandRecordsAnEventKindInEventKinds holds EventKinds to the
// commands: each command's event is listed, each listed kind is
// recorded by exactly one command, and no kind is listed twice. Storage,
// notices and the pages check themselves against EventKinds, so a
// command whose kind is missing from it would go unnoticed by them.
func TestEveryCommandRecordsAnEventKindInEventKinds(t *testing.T) {
	// Every type in the package with an event method is in commands, so
	// that a new command cannot be left out of this test.
	listed := map[string]bool{}
	for _, cmd := range commands {
		listed[reflect.TypeOf(cmd).Name()] = true
	}
	for _, name := range commandTypes(t) {
		if !listed[name] {
			t.Errorf("command %s is not in this test's list of commands", name)
		}
	}

	seen := map[EventKind]bool{}
	for _, k := range EventKinds {
		if seen[k] {
			t.Errorf("EventKinds lists %q twice", k)
		}
		seen[k] = true
	}
	recordedBy := map[EventKind]string{}
	for _, cmd := range commands {
		name, k := reflect.TypeOf(cmd).Name(), cmd.event()
		if !slices.Contains(EventKinds, k) {
			t.Errorf("%s records %q, which is not in EventKinds", name, k)
		}
		if other, ok := recordedBy[k]; ok {
			t.Errorf("%s and %s both record %q", other, name, k)
		}
		recordedBy[k] = name
	}
	for _, k := range EventKinds {
		if _, ok := recordedBy[k]; !ok {
			t.Errorf("EventKinds lists %q, which no command records", k)
		}
	}
}

// commandTypes names the receiver types of the package's event methods.
func commandTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "event" {
				continue
			}
			typ := fn.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				names = append(names, id.Name)
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("found no event methods: the test no longer reads the package's source")
	}
	return names
}

// TestEveryEventKindButCreatedDecodesToTheCommandThatRecordsIt holds
// DecodeCommand to EventKinds, so that storage's rebuild, which decodes
// through it, can replay every kind a command records.
func TestEveryEventKindButCreatedDecodesToTheCommandThatRecordsIt(t *testing.T) {
	for _, k := range EventKinds {
		cmd, err := DecodeCommand(k, []byte("{}"))
		switch {
		case k == EventCreated || k == EventImported:
			if err == nil {
				t.Errorf("DecodeCommand(%q) = %T: a case's first event is replayed by NewCase or NewImportedCase", k, cmd)
			}
		case err != nil:
			t.Errorf("DecodeCommand(%q): %v", k, err)
		case cmd.event() != k:
			t.Errorf("DecodeCommand(%q) = %T, which records %q", k, cmd, cmd.event())
		}
	}
	if _, err := DecodeCommand("no_such_kind", []byte("{}")); err == nil || !strings.Contains(err.Error(), "cannot replay") {
		t.Errorf("DecodeCommand of an unknown kind: %v, want that it cannot be replayed", err)
	}
	if _, err := DecodeCommand(EventNoteAdded, []byte(`{"text": 1}`)); err == nil {
		t.Errorf("DecodeCommand of data that does not decode: no error")
	}
}
