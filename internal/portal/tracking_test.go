package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/notify"
	"github.com/redresshq/redress/internal/portal"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// trackCookieSet reports whether a response set the tracking cookie.
func trackCookieSet(r response) string {
	for _, sc := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "redress_track=") {
			return sc
		}
	}
	return ""
}

// TestTrackingNeedsMoreThanAReferenceAndPostcode makes the neighbour's
// attack: 18 sequential references, three of them cases at the
// postcode the neighbour shares, tried with the postcode and with the
// resident's email address (the neighbour knows both), in every field
// the tracking form has had, each from its own address; then the case's
// pages, its letter and its withdrawal without any proof. Nothing opens,
// nothing is withdrawn, and a link asked for goes only to the address on
// the case, never to one typed in.
func TestTrackingNeedsMoreThanAReferenceAndPostcode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var refs, theirs []string
	for i := range 18 {
		p := complaint.Person{Name: fmt.Sprintf("Resident %d", i), Email: fmt.Sprintf("resident%d@example.org", i), Postcode: fmt.Sprintf("RV%d 9ZZ", i)}
		if i%6 == 2 {
			p.Postcode = jo.Postcode
			theirs = append(theirs, "")
		}
		k := e.newCase(complaint.Create{Complainant: p, Summary: "Noise from next door"})
		refs = append(refs, k.Reference)
		if p.Postcode == jo.Postcode {
			theirs[len(theirs)-1] = k.Reference
		}
		e.trackingCode(k.Reference) // as if the acknowledgement had gone
	}
	attacker := func(i int) *client {
		c := e.client()
		c.header.Set(clientHeader, fmt.Sprintf("203.0.113.%d", i))
		return c
	}
	n := 0
	for _, ref := range refs {
		k := e.getCase(ref)
		for _, guess := range []url.Values{
			{"reference": {ref}, "contact": {jo.Postcode}},
			{"reference": {ref}, "contact": {"rv12ab"}},
			{"reference": {ref}, "contact": {k.Complainant.Email}},
			{"reference": {ref}, "code": {jo.Postcode}},
			{"reference": {ref}, "code": {k.Complainant.Email}},
			{"reference": {ref}, "code": {"RV1 2AB RV1 2AB"}},
			{"reference": {ref}, "postcode": {jo.Postcode}, "email": {k.Complainant.Email}},
		} {
			n++
			c := attacker(n)
			r := c.post("/track", guess)
			if r.Status == http.StatusSeeOther || trackCookieSet(r) != "" {
				t.Fatalf("%v opened %s: HTTP %d to %q", guess, ref, r.Status, r.Location)
			}
			wantRedirect(t, "the case after guessing", c.get("/track/"+ref), "/track?reference="+ref)
		}
	}
	for _, ref := range theirs {
		c := attacker(200)
		wantRedirect(t, "the case page", c.get("/track/"+ref), "/track?reference="+ref)
		wantRedirect(t, "a letter", c.get("/track/"+ref+"/letters/1"), "/track?reference="+ref)
		wantRedirect(t, "withdraw", c.post("/track/"+ref+"/withdraw", url.Values{"reason": {"Sorted"}}), "/track?reference="+ref)
		wantRedirect(t, "withdraw, confirmed", c.post("/track/"+ref+"/withdraw/confirm", url.Values{"reason": {"Sorted"}}), "/track?reference="+ref)
		if got := e.getCase(ref); got.Status != complaint.StatusReceived || got.Version != 1 {
			t.Errorf("%s after the attack: %s, version %d", ref, got.Status, got.Version)
		}
		// A link asked for, with the neighbour's own address typed in
		// every way, goes to the resident's address alone.
		r := c.post("/track/email", url.Values{"reference": {ref}, "email": {"neighbour@example.net"}, "contact": {"neighbour@example.net"}})
		wantRedirect(t, "ask for a link", r, "/track/email/sent")
		links := e.sentLinks(ref)
		if len(links) != 1 || !strings.Contains(links[0].To, "<"+e.getCase(ref).Complainant.Email+">") {
			t.Errorf("links for %s: %+v, want one to the case's address", ref, links)
		}
		for _, l := range links {
			if strings.Contains(l.To, "neighbour") {
				t.Errorf("a link went to the address typed in: %+v", l)
			}
		}
	}
}

