package webui

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/web/view"
)

// decidedStage1 is a stage 1 complaint acknowledged with its decisions
// recorded, so that it calls for its acknowledgement and its response.
func decidedStage1() complaint.Case {
	return complaint.Case{Reference: "C-2026-000001", Kind: complaint.KindComplaint, Stage: 1, Status: complaint.StatusAcknowledged,
		Stages: []complaint.Stage{{Stage: 1, AcknowledgedAt: time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC),
			Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "The repairs did not last."}}}}}
}

// renderLetterSection renders the case page's letters section alone.
func renderLetterSection(t *testing.T, sec letterSection) string {
	t.Helper()
	a, err := view.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Preset("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := view.ParsePages(templateFiles, "templates", templateFuncsFor(a, p))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pages["case"].ExecuteTemplate(&buf, "letters-section", sec); err != nil {
		t.Fatalf("the letters section: %v", err)
	}
	return buf.String()
}

// The case page prompts for each letter the case's steps call for until
// one has gone at the stage: the stage 1 response is prompted for while
// only the acknowledgement has gone, and the prompt goes once it is
// issued. An issued letter is listed as issued with when, how, to whom
// (with the email address it went to) and by whom, and a reissue with
// why; the kinds already issued are offered as sending them again.
func TestTheLetterPromptGoesOnceTheLetterIsIssued(t *testing.T) {
	c := decidedStage1()
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	ack := store.Letter{ID: 1, Kind: string(letters.Acknowledgement), Title: letters.Acknowledgement.Title(), Stage: 1, IssuedAt: at,
		IssuedBy: "olive@example.org", Channel: "print", Recipient: "Ada Resident", SHA256: strings.Repeat("a", 64)}
	sec := newLetterSection(c, []store.Letter{ack}, nil, true, false)
	if !slices.Equal(sec.Due, []letters.Kind{letters.Stage1Response}) {
		t.Errorf("due with the acknowledgement issued: %v, want the stage 1 response only", sec.Due)
	}
	first := renderLetterSection(t, sec)
	if !strings.Contains(first, `id="letters-due"`) || !strings.Contains(first, "/letters/new?kind=stage1_response") {
		t.Errorf("no prompt for the stage 1 response:\n%s", first)
	}

	resp := store.Letter{ID: 2, Kind: string(letters.Stage1Response), Title: letters.Stage1Response.Title(), Stage: 1, IssuedAt: at,
		IssuedBy: "olive@example.org", Channel: "email", Recipient: "Ada Resident", SHA256: strings.Repeat("b", 64)}
	again := resp
	again.ID, again.ReissueReason = 3, "The first email never arrived"
	outbox := []store.OutboundMessage{
		{To: "ada@example.org", DedupeKey: "letter:" + resp.SHA256, Status: store.OutboxSent, SentAt: at},
		{To: "ada@example.org", DedupeKey: "letter:" + resp.SHA256 + ":reissue:1"},
	}
	sec = newLetterSection(c, []store.Letter{ack, resp, again}, outbox, true, false)
	if len(sec.Due) != 0 {
		t.Errorf("due with every letter issued: %v", sec.Due)
	}
	out := renderLetterSection(t, sec)
	if strings.Contains(out, `id="letters-due"`) {
		t.Errorf("the prompt is still shown once the letters have gone:\n%s", out)
	}
	text := strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(out, " "))), " ")
	for _, want := range []string{
		"23 November 2026 at 12:00pm by olive@example.org Acknowledgement (PDF) Issued Ada Resident Post: for printing and posting",
		"Stage 1 response (PDF) Issued Ada Resident (ada@example.org) Email: sent 23 November 2026 at 12:00pm",
		"Stage 1 response (PDF) Issued again Why: The first email never arrived Ada Resident (ada@example.org) Email: waiting to be sent",
		"Stage 1 response (issued: sending it again needs a reason)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the letters section does not say %q:\n%s", want, text)
		}
	}
}
