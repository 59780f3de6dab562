package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/brand"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/mail/mailtest"
	"github.com/redresshq/redress/internal/store"
)

// TestEmailIsFromAndSignedByTheLandlordOnTheLetterhead sends a resident's
// acknowledgement and an officer's assignment notice through the relay,
// the outbox and the real dispatcher to a real SMTP server, first with no
// letterhead and then after one is saved: the From header's display name
// and the signature are the service name and then the letterhead's name,
// while the From address stays the one configured.
func TestEmailIsFromAndSignedByTheLandlordOnTheLetterhead(t *testing.T) {
	sink := mailtest.Start(t, mailtest.Options{})
	w := newWorld(t, time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.London))
	bc := brand.New(w.db, "Complaints team", nil)
	w.relay.Brand = bc
	sender, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: sink.Port(), Security: mail.None,
		From: "Redress <complaints@landlord.example>", Timeout: mailtest.Bound})
	if err != nil {
		t.Fatal(err)
	}
	sender.FromName = bc.Name
	d := &mail.Dispatcher{Outbox: w.db, Sender: sender, Clock: func() time.Time { return w.clock }}

	send := func(name string) {
		t.Helper()
		before := len(sink.Received())
		ref := w.create(adaComplaint("email")).Reference
		w.do(ref, manager, complaint.Assign{Handler: officer, HandlerRole: "officer"})
		if n := w.relayAfterHold(); n != 2 {
			t.Fatalf("%s: queued %d notices, want the acknowledgement and the assignment", name, n)
		}
		if sent, failed, err := d.RunOnce(w.ctx); err != nil || sent != 2 || failed != 0 {
			t.Fatalf("%s: dispatcher sent %d, failed %d, %v", name, sent, failed, err)
		}
		got := sink.Received()[before:]
		if len(got) != 2 {
			t.Fatalf("%s: the server received %d messages, want 2", name, len(got))
		}
		for i, m := range got {
			h, body := readMail(t, m)
			from, err := h.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != name || from[0].Address != "complaints@landlord.example" {
				t.Errorf("message %d is from %q (%v), want %q <complaints@landlord.example>", i, h.Get("From"), err, name)
			}
			if !strings.HasSuffix(body, "\n"+name+"\n") {
				t.Errorf("message %d is not signed %q:\n%s", i, name, body)
			}
		}
	}
	send("Complaints team")

	if err := w.db.SetLetterhead(w.ctx, store.Letterhead{Name: "Riverside Vale Homes", Address: []string{"1 Quay Street"},
		UpdatedBy: admin, UpdatedAt: w.clock}); err != nil {
		t.Fatal(err)
	}
	bc.Changed() // as the letterhead page does when it saves
	send("Riverside Vale Homes")
}