// TestTrackingCodeOpensTheCase follows a case with its reference and
// tracking code, typed as people type them, and checks that a wrong code
// and a reference of no case get the same page, that the proof is for one
// case and an hour, and that a forged proof opens nothing.
func TestTrackingCodeOpensTheCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler keeps failing"})
	code := e.trackingCode(k.Reference)
	c := e.client()

	r := c.get("/track?reference=" + k.Reference)
	wantStatus(t, "track page", r, 200)
	wantText(t, "track page", r, "If you gave us an email address", "Get a link by email", "If you have a tracking code")
	if !strings.Contains(r.Body, `value="`+k.Reference+`"`) || !strings.Contains(r.Body, `href="/track/email?reference=`+k.Reference+`"`) {
		t.Errorf("the track page does not carry the reference from the address")
	}
	wantErrors(t, "nothing given", c.post("/track", nil), map[string]string{
		"reference": "Enter your reference", "code": "Enter the tracking code from our letter"})
	wantErrors(t, "not a code", c.post("/track", url.Values{"reference": {k.Reference}, "code": {"RV1 2AB"}}), map[string]string{
		"code": "Enter the tracking code as it is in our letter: 10 letters and numbers"})

	// A wrong code and a reference that does not exist get the same
	// answer, so nobody learns which references exist.
	other := e.newCase(complaint.Create{Complainant: jo, Summary: "Another"})
	wrongCode := e.trackingCode(other.Reference)
	wrong := c.post("/track", url.Values{"reference": {k.Reference}, "code": {wrongCode}})
	missing := c.post("/track", url.Values{"reference": {"C-2026-999999"}, "code": {wrongCode}})
	wantStatus(t, "wrong code", wrong, 400)
	wantStatus(t, "no such reference", missing, 400)
	wantErrors(t, "wrong code", wrong, map[string]string{"reference": "The reference and tracking code do not match our records"})
	if strings.ReplaceAll(wrong.Body, k.Reference, "REF") != strings.ReplaceAll(missing.Body, "C-2026-999999", "REF") {
		t.Errorf("a wrong code and a missing reference get different pages")
	}
	wantRedirect(t, "still no proof", c.get("/track/"+k.Reference), "/track?reference="+k.Reference)

	// The code as printed, in small letters, without its dash, spaced
	// out, with O for 0 and I or L for 1; the reference in any case.
	plain := strings.ReplaceAll(code, "-", "")
	looksAlike := strings.NewReplacer("0", "O", "1", "l").Replace(plain)
	for _, typed := range []string{code, strings.ToLower(code), plain, " " + plain[:3] + " " + plain[3:7] + " " + plain[7:] + " ", looksAlike} {
		c := e.client()
		r := c.post("/track", url.Values{"reference": {strings.ToLower(k.Reference)}, "code": {typed}})
		wantRedirect(t, "track with "+typed, r, "/track/"+k.Reference)
		cookie := trackCookieSet(r)
		for _, want := range []string{"Path=/track", "HttpOnly", "SameSite=Lax", "Max-Age=3600"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("tracking cookie %q lacks %s", cookie, want)
			}
		}
		if strings.Contains(cookie, plain) {
			t.Errorf("the tracking cookie holds the code: %q", cookie)
		}
		wantStatus(t, "the case", c.get("/track/"+k.Reference), 200)
	}

	c.track(k.Reference)
	r = c.get("/track/" + k.Reference)
	ack := workingDaysAfter(t, e.cal, calendar.DateOf(monday), 5)
	wantText(t, "the case", r, "Your complaint", "About Boiler keeps failing", "Status Received", "Stage Stage 1",
		"Acknowledged By "+pageDate(ack), "Our reply By "+pageDate(k.Stages[0].RespondBy), "Send us more information", "Withdraw your complaint")
	noText(t, "a complaint not yet answered", r, "Ask for stage 2")

	// The proof is for one case only, and lasts an hour.
	wantRedirect(t, "another case", c.get("/track/"+other.Reference), "/track?reference="+other.Reference)
	e.clock.advance(61 * time.Minute)
	wantRedirect(t, "an hour later", c.get("/track/"+k.Reference), "/track?reference="+k.Reference)

	// A forged cookie opens nothing.
	f := e.client()
	u, err := url.Parse(e.base + "/track/")
	if err != nil {
		t.Fatal(err)
	}
	exp := e.clock.Now().Add(time.Hour).Unix()
	f.jar.SetCookies(u, []*http.Cookie{{Name: "redress_track", Value: k.Reference + "|" + itoa(exp) + "|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Path: "/track"}})
	wantRedirect(t, "a forged proof", f.get("/track/"+k.Reference), "/track?reference="+k.Reference)
}

// TestTrackingCodeIsMadeOnceAndShownWhereTheResidentGetsIt sends the web
// form and finds the tracking code on the confirmation page, the same
// each time it is shown, and opening the case.
func TestTrackingCodeIsMadeOnceAndShownWhereTheResidentGetsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("check", goodAnswers())
	k := c.send()
	r := c.get("/complain/confirmation")
	code := e.trackingCode(k.Reference)
	wantText(t, "confirmation", r, "Your tracking code is "+code, "follow it online with your reference and tracking code, or with a link we email to the address you gave us")
	wantText(t, "confirmation again", c.get("/complain/confirmation"), "Your tracking code is "+code)
	c.track(k.Reference)
}

// TestTrackingLinkIsSingleUseAndExpires asks for a link as the resident
// does: it goes to the resident and to their representative with
// consent, says nothing of the case, and opens the case once, within 30
// minutes; the page is the same for a reference of no case and one with
// no address; and each reference has at most 3 links an hour.
func TestTrackingLinkIsSingleUseAndExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler keeps failing",
		Representative: &complaint.Representative{Name: "Sam Whitfield", Relationship: "Son", ConsentRecorded: true, Email: "sam@example.org"}})
	noConsent := e.newCase(complaint.Create{Complainant: complaint.Person{Name: "Ray Post", Postcode: "RV1 2AB"}, Summary: "Fence",
		Representative: &complaint.Representative{Name: "Lee Post", Relationship: "Brother", Email: "lee@example.org"}})
	c := e.client()

	r := c.get("/track/email?reference=" + k.Reference)
	wantStatus(t, "email a link page", r, 200)
	if !strings.Contains(r.Body, `value="`+k.Reference+`"`) {
		t.Errorf("the page does not carry the reference from the address")
	}
	wantErrors(t, "no reference", c.post("/track/email", nil), map[string]string{"reference": "Enter your reference"})

	sent := c.post("/track/email", url.Values{"reference": {strings.ToLower(k.Reference)}})
	wantRedirect(t, "ask for a link", sent, "/track/email/sent")
	for _, ref := range []string{"C-2026-999999", noConsent.Reference} {
		wantRedirect(t, "ask for a link for "+ref, c.post("/track/email", url.Values{"reference": {ref}}), "/track/email/sent")
	}
	r = c.get("/track/email/sent")
	wantText(t, "check your email", r, "If the reference is right and we have an email address for it, we have sent a link to that address. The link works once, for 30 minutes.")
	if links := e.sentLinks(noConsent.Reference); len(links) != 0 {
		t.Errorf("a link went to a representative without consent: %+v", links)
	}
	links := e.sentLinks(k.Reference)
	if len(links) != 2 || !strings.Contains(links[0].To, jo.Email) || !strings.Contains(links[1].To, "sam@example.org") {
		t.Fatalf("links %+v, want one to Jo and one to Sam", links)
	}
	for _, l := range links {
		if l.Subject != "Your link to follow "+k.Reference || !strings.Contains(l.Body, "within 30 minutes") || strings.Contains(l.Body, "Boiler") || !strings.HasPrefix(l.URL, e.base+"/track/link?token=") {
			t.Errorf("link email %q:\n%s", l.Subject, l.Body)
		}
	}

	// Opening the link shows a button and uses nothing up, so a mail
	// system checking links leaves it working.
	b := e.client()
	for range 2 {
		r := b.get(links[0].path())
		wantStatus(t, "the link", r, 200)
		wantText(t, "the link", r, "Open your case", "Open my case")
		if trackCookieSet(r) != "" {
			t.Errorf("opening the link set the tracking cookie")
		}
	}
	r = b.post("/track/link", url.Values{"token": {links[0].token()}})
	wantRedirect(t, "use the link", r, "/track/"+k.Reference)
	wantStatus(t, "the case by link", b.get("/track/"+k.Reference), 200)

	// Used once, it opens nothing more.
	again := e.client()
	r = again.post("/track/link", url.Values{"token": {links[0].token()}})
	wantStatus(t, "the link used again", r, http.StatusGone)
	wantText(t, "the link used again", r, "This link does not work", "Each link works once, for 30 minutes")
	wantRedirect(t, "the case after a used link", again.get("/track/"+k.Reference), "/track?reference="+k.Reference)
	wantStatus(t, "a made-up link", again.post("/track/link", url.Values{"token": {"made-up"}}), http.StatusNotFound)
	wantStatus(t, "no token", again.get("/track/link"), http.StatusNotFound)

	// The representative's link, 31 minutes on, has expired.
	e.clock.advance(31 * time.Minute)
	r = again.post("/track/link", url.Values{"token": {links[1].token()}})
	wantStatus(t, "an expired link", r, http.StatusGone)
	wantRedirect(t, "the case after an expired link", again.get("/track/"+k.Reference), "/track?reference="+k.Reference)

	// Three requests an hour for a reference, from anywhere (the first
	// request's is back by now); the page says the same after.
	for i := range 4 {
		a := e.client()
		a.header.Set(clientHeader, fmt.Sprintf("198.51.100.%d", i))
		wantRedirect(t, "ask again", a.post("/track/email", url.Values{"reference": {k.Reference}}), "/track/email/sent")
	}
	if got := len(e.sentLinks(k.Reference)); got != 2+3*2 {
		t.Errorf("%d links sent in all, want 8: the first request's 2 and three more requests' 2 each", got)
	}
}

