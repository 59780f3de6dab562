package complaint

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

func TestNewCaseNamesEachInvalidField(t *testing.T) {
	future := testNow.Add(time.Minute)
	before2000 := time.Date(1999, time.December, 31, 12, 0, 0, 0, calendar.London)
	long := func(n int) string { return strings.Repeat("a", n) }
	list := func(n int) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = "damp"
		}
		return s
	}
	tests := []struct {
		name   string
		change func(*Create)
		fields []string // nil: the command is valid
	}{
		{"the valid command is valid", func(*Create) {}, nil},
		{"kind is required", func(c *Create) { c.Kind = "" }, []string{"kind"}},
		{"kind must be one of the kinds", func(c *Create) { c.Kind = "concern" }, []string{"kind"}},
		{"channel is required", func(c *Create) { c.Channel = "" }, []string{"channel"}},
		{"channel must be one of the channels", func(c *Create) { c.Channel = "fax" }, []string{"channel"}},
		{"received_at in the future", func(c *Create) { c.ReceivedAt = &future }, []string{"received_at"}},
		{"received_at before 2000", func(c *Create) { c.ReceivedAt = &before2000 }, []string{"received_at"}},
		{"received_at exactly now is allowed", func(c *Create) { n := testNow; c.ReceivedAt = &n }, nil},
		{"complainant name is required", func(c *Create) { c.Complainant.Name = "  " }, []string{"complainant.name"}},
		{"complainant name over 200 characters", func(c *Create) { c.Complainant.Name = long(201) }, []string{"complainant.name"}},
		{"complainant name of 200 characters is allowed", func(c *Create) { c.Complainant.Name = long(200) }, nil},
		{"complainant email not an address", func(c *Create) { c.Complainant.Email = "ada at example.org" }, []string{"complainant.email"}},
		{"complainant email without a dot in the domain", func(c *Create) { c.Complainant.Email = "ada@localhost" }, []string{"complainant.email"}},
		{"complainant email with a display name", func(c *Create) { c.Complainant.Email = "Ada <ada@example.org>" }, []string{"complainant.email"}},
		{"complainant phone over 200 characters", func(c *Create) { c.Complainant.Phone = long(201) }, []string{"complainant.phone"}},
		{"complainant postcode over 200 characters", func(c *Create) { c.Complainant.Postcode = long(201) }, []string{"complainant.postcode"}},
		{"complainant tenancy_ref over 200 characters", func(c *Create) { c.Complainant.TenancyRef = long(201) }, []string{"complainant.tenancy_ref"}},
		{"complainant address over 1000 characters", func(c *Create) { c.Complainant.Address = long(1001) }, []string{"complainant.address"}},
		{"no contact route", func(c *Create) { c.Complainant.Email = "" }, []string{"complainant"}},
		{"blank contact details are no contact route", func(c *Create) { c.Complainant.Email, c.Complainant.Phone = "", "  " }, []string{"complainant"}},
		{"a phone is a contact route", func(c *Create) { c.Complainant.Email, c.Complainant.Phone = "", "0191 000 0000" }, nil},
		{"an address is a contact route", func(c *Create) { c.Complainant.Email, c.Complainant.Address = "", "1 High Street" }, nil},
		{"a representative is a contact route", func(c *Create) {
			c.Complainant.Email = ""
			c.Representative = &Representative{Name: "Cllr Jones", Relationship: "councillor", ConsentRecorded: true}
		}, nil},
		{"summary is required", func(c *Create) { c.Summary = " " }, []string{"summary"}},
		{"summary over 500 characters", func(c *Create) { c.Summary = long(501) }, []string{"summary"}},
		{"summary of 500 characters is allowed", func(c *Create) { c.Summary = long(500) }, nil},
		{"description over 20000 characters", func(c *Create) { c.Description = long(20001) }, []string{"description"}},
		{"desired outcome over 20000 characters", func(c *Create) { c.DesiredOutcome = long(20001) }, []string{"desired_outcome"}},
		{"service area over 200 characters", func(c *Create) { c.ServiceArea = long(201) }, []string{"service_area"}},
		{"tenure must be one of the tenures", func(c *Create) { c.Tenure = "council_tenant" }, []string{"tenure"}},
		{"tenure may be left out", func(c *Create) { c.Tenure = "" }, nil},
		{"a known tenure is allowed", func(c *Create) { c.Tenure = "low_cost_home_ownership" }, nil},
		{"representative name is required", func(c *Create) {
			c.Representative = &Representative{Relationship: "advocate"}
		}, []string{"representative.name"}},
		{"representative relationship is required", func(c *Create) {
			c.Representative = &Representative{Name: "Sam Advocate"}
		}, []string{"representative.relationship"}},
		{"representative email not an address", func(c *Create) {
			c.Representative = &Representative{Name: "Sam Advocate", Relationship: "advocate", Email: "sam@"}
		}, []string{"representative.email"}},
		{"group point of contact is required", func(c *Create) {
			c.Group = &Group{Name: "Tower residents", Members: 40}
		}, []string{"group.point_of_contact"}},
		{"group name is required", func(c *Create) {
			c.Group = &Group{PointOfContact: "Flat 12"}
		}, []string{"group.name"}},
		{"group members cannot be negative", func(c *Create) {
			c.Group = &Group{Name: "Tower residents", Members: -1, PointOfContact: "Flat 12"}
		}, []string{"group.members"}},
		{"too many categories", func(c *Create) { c.Categories = list(51) }, []string{"categories"}},
		{"50 categories are allowed", func(c *Create) { c.Categories = list(50) }, nil},
		{"an empty category", func(c *Create) { c.Categories = []string{"damp", " "} }, []string{"categories[1]"}},
		{"a category over 200 characters", func(c *Create) { c.Categories = []string{long(201)} }, []string{"categories[0]"}},
		{"too many adjustments", func(c *Create) { c.Adjustments = list(51) }, []string{"adjustments"}},
		{"a vulnerability over 200 characters", func(c *Create) { c.Vulnerabilities = []string{long(201)} }, []string{"vulnerabilities[0]"}},
		{"every problem is reported at once", func(c *Create) {
			c.Kind, c.Channel, c.Summary = "", "fax", ""
			c.Complainant = Person{}
			c.Group = &Group{Name: "Tower residents"}
		}, []string{"kind", "channel", "summary", "complainant", "complainant.name", "group.point_of_contact"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			cmd := validCreate()
			tt.change(&cmd)
			c, ev, err := NewCase(cmd, f.env)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("NewCase: %v", err)
				}
				if c.Reference == "" || ev.Kind != "created" {
					t.Errorf("NewCase = %q, event %q: want a reference and a created event", c.Reference, ev.Kind)
				}
				return
			}
			wantError(t, err, Invalid, tt.fields...)
			if !reflect.DeepEqual(c, Case{}) {
				t.Errorf("an invalid command returned a case: %+v", c)
			}
			if len(f.refs.years) != 0 {
				t.Errorf("an invalid command used up %d references", len(f.refs.years))
			}
		})
	}
}

