package complaint

import (
	"reflect"
	"strings"
	"testing"
)

// TestASubjectAccessExportIsRecordedOnAnyCaseAndChangesNothingElse: the
// record of a disclosure names the ZIP's hash, how many cases and the
// person's part, whatever the case's status (a closed case is disclosed
// as much as an open one), and leaves the case as it was but for its
// latest event's time; a hash that is not one, no cases or no part is
// refused naming each field.
func TestASubjectAccessExportIsRecordedOnAnyCaseAndChangesNothingElse(t *testing.T) {
	f := newFixture(t, "code-2024")
	sum := strings.Repeat("ab", 32)
	closed := f.must(f.responded(), "2027-01-06 10:00", officer, Close{})
	for name, c := range map[string]Case{"received": f.received(), "closed": closed} {
		cmd := RecordSubjectAccessExport{SHA256: sum, Cases: 2, Roles: []string{"complainant"}}
		next, ev, err := f.decide(c, "", officer, cmd)
		if err != nil {
			t.Fatalf("%s case: %v", name, err)
		}
		if ev.Kind != EventSubjectAccessExported || !reflect.DeepEqual(ev.Data, cmd) {
			t.Errorf("%s case: event %s %+v, want the export recorded as given", name, ev.Kind, ev.Data)
		}
		next.LastEventAt = c.LastEventAt
		if !reflect.DeepEqual(next, c) {
			t.Errorf("%s case: recording the export changed the case", name)
		}
	}
	_, _, err := f.decide(f.received(), "", officer, RecordSubjectAccessExport{SHA256: "not a hash"})
	wantError(t, err, Invalid, "sha256", "cases", "roles")
	_, _, err = f.decide(f.received(), "", officer, RecordSubjectAccessExport{SHA256: strings.ToUpper(sum), Cases: 1, Roles: []string{" "}})
	wantError(t, err, Invalid, "sha256", "roles")
}