// TestTrackingAttemptsAreLimitedPerReference guesses one reference's code
// from many addresses, one try each, and then all at once: after 5 wrong
// codes in the hour the reference is locked, even to the right code, with
// the same message as a reference of no case; other references are not.
func TestTrackingAttemptsAreLimitedPerReference(t *testing.T) {
	t.Parallel()
	slow := &gatheringStore{all: make(chan struct{})}
	e := newEnv(t, func(s *portal.Server) { slow.DB = s.Store.(*sqldb.DB); s.Store = slow })
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	other := e.newCase(complaint.Create{Complainant: jo, Summary: "Fence"})
	code := e.trackingCode(k.Reference)
	from := func(i int) *client {
		c := e.client()
		c.header.Set(clientHeader, fmt.Sprintf("203.0.113.%d", i))
		return c
	}
	guess := func(i int) string { return fmt.Sprintf("%05d-%05d", i, i) }

	// Right codes are not counted.
	for i := range 8 {
		from(100 + i).track(k.Reference)
	}
	for i := range 5 {
		wantStatus(t, "a wrong guess", from(i).post("/track", url.Values{"reference": {k.Reference}, "code": {guess(i)}}), 400)
	}
	lockedPage := from(50).post("/track", url.Values{"reference": {k.Reference}, "code": {code}})
	wantStatus(t, "the right code once locked", lockedPage, http.StatusTooManyRequests)
	wantErrors(t, "the right code once locked", lockedPage, map[string]string{"reference": "There have been too many tries with this reference. Try again in an hour, or get a link by email"})
	if lockedPage.Header.Get("Retry-After") == "" || trackCookieSet(lockedPage) != "" {
		t.Errorf("the locked page: Retry-After %q, cookie %q", lockedPage.Header.Get("Retry-After"), trackCookieSet(lockedPage))
	}
	from(51).track(other.Reference)

	// A reference of no case locks the same way, with the same page.
	for i := range 5 {
		from(60+i).post("/track", url.Values{"reference": {"C-2026-999999"}, "code": {guess(i)}})
	}
	noCase := from(70).post("/track", url.Values{"reference": {"C-2026-999999"}, "code": {code}})
	if strings.ReplaceAll(noCase.Body, "C-2026-999999", "REF") != strings.ReplaceAll(lockedPage.Body, k.Reference, "REF") || noCase.Status != lockedPage.Status {
		t.Errorf("a locked reference of no case gets a different page")
	}

	// A try comes back every 12 minutes.
	e.clock.advance(13 * time.Minute)
	from(80).track(k.Reference)

	// All at once, while the store is slow to judge: however many tries
	// arrive together, no more than 5 are judged.
	e.clock.advance(2 * time.Hour)
	slow.gather(6)
	var mu sync.Mutex
	judged := 0
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			r := from(150+i).post("/track", url.Values{"reference": {k.Reference}, "code": {guess(i)}})
			mu.Lock()
			defer mu.Unlock()
			if r.Status == http.StatusBadRequest {
				judged++
			} else if r.Status != http.StatusTooManyRequests {
				t.Errorf("a guess at once: HTTP %d", r.Status)
			}
		})
	}
	wg.Wait()
	if judged != 5 {
		t.Errorf("%d of 30 guesses made at once were judged, want 5", judged)
	}
}

