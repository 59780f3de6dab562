package store

import (
	"bytes"
	"testing"
)

// A key derived for one purpose is the same every time (so device
// cookies outlive a restart), differs by purpose and by audit key, and
// is never the audit key itself.
func TestDeriveGivesOneStableKeyPerPurpose(t *testing.T) {
	k, err := NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseAuditKey(k.Encode())
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	a := k.Derive("redress device cookies")
	switch {
	case len(a) < 32:
		t.Fatalf("a derived key of %d bytes; the device cookies need 32", len(a))
	case !bytes.Equal(a, again.Derive("redress device cookies")):
		t.Error("the same audit key derived two different keys for one purpose")
	case bytes.Equal(a, k.Derive("something else")):
		t.Error("two purposes derived the same key")
	case bytes.Equal(a, other.Derive("redress device cookies")):
		t.Error("two audit keys derived the same key")
	case bytes.Equal(a, k.secret):
		t.Error("the derived key is the audit key itself")
	}
}
