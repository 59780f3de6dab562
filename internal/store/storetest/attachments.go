package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testAttachments adds information with files to a case and checks the
// files are stored exactly, named on the event, refused whole when one is
// wrong, and found only through their own case.
func testAttachments(t *testing.T, s store.Store) {
	w, c := newWorldWithCase(t, s, "Mould in the bathroom")
	other := w.create(t, s, complaintCmd("Another resident's case", w.now.Add(-time.Hour)))
	file := func(name, ct string, data []byte) store.Attachment {
		return store.Attachment{Name: name, ContentType: ct, Data: data, SHA256: hexSHA256(data), Source: "portal", AddedAt: w.now, AddedBy: "Ada Resident"}
	}
	files := []store.Attachment{file("mould.jpg", "image/jpeg", []byte("\xff\xd8\xff a photo")), file("letter.pdf", "application/pdf", []byte("%PDF-1.7 a letter"))}
	add := func(fs []store.Attachment) store.Decision {
		var refs []complaint.AttachmentRef
		for _, f := range fs {
			refs = append(refs, complaint.AttachmentRef{Name: f.Name, SHA256: f.SHA256, Size: int64(len(f.Data))})
		}
		return func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "Photos attached", Attachments: refs}, w.env("officer@example.org", nr))
		}
	}
	bad := append([]store.Attachment{}, files...)
	bad[1].SHA256 = noSuchSHA256
	if _, _, err := s.AddInformation(ctx, c.Reference, 0, add(bad), bad); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a file whose hash does not match: %v", err)
	}
	if got, err := s.Attachments(ctx, c.Reference); err != nil {
		t.Fatalf("files after a refused submission: %v", err)
	} else if len(got) != 0 {
		t.Fatalf("a refused submission stored %d files", len(got))
	}
	next, stored, err := s.AddInformation(ctx, c.Reference, c.Version, add(files), files)
	if err != nil {
		t.Fatal(err)
	}
	if next.Version != c.Version+1 || len(stored) != 2 || stored[0].ID == 0 || stored[1].EventSeq != 2 {
		t.Errorf("stored %+v", stored)
	}
	list, err := s.Attachments(ctx, c.Reference)
	if err != nil || len(list) != 2 || list[0].Name != "mould.jpg" || list[1].ContentType != "application/pdf" || list[0].Data != nil ||
		list[1].Size != int64(len(files[1].Data)) || list[0].Source != "portal" || !list[0].AddedAt.Equal(w.now) {
		t.Errorf("listed %+v, %v", list, err)
	}
	if len(list) != 2 {
		t.Fatalf("%d files listed, want 2", len(list))
	}
	one, err := s.Attachment(ctx, c.Reference, list[1].ID)
	if err != nil || !bytes.Equal(one.Data, files[1].Data) || one.SHA256 != files[1].SHA256 {
		t.Errorf("read back %+v, %v", one, err)
	}
	// Another case's reference does not reach the file.
	if _, err := s.Attachment(ctx, other.Reference, list[1].ID); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("a file through another case: %v", err)
	}
	evs, err := s.CaseEvents(ctx, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[1].Kind != complaint.EventInformationAdded {
		t.Errorf("events: %+v", evs)
	}
}