// gatheringStore is the real store, slow to judge tracking codes once
// gather is called: each check waits until n checks are waiting, or a
// second has passed, as on a busy disk. Tries made at once are then
// judged at once, and a limit that counted tries only after judging them
// would let them all through.
type gatheringStore struct {
	*sqldb.DB
	mu      sync.Mutex
	n       int
	waiting int
	all     chan struct{}
}

func (g *gatheringStore) gather(n int) {
	g.mu.Lock()
	g.n = n
	g.mu.Unlock()
}

func (g *gatheringStore) CheckTrackingCode(ctx context.Context, ref, typed string) (bool, error) {
	g.mu.Lock()
	on := g.n > 0
	if on {
		g.waiting++
		if g.waiting == g.n {
			close(g.all)
		}
	}
	g.mu.Unlock()
	if on {
		select {
		case <-g.all:
		case <-time.After(time.Second):
		}
	}
	return g.DB.CheckTrackingCode(ctx, ref, typed)
}

// TestWithdrawalNeedsConfirmationAndIsNotified withdraws a case as its
// resident: the reason first, then a page saying what withdrawing means
// that must be confirmed; then the resident is emailed and the officer
// handling the case gets a notice, both from the notice relay over the
// event.
func TestWithdrawalNeedsConfirmationAndIsNotified(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.db.CreateUser(ctx, store.User{Email: officer.Email, Name: "Olivia Officer", Role: "officer"}); err != nil {
		t.Fatal(err)
	}
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	e.staff(k.Reference, complaint.Assign{Handler: officer.Email, HandlerRole: "officer"})
	c := e.client()
	c.track(k.Reference)
	path := "/track/" + k.Reference + "/withdraw"
	wantStatus(t, "withdraw page", c.get(path), 200)

	r := c.post(path, url.Values{"reason": {" "}})
	wantStatus(t, "no reason", r, 400)
	wantErrors(t, "no reason", r, map[string]string{"reason": "Tell us why you want to withdraw"})

	r = c.post(path, url.Values{"reason": {"It was fixed"}})
	wantStatus(t, "the reason", r, 200)
	wantText(t, "confirm page", r, "Are you sure you want to withdraw your complaint?",
		"we stop dealing with it, and will not send you a reply to it", "You can complain again", "Your reason It was fixed",
		"Yes, withdraw my complaint", "No, keep my complaint")
	if !strings.Contains(r.Body, `action="/track/`+k.Reference+`/withdraw/confirm"`) || !strings.Contains(r.Body, `name="reason" value="It was fixed"`) {
		t.Errorf("the confirm page does not carry the reason to the confirm button")
	}
	if got := e.getCase(k.Reference); got.Status != complaint.StatusReceived || got.Version != 2 {
		t.Fatalf("giving the reason changed the case: %s, version %d", got.Status, got.Version)
	}
	wantErrors(t, "confirmed with no reason", c.post(path+"/confirm", nil), map[string]string{"reason": "Tell us why you want to withdraw"})

	wantRedirect(t, "confirm", c.post(path+"/confirm", url.Values{"reason": {"It was fixed"}}), "/track/"+k.Reference+"?done=withdrawn")
	got := e.getCase(k.Reference)
	if got.Status != complaint.StatusWithdrawn || got.EndReason != "It was fixed" {
		t.Errorf("after withdrawing: %s, %q", got.Status, got.EndReason)
	}
	r = c.get("/track/" + k.Reference + "?done=withdrawn")
	wantText(t, "withdrawn", r, "Your case has been withdrawn. We will email you to confirm it", "Status Withdrawn")
	noText(t, "withdrawn", r, "Withdraw your complaint")
	wantStatus(t, "withdraw again", c.get(path), 409)
	wantStatus(t, "withdraw again", c.post(path+"/confirm", url.Values{"reason": {"again"}}), 409)

	// The notices, as the relay derives them from the withdrawal.
	relay := &notify.Relay{Store: e.db, Now: e.clock.Now, Calendar: e.cal, BaseURL: e.base, ServiceName: "Riverside Vale Homes", Hold: -1}
	if _, err := relay.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := e.db.Outbox(ctx, k.Reference)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]store.OutboundMessage{}
	for _, m := range out {
		byKind[m.Kind] = m
	}
	if m := byKind["notice_withdrawn"]; !strings.Contains(m.To, jo.Email) || !strings.Contains(m.Subject, "withdrawn") {
		t.Errorf("the resident's notice: %+v (outbox %d messages)", m, len(out))
	}
	if m := byKind["notice_withdrawn_handler"]; !strings.Contains(m.To, officer.Email) || !strings.Contains(m.TextBody, "which you handle, was withdrawn") || strings.Contains(m.TextBody, "It was fixed") {
		t.Errorf("the handler's notice: %+v", m)
	}
}