func TestNewComplaintStartsAtStage1WithDeadlinesAcrossChristmas2026(t *testing.T) {
	f := newFixture(t, "code-2024")
	received := london("2026-12-21 10:00")
	cmd := validCreate()
	cmd.ReceivedAt = &received
	c, ev, err := NewCase(cmd, f.env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != KindComplaint || c.Stage != 1 || c.Status != StatusReceived || len(c.Stages) != 1 {
		t.Fatalf("case is %s at stage %d, %s, with %d stages; want a received complaint at stage 1", c.Kind, c.Stage, c.Status, len(c.Stages))
	}
	if c.Reference != "C-2026-000001" || c.Policy != "code-2024" || c.CreatedBy != officer.Email {
		t.Errorf("reference, policy, created_by = %q, %q, %q", c.Reference, c.Policy, c.CreatedBy)
	}
	if !c.ReceivedAt.Equal(received) || !c.LastEventAt.Equal(received) {
		t.Errorf("received_at, last_event_at = %v, %v; want both %v", c.ReceivedAt, c.LastEventAt, received)
	}
	if c.Handler != "" {
		t.Errorf("handler = %q, want none until someone takes it on", c.Handler)
	}
	st := c.Stages[0]
	if st.Stage != 1 || st.Reference != c.Reference || !st.ReceivedAt.Equal(received) {
		t.Errorf("stage 1 = %+v", st)
	}
	if st.Handlers == nil || len(st.Handlers) != 0 || st.Extensions == nil || len(st.Extensions) != 0 {
		t.Errorf("stage 1 handlers %v, extensions %v: want empty, not nil", st.Handlers, st.Extensions)
	}
	// 5 working days from Mon 21 Dec: 22, 23, 24, 29, 30 (25 Dec and the
	// Boxing Day substitute 28 Dec are bank holidays). The response, until
	// the complaint is acknowledged, assumes acknowledgement on 30 Dec: 10
	// working days are 31 Dec, 4-8 Jan, 11-14 Jan (1 Jan is a bank holiday).
	wantDeadlines(t, "received", st, "2026-12-30", "2027-01-14", "")
	if got := c.NextDue(); got != date("2026-12-30") {
		t.Errorf("NextDue = %s, want the acknowledgement deadline 2026-12-30", got)
	}
	if ev.Kind != "created" || ev.Actor != officer.Email || !ev.At.Equal(received) || !ev.RecordedAt.Equal(testNow) {
		t.Errorf("event = %+v", ev)
	}
	if !reflect.DeepEqual(f.refs.years, []int{2026}) {
		t.Errorf("references asked for years %v, want [2026]", f.refs.years)
	}
}

func TestNewComplaintDeadlinesCountWorkingDaysAfterTheLondonDateOfReceipt(t *testing.T) {
	tests := []struct {
		name                     string
		received                 time.Time
		acknowledgeBy, respondBy string
	}{
		// 22, 23, 24, 29, 30 Dec; then 31 Dec, 4-8 Jan, 11-14 Jan.
		{"Monday before Christmas", london("2026-12-21 10:00"), "2026-12-30", "2027-01-14"},
		{"last minute of the Monday", london("2026-12-21 23:59"), "2026-12-30", "2027-01-14"},
		// 24, 29, 30, 31 Dec, 4 Jan; then 5-8 Jan, 11-15 Jan, 18 Jan.
		{"Wednesday 23 December", london("2026-12-23 09:00"), "2027-01-04", "2027-01-18"},
		// The anchor day is never counted, working day or not: 29, 30,
		// 31 Dec, 4, 5 Jan; then 6-8 Jan, 11-15 Jan, 18, 19 Jan.
		{"Christmas Day", london("2026-12-25 12:00"), "2027-01-05", "2027-01-19"},
		{"Saturday 26 December", london("2026-12-26 12:00"), "2027-01-05", "2027-01-19"},
		{"Boxing Day substitute", london("2026-12-28 12:00"), "2027-01-05", "2027-01-19"},
		// 4-8 Jan; then 11-15 Jan, 18-22 Jan.
		{"New Year's Eve", london("2026-12-31 16:00"), "2027-01-08", "2027-01-22"},
		// 23:30 UTC on 30 June is 00:30 on Wed 1 July in London (BST):
		// 2, 3, 6, 7, 8 July; then 9, 10, 13-17, 20-22 July.
		{"the date is London's, not UTC's", time.Date(2026, time.June, 30, 23, 30, 0, 0, time.UTC), "2026-07-08", "2026-07-22"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			cmd := validCreate()
			cmd.ReceivedAt = &tt.received
			c, _, err := NewCase(cmd, f.env)
			if err != nil {
				t.Fatal(err)
			}
			wantDeadlines(t, tt.name, c.Stages[0], tt.acknowledgeBy, tt.respondBy, "")
		})
	}
}

