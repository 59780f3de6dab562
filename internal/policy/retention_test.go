package policy

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRetentionDefaultsAreAssumedAndALandlordsPeriodsReplaceThem(t *testing.T) {
	for _, name := range Presets() {
		p, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range RetentionKinds {
			if _, assumed := p.Retention.For(k); !assumed {
				t.Errorf("%s: the %s period is not marked assumed, but no document sets one", name, k)
			}
		}
	}
	data, err := PresetYAML(Default)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, []byte("retention:\n  complaint: {years: 7}\n  compliment: {months: 18}\n  source: \"Records schedule 2025, section 4\"\n")...)
	p, err := Parse("custom", data)
	if err != nil {
		t.Fatal(err)
	}
	closed := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		kind    string
		due     time.Time
		rule    string
		assumed bool
	}{
		{"complaint", time.Date(2033, 3, 31, 12, 0, 0, 0, time.UTC), "complaint: 7 years after closure", false},
		{"compliment", time.Date(2027, 10, 1, 12, 0, 0, 0, time.UTC), "compliment: 18 months after closure", false}, // 31 September is 1 October
		{"enquiry", time.Date(2028, 3, 31, 12, 0, 0, 0, time.UTC), "enquiry: 2 years after closure (assumed default)", true},
	} {
		if got := p.Retention.Due(tt.kind, closed); !got.Equal(tt.due) {
			t.Errorf("%s: due %v, want %v", tt.kind, got, tt.due)
		}
		if got := p.Retention.Rule(tt.kind); got != tt.rule {
			t.Errorf("%s: rule %q, want %q", tt.kind, got, tt.rule)
		}
		if _, assumed := p.Retention.For(tt.kind); assumed != tt.assumed {
			t.Errorf("%s: assumed %v", tt.kind, assumed)
		}
	}
}

func TestBadRetentionPeriodsAreRefusedByField(t *testing.T) {
	for _, tt := range []struct{ yaml, field, want string }{
		{"complaints: {years: 6}", "retention.complaints", ""},
		{"complaint: {years: -1}", "retention.complaint", "cannot be negative"},
		{"complaint: {years: 200}", "retention.complaint", "more than 100 years"},
	} {
		data, err := PresetYAML(Default)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, []byte("retention:\n  "+tt.yaml+"\n")...)
		_, err = Parse("custom", data)
		var inv *InvalidError
		if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.field) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %s: %s", tt.yaml, err, tt.field, tt.want)
		}
	}
}