// newServer serves h over real HTTP for the test and returns its address.
func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// countingHandler counts the bytes its handler reads of request bodies.
type countingHandler struct {
	h  http.Handler
	mu sync.Mutex
	n  int64
}

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = &countingBody{r.Body, c}
	c.h.ServeHTTP(w, r)
}

func (c *countingHandler) read() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

type countingBody struct {
	body interface {
		Read([]byte) (int, error)
		Close() error
	}
	c *countingHandler
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.c.mu.Lock()
	b.c.n += int64(n)
	b.c.mu.Unlock()
	return n, err
}

func (b *countingBody) Close() error { return b.body.Close() }

// TestUploadIsRefusedBeforeItIsRead sends 25 MB of files to a case's
// "send us more information" form with no tracking proof, and with the
// proof but over the limit on sends, and to the web form's files page
// with no form in progress: each is turned away before a byte of the
// body is read.
func TestUploadIsRefusedBeforeItIsRead(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *portal.Server) { s.SubmitLimit = 1 })
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	ch := &countingHandler{h: e.srv.Handler()}
	ts := newServer(t, ch)
	big := upload{"boiler.png", append(append([]byte{}, pngFile...), make([]byte, 25<<20-len(pngFile)-4096)...)}

	stranger := e.client()
	stranger.e = &env{t: t, db: e.db, base: ts, clock: e.clock}
	r := stranger.postFiles("/track/"+k.Reference+"/add-information", url.Values{"text": {"Let me in"}}, big)
	wantRedirect(t, "an upload with no proof", r, "/track?reference="+k.Reference)
	if n := ch.read(); n != 0 {
		t.Errorf("%d bytes of an upload with no proof were read", n)
	}
	r = stranger.postFiles("/complain/files", url.Values{"action": {"continue"}}, big)
	wantText(t, "an upload with no form in progress", r, "You need to start again")
	if n := ch.read(); n != 0 {
		t.Errorf("%d bytes of an upload with no form in progress were read", n)
	}

	resident := e.client()
	resident.e = stranger.e
	resident.track(k.Reference)
	wantRedirect(t, "the first send", resident.postFiles("/track/"+k.Reference+"/add-information", url.Values{"text": {"It failed again"}}), "/track/"+k.Reference+"?done=information")
	before := ch.read()
	r = resident.postFiles("/track/"+k.Reference+"/add-information", url.Values{"text": {"And again"}}, big)
	wantStatus(t, "a send over the limit", r, http.StatusTooManyRequests)
	if n := ch.read() - before; n != 0 {
		t.Errorf("%d bytes of an upload over the limit were read", n)
	}
}