func TestNewCaseReferenceIsForTheYearOfReceipt(t *testing.T) {
	f := newFixture(t, "code-2024")
	received := london("2025-12-31 17:00")
	cmd := validCreate()
	cmd.ReceivedAt = &received
	c, _, err := NewCase(cmd, f.env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Reference != "C-2025-000001" || !reflect.DeepEqual(f.refs.years, []int{2025}) {
		t.Errorf("reference %q from years %v, want C-2025-000001 from [2025]", c.Reference, f.refs.years)
	}
}

func TestNewCaseReceivedAtDefaultsToNow(t *testing.T) {
	f := newFixture(t, "code-2024")
	c, ev, err := NewCase(validCreate(), f.env)
	if err != nil {
		t.Fatal(err)
	}
	if !c.ReceivedAt.Equal(testNow) || !c.Stages[0].ReceivedAt.Equal(testNow) || !ev.At.Equal(testNow) {
		t.Errorf("received_at %v, stage received_at %v, event at %v; want now %v", c.ReceivedAt, c.Stages[0].ReceivedAt, ev.At, testNow)
	}
}

func TestNewCaseReferenceFailureIsReturned(t *testing.T) {
	f := newFixture(t, "code-2024")
	boom := errors.New("sequence unavailable")
	f.env.NewReference = func(int) (string, error) { return "", boom }
	if _, _, err := NewCase(validCreate(), f.env); !errors.Is(err, boom) {
		t.Errorf("error = %v, want %v", err, boom)
	}
}

func TestNewCaseDeadlinesBeyondKnownBankHolidaysAreUnavailable(t *testing.T) {
	// Bank holidays are built in up to 2040. From Thu 27 Dec 2040 the
	// fifth working day, and from Fri 28 Dec 2040 greatwell's third, falls
	// in 2041, whose bank holidays are not known.
	for _, tt := range []struct {
		policy   string
		kind     Kind
		received string
	}{
		{"code-2024", KindComplaint, "2040-12-27 10:00"},
		{"greatwell-homes", KindServiceRequest, "2040-12-28 10:00"},
	} {
		t.Run(tt.policy, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			f.env.Now = time.Date(2041, time.January, 10, 12, 0, 0, 0, calendar.London)
			received := london(tt.received)
			cmd := validCreate()
			cmd.Kind = tt.kind
			cmd.ReceivedAt = &received
			_, _, err := NewCase(cmd, f.env)
			wantError(t, err, Unavailable)
		})
	}
}

func TestServiceRequestGetsThePolicysResolutionTarget(t *testing.T) {
	tests := []struct {
		policy, received, resolveBy string
	}{
		// Greatwell's "customer concern": 3 working days from receipt.
		{"greatwell-homes", "2026-12-21 10:00", "2026-12-24"}, // 22, 23, 24
		{"greatwell-homes", "2026-12-23 10:00", "2026-12-30"}, // 24, 29, 30
		{"greatwell-homes", "2026-12-24 16:00", "2026-12-31"}, // 29, 30, 31
		// The Code and gentoo set no resolution target.
		{"code-2024", "2026-12-21 10:00", ""},
		{"gentoo", "2026-12-21 10:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.policy+" "+tt.received, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			cmd := validCreate()
			cmd.Kind = KindServiceRequest
			c := f.create(cmd, tt.received)
			if c.ResolveBy != date(tt.resolveBy) {
				t.Errorf("resolve_by = %q, want %q", c.ResolveBy, tt.resolveBy)
			}
			if c.Stage != 0 || len(c.Stages) != 0 || c.Current() != nil {
				t.Errorf("a service request has stage %d and %d stages, want none", c.Stage, len(c.Stages))
			}
			if c.NextDue() != date(tt.resolveBy) {
				t.Errorf("NextDue = %q, want the resolution target %q", c.NextDue(), tt.resolveBy)
			}
		})
	}
}

func TestContactsOtherThanComplaintsHaveNoStages(t *testing.T) {
	for _, kind := range []Kind{KindCompliment, KindSuggestion, KindFeedback, KindEnquiry} {
		t.Run(string(kind), func(t *testing.T) {
			f := newFixture(t, "greatwell-homes")
			cmd := validCreate()
			cmd.Kind = kind
			c := f.create(cmd, "2026-12-21 10:00")
			if c.Kind != kind || c.Status != StatusReceived {
				t.Errorf("case is %s, %s; want %s, received", c.Kind, c.Status, kind)
			}
			if c.Stage != 0 || c.Stages == nil || len(c.Stages) != 0 || c.Current() != nil {
				t.Errorf("stage %d, stages %v: want stage 0 and an empty list", c.Stage, c.Stages)
			}
			if !c.ResolveBy.IsZero() || !c.NextDue().IsZero() {
				t.Errorf("resolve_by %q, NextDue %q: want none", c.ResolveBy, c.NextDue())
			}
		})
	}
}

func TestNewCaseTrimsTextAndUppercasesPostcode(t *testing.T) {
	f := newFixture(t, "code-2024")
	cmd := validCreate()
	cmd.Complainant = Person{Name: "  Ada Lovelace ", Phone: " 0191 000 0000 ", Postcode: " ne1 4st ", TenancyRef: " T-1 ", Address: " 1 High Street "}
	cmd.Summary = "  Damp  "
	cmd.Description = " It is getting worse "
	cmd.DesiredOutcome = " Fix it "
	cmd.ServiceArea = " Repairs "
	cmd.Categories = []string{" damp ", "repairs"}
	cmd.Tenure = "low_cost_rental"
	cmd.HealthAndSafety = true
	cmd.Confidential = true
	c := f.create(cmd, "2026-12-21 10:00")
	want := Person{Name: "Ada Lovelace", Phone: "0191 000 0000", Postcode: "NE1 4ST", TenancyRef: "T-1", Address: "1 High Street"}
	if c.Complainant != want {
		t.Errorf("complainant = %+v, want %+v", c.Complainant, want)
	}
	if c.Summary != "Damp" || c.Description != "It is getting worse" || c.DesiredOutcome != "Fix it" || c.ServiceArea != "Repairs" {
		t.Errorf("summary %q, description %q, desired outcome %q, service area %q: want them trimmed", c.Summary, c.Description, c.DesiredOutcome, c.ServiceArea)
	}
	if !reflect.DeepEqual(c.Categories, []string{"damp", "repairs"}) {
		t.Errorf("categories = %q", c.Categories)
	}
	if c.Tenure != "low_cost_rental" || !c.HealthAndSafety || !c.Confidential {
		t.Errorf("tenure %q, health and safety %v, confidential %v", c.Tenure, c.HealthAndSafety, c.Confidential)
	}
	// Lists left out are empty, never nil, so they read back the same.
	for name, l := range map[string][]string{"adjustments": c.Adjustments, "vulnerabilities": c.Vulnerabilities, "links": c.Links} {
		if l == nil || len(l) != 0 {
			t.Errorf("%s = %#v, want an empty list", name, l)
		}
	}
	if c.Remedies == nil || len(c.Remedies) != 0 {
		t.Errorf("remedies = %#v, want an empty list", c.Remedies)
	}
}
