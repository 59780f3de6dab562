package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	netmail "net/mail"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/mail/mailtest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// instancesAuditKey is the audit key every instance on the shared
// PostgreSQL database is given: PostgreSQL has no key file beside it.
const instancesAuditKey = "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c"

// instance is a redress serve process on the shared database, with what
// the test reads from its log.
type instance struct {
	*server
	name string
	// mailSent receives (without blocking) on each "mail sent" log line:
	// the instance's dispatcher is in a batch.
	mailSent chan struct{}

	mu   sync.Mutex
	logs []string // its warnings and errors, for a failing test to show
}

// warnings returns the instance's logged warnings and errors so far.
func (in *instance) warnings() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.logs)
}

// startInstance is startServer with settings in the environment: it
// starts redress serve on db with env added, waits until it serves, and
// kills it when the test ends.
func startInstance(t testing.TB, name, db string, env ...string) *instance {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1", "REDRESS_BOOTSTRAP_TOKEN="+bootstrap)
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := &instance{server: &server{cmd: cmd, exited: make(chan struct{})}, name: name, mailSent: make(chan struct{}, 1)}
	addr := make(chan string, 1)
	go func() {
		serving := regexp.MustCompile(`msg=serving addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if m := serving.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
			if strings.Contains(line, `msg="mail sent"`) {
				select {
				case in.mailSent <- struct{}{}:
				default:
				}
			}
			if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
				in.mu.Lock()
				if len(in.logs) < 200 {
					in.logs = append(in.logs, line)
				}
				in.mu.Unlock()
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() { in.err = cmd.Wait(); close(in.exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		in.wait()
		if t.Failed() {
			for _, l := range in.warnings() {
				t.Logf("instance %s: %s", name, l)
			}
		}
	})
	select {
	case a := <-addr:
		in.url = "http://" + a
	case <-in.exited:
		t.Fatalf("instance %s exited before serving: %v", name, in.err)
	case <-time.After(bound):
		t.Fatalf("instance %s did not start serving within %s", name, bound)
	}
	return in
}

// apiDo sends an API request as the bootstrap admin and returns the
// status and the raw body.
func apiDo(client *http.Client, method, url string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+bootstrap)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// The steps a case goes through in the burst, after its create.
const (
	stepAcknowledge = iota
	stepNote
	stepSafetyFlag
	stepLetter
	stepsDone
)

// burstCase is a case the burst created, waiting for its next step.
type burstCase struct {
	ref, summary string
	step         int
	// unanswered says the last try at step got no answer, so it may
	// have been done.
	unanswered bool
}

// acked is a request an instance answered with a 2xx.
type acked struct {
	op       string // create, acknowledge, note, safety-flag or letter
	ref      string
	summary  string // a create's
	note     string // a note's text
	instance string
	phase    int32
	latency  time.Duration
}

// The phases of the burst.
const (
	phaseBoth      = iota // both instances, at full speed
	phaseWaiting          // slowed down, waiting for A to send mail
	phaseBAlone           // A killed
	phaseRestarted        // A back
)

var phaseNames = []string{"both instances", "waiting for A to send", "B alone", "A restarted, both"}

// milestones closes a channel when the count of acknowledged requests
// reaches its number.
type milestones map[int]chan struct{}

func (m milestones) reached(n int) {
	if c, ok := m[n]; ok {
		close(c)
	}
}

// Two redress serve processes share one PostgreSQL database while 16
// clients drive creates and commands through both; one is SIGKILLed
// mid-burst, while its mail server holds a message of its in DATA, and
// restarted. Every acknowledged change survives, references stay unique
// and gapless, every email queued is sent and reaches a mail server, and
// only the mail the killed instance held may arrive twice, under its one
// Message-ID; the audit chain verifies.
//
// Notices about steps are held back 15 minutes (notify.DefaultHold)
// before they are queued, so the mail here is what is queued at once:
// the acknowledgement letter issued by email (queued in the letter's own
// transaction) and the health-and-safety alert (queued by whichever
// instance's relay finds the flag first, within 15 seconds, and which
// wakes that instance's dispatcher).
func TestTwoInstancesOnOnePostgresDatabaseSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and server processes; skipped with -short")
	}
	dsn := testdb.PostgresDSN(t) // skips, saying why, without PostgreSQL
	began := clock.Wall()

	// Each instance has a mail server of its own, so that the test knows
	// when A is sending. Once armed, A's server holds the first message
	// it is given in DATA until A has been killed, and then keeps it: the
	// message arrived, but A never heard so, which is the case that
	// at-least-once delivery sends twice.
	var (
		armed  atomic.Bool
		inData = make(chan struct{})
		aDead  = make(chan struct{})
	)
	smtpA := mailtest.Start(t, mailtest.Options{Deliver: func(mailtest.Message) error {
		if armed.CompareAndSwap(true, false) {
			close(inData)
			select {
			case <-aDead:
			case <-time.After(bound):
			}
		}
		return nil
	}})
	smtpB := mailtest.Start(t, mailtest.Options{})
	env := func(smtpd *mailtest.Server) []string {
		return []string{
			"REDRESS_AUDIT_KEY=" + instancesAuditKey,
			"REDRESS_SMTP_HOST=127.0.0.1",
			"REDRESS_SMTP_PORT=" + strconv.Itoa(smtpd.Port()),
			"REDRESS_SMTP_SECURITY=none",
			"REDRESS_MAIL_FROM=Complaints <complaints@landlord.example>",
			"REDRESS_SAFETY_CONTACTS=head.repairs@landlord.example",
			"REDRESS_BASE_URL=http://127.0.0.1",
			"REDRESS_NO_NOTICES=false",
		}
	}
	// A first, so that it alone makes the bootstrap admin.
	a := startInstance(t, "A", dsn, env(smtpA)...)
	b := startInstance(t, "B", dsn, env(smtpB)...)
	t.Logf("PostgreSQL, mail servers and two instances ready in %s", clock.Wall().Sub(began).Round(time.Millisecond))

	raw, err := sqldb.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })

	const (
		workers = 16
		total   = 900 // requests sent in all, answered or not, at the least
		// afterRevive is how many more are sent once A is back, however
		// many were sent while it was down: on a slow machine the burst
		// could otherwise end before A's restart, leaving it untested.
		afterRevive = 150
	)
	var (
		third = make(chan struct{}) // a third of the burst acknowledged: the kill may come
		late  = make(chan struct{}) // three quarters: the kill comes now, sending or not
		marks = milestones{total / 3: third, total * 3 / 4: late}
	)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	t.Cleanup(client.CloseIdleConnections)

	var (
		mu         sync.Mutex
		acks       []acked
		failed     int      // requests with no answer: the killed instance's
		unexpected []string // answers neither 2xx nor an expected refusal
		aURL       = a.url  // "" while A is down
	)
	var sent, sentAtRevive atomic.Int64 // sentAtRevive: 0 until A is back
	var phase atomic.Int32
	ready := make(chan *burstCase, 3*total)
	record := func(x acked) {
		mu.Lock()
		defer mu.Unlock()
		acks = append(acks, x)
		marks.reached(len(acks))
	}
	// target picks the instance for the n'th request: A and B in turn,
	// but B alone while A is down.
	target := func(n int64) (string, string) {
		mu.Lock()
		defer mu.Unlock()
		if n%2 == 0 && aURL != "" {
			return "A", aURL
		}
		return "B", b.url
	}
	step := func(n int64) {
		name, base := target(n)
		var c *burstCase
		select {
		case c = <-ready:
		default:
		}
		var (
			op   string
			body map[string]any
			x    = acked{instance: name}
		)
		switch {
		case c == nil:
			op = "create"
			c = &burstCase{summary: fmt.Sprintf("burst request %d: the boiler keeps failing", n)}
			body = map[string]any{"kind": "complaint", "channel": "web", "summary": c.summary,
				"complainant": map[string]any{"name": "Burst Resident", "email": fmt.Sprintf("resident-%d@example.org", n)}}
		case c.step == stepAcknowledge:
			op = "acknowledge"
			body = map[string]any{"points": []string{"The boiler keeps failing"}, "outcomes_sought": []string{"A boiler that works"}}
		case c.step == stepNote:
			op = "notes"
			x.note = fmt.Sprintf("burst note %d on %s", n, c.ref)
			body = map[string]any{"text": x.note}
		case c.step == stepSafetyFlag:
			op = "safety-flag"
			body = map[string]any{"flagged": true, "reason": "Exposed wiring by the boiler"}
		default:
			op = "letters"
			body = map[string]any{"kind": "acknowledgement", "channel": "email"}
		}
		path := "/api/v1/cases"
		if op != "create" {
			path += "/" + c.ref + "/" + op
		}
		x.op, x.ref, x.phase = op, c.ref, phase.Load()
		start := clock.Wall()
		status, resp, err := apiDo(client, "POST", base+path, body)
		x.latency = clock.Wall().Sub(start)
		switch {
		case err != nil:
			// No answer: the instance was killed. The step may or may not
			// have been done; a create is forgotten, another step tried
			// again (where a repeat is refused as a conflict, below).
			mu.Lock()
			failed++
			mu.Unlock()
			if op != "create" {
				c.unanswered = true
				ready <- c
			}
			return
		case status/100 == 2:
			if op == "create" {
				var created struct{ Reference string }
				if err := json.Unmarshal(resp, &created); err != nil || created.Reference == "" {
					mu.Lock()
					unexpected = append(unexpected, fmt.Sprintf("create on %s: %d without a reference: %.300s", name, status, resp))
					mu.Unlock()
					return
				}
				c.ref, x.ref, x.summary = created.Reference, created.Reference, c.summary
			} else {
				c.step++
			}
			record(x)
		case status == http.StatusConflict && c.unanswered && op != "create" && op != "notes":
			// The last try was done by an instance killed before it
			// answered: the step is done, though never acknowledged.
			c.step++
		default:
			mu.Lock()
			unexpected = append(unexpected, fmt.Sprintf("%s %s on %s: %d %.300s", op, c.ref, name, status, resp))
			mu.Unlock()
			if op == "create" {
				return
			}
		}
		c.unanswered = false
		if c.step < stepsDone {
			ready <- c
		}
	}

	var wg sync.WaitGroup
	burstStart := clock.Wall()
	for range workers {
		wg.Go(func() {
			for {
				// The burst goes on past total until afterRevive requests
				// have followed A's restart, up to three times total.
				n := sent.Add(1)
				if n > total {
					if r := sentAtRevive.Load(); n > 3*total || (r > 0 && n > r+afterRevive) {
						return
					}
				}
				if phase.Load() == phaseWaiting {
					// About 16 requests a second, whatever the machine's
					// speed, so that the burst outlasts the wait.
					time.Sleep(time.Second)
				}
				step(n)
			}
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()

	// Kill A once a third of the burst is acknowledged, at the moment its
	// mail server holds one of its messages in DATA; should A send no
	// mail by the time three quarters are acknowledged, kill it then
	// anyway. A sends when its dispatcher ticks (every 30 seconds) or is
	// woken by its relay queuing alerts (looked for every 15 seconds), so
	// some seconds after the third: 15 seconds after A started, its relay
	// finds the flags set since, before B's does.
	select {
	case <-third:
	case <-finished:
		t.Fatal("the burst finished before a third of it was acknowledged")
	case <-time.After(bound):
		t.Fatalf("a third of the burst not acknowledged within %s", bound)
	}
	armed.Store(true)
	phase.Store(phaseWaiting)
	waitStart := clock.Wall()
	t.Logf("a third of the burst (%d requests) acknowledged in %s: %.0f acknowledged/s by both instances at full speed",
		total/3, waitStart.Sub(burstStart).Round(time.Millisecond), float64(total/3)/waitStart.Sub(burstStart).Seconds())
	midSend := false
	select {
	case <-inData:
		midSend = true
	case <-late:
	case <-time.After(20 * time.Second):
	case <-finished:
		t.Fatal("the burst finished before the kill")
	case <-time.After(bound):
		t.Fatalf("three quarters of the burst not acknowledged within %s", bound)
	}
	// Back to full speed for a moment, A's message still held, so that
	// requests are in flight to A when it dies.
	phase.Store(phaseBoth)
	time.Sleep(1500 * time.Millisecond)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	a.wait()
	killed := clock.Wall()
	if !armed.CompareAndSwap(true, false) {
		midSend = true // A reached DATA as the kill was given
	}
	close(aDead)
	phase.Store(phaseBAlone)
	mu.Lock()
	aURL = ""
	ackedAtKill := len(acks)
	mu.Unlock()
	t.Logf("SIGKILLed A after %d acknowledged requests, %s into the burst (%s after a third), with a message of its in DATA: %v",
		ackedAtKill, clock.Wall().Sub(burstStart).Round(time.Millisecond), killed.Sub(waitStart).Round(time.Millisecond), midSend)

	// The mail A had claimed stays claimed until its lease (10 minutes)
	// runs out, when another dispatcher takes it up. The test does not
	// wait 10 minutes: it ends the lease of the messages claimed before
	// the kill and still claimed seconds after it, which only A can hold,
	// B finishing its own in milliseconds each.
	time.Sleep(3 * time.Second)
	claimedBefore := store.FormatTime(killed.Add(mail.DefaultLease))
	orphans := map[int64]bool{}
	rows, err := raw.Query(`SELECT id FROM outbox WHERE status = 'sending' AND next_attempt <= ?`, claimedBefore)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		orphans[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE outbox SET next_attempt = ? WHERE status = 'sending' AND next_attempt <= ?`,
		store.FormatTime(clock.Wall()), claimedBefore); err != nil {
		t.Fatal(err)
	}
	t.Logf("A held %d messages when killed; their lease is ended by hand", len(orphans))
	if len(orphans) > mail.DefaultBatch {
		t.Errorf("A held %d messages when killed, more than one batch (%d)", len(orphans), mail.DefaultBatch)
	}
	if midSend && len(orphans) == 0 {
		t.Error("A was killed while sending, yet held no message")
	}

	// A comes back on the same database; its dispatcher starts by
	// sending what is due, the orphans included.
	a2 := startInstance(t, "A2", dsn, env(smtpA)...)
	mu.Lock()
	aURL = a2.url
	phase.Store(phaseRestarted)
	sentAtRevive.Store(sent.Load())
	ackedAtRevive := len(acks)
	mu.Unlock()
	t.Logf("restarted A after %d acknowledged requests, %s into the burst", ackedAtRevive, clock.Wall().Sub(burstStart).Round(time.Millisecond))

	select {
	case <-finished:
	case <-time.After(bound):
		t.Fatalf("the burst did not finish within %s", bound)
	}
	burst := clock.Wall().Sub(burstStart)
	for _, u := range unexpected {
		t.Errorf("unexpected answer: %s", u)
	}
	logThroughput(t, acks, int(sent.Load())-workers, failed, burst) // each worker counted one more to stop
	ops := map[string]int{}
	for _, x := range acks {
		ops[x.op]++
	}
	if ops["create"] < 50 || ops["letters"] < 20 || ops["safety-flag"] < 20 {
		t.Fatalf("only %d creates, %d letters and %d flags acknowledged: the test proves little", ops["create"], ops["letters"], ops["safety-flag"])
	}
	if ackedAtRevive-ackedAtKill < 20 || len(acks)-ackedAtRevive < 50 {
		t.Errorf("%d requests acknowledged while A was down and %d after it came back: too few to show either", ackedAtRevive-ackedAtKill, len(acks)-ackedAtRevive)
	}

	// The outbox drains, and every flag is alerted. The last letters wait
	// for a dispatcher's tick (30 seconds) or wake (an alert queued).
	drainStart := clock.Wall()
	for {
		var waiting, unalerted int
		if err := raw.QueryRow(`SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow(`SELECT count(*) FROM safety_flags WHERE alerted_at IS NULL`).Scan(&unalerted); err != nil {
			t.Fatal(err)
		}
		if waiting == 0 && unalerted == 0 {
			break
		}
		if clock.Wall().Sub(drainStart) > 75*time.Second {
			t.Fatalf("%d messages still queued or sending, and %d flags not alerted, %s after the burst",
				waiting, unalerted, clock.Wall().Sub(drainStart).Round(time.Second))
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("outbox drained %s after the burst", clock.Wall().Sub(drainStart).Round(time.Millisecond))

	checkBurstCases(t, client, a2.url, b.url, acks, raw)
	// Both stop cleanly.
	for _, in := range []*instance{b, a2} {
		if err := in.stop(t); err != nil {
			t.Errorf("instance %s: graceful shutdown: %v", in.name, err)
		}
	}
	dups := checkBurstMail(t, raw, append(smtpA.Received(), smtpB.Received()...), orphans, ops["safety-flag"])
	if midSend && dups == 0 {
		t.Error("the message A's mail server held in DATA at the kill was not sent again")
	}

	// The audit chain that both instances wrote, and the killed one broke
	// off, verifies with their one key.
	cmd := exec.Command(os.Args[0], "audit", "verify", "--db", dsn)
	cmd.Env = append(os.Environ(), "REDRESS_TEST_RUN_MAIN=1", "REDRESS_AUDIT_KEY="+instancesAuditKey)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("audit verify: %v\n%s", err, out)
	} else {
		t.Logf("audit verify: %s", strings.TrimSpace(string(out)))
	}
	t.Logf("whole test: %s", clock.Wall().Sub(began).Round(time.Millisecond))
}

// logThroughput logs the burst's rate and latencies, overall, by
// phase and by request, for the record: nothing is asserted of speed.
// The first phase, both instances at full speed, is the one that says
// what two instances on one database can do.
func logThroughput(t *testing.T, acks []acked, total, failed int, burst time.Duration) {
	t.Helper()
	pct := func(lat []time.Duration, p float64) time.Duration {
		return lat[int(p*float64(len(lat)-1))].Round(100 * time.Microsecond)
	}
	if len(acks) == 0 {
		return
	}
	var all []time.Duration
	byOp := map[string][]time.Duration{}
	byPhase := map[int32][]time.Duration{}
	byInstance := map[string]int{}
	for _, x := range acks {
		all = append(all, x.latency)
		byOp[x.op] = append(byOp[x.op], x.latency)
		byPhase[x.phase] = append(byPhase[x.phase], x.latency)
		byInstance[x.instance]++
	}
	slices.Sort(all)
	t.Logf("burst: %d requests, %d acknowledged (by instance %v), %d unanswered, in %s: %.0f acknowledged/s; latency p50 %s, p99 %s, max %s",
		total, len(acks), byInstance, failed, burst.Round(time.Millisecond), float64(len(acks))/burst.Seconds(),
		pct(all, 0.5), pct(all, 0.99), all[len(all)-1].Round(time.Millisecond))
	for p, name := range phaseNames {
		lat := byPhase[int32(p)]
		if len(lat) == 0 {
			continue
		}
		slices.Sort(lat)
		t.Logf("  phase %-22s %4d acknowledged, p50 %s, p99 %s", name+":", len(lat), pct(lat, 0.5), pct(lat, 0.99))
	}
	for _, op := range slices.Sorted(maps.Keys(byOp)) {
		lat := byOp[op]
		slices.Sort(lat)
		t.Logf("  request %-12s %4d acknowledged, p50 %s, p99 %s", op+":", len(lat), pct(lat, 0.5), pct(lat, 0.99))
	}
}

// checkBurstCases checks that every acknowledged create and command is
// in the database, read back through the API of both instances in turn,
// and that case references are unique and gapless.
func checkBurstCases(t *testing.T, client *http.Client, urlA, urlB string, acks []acked, raw *sql.DB) {
	t.Helper()
	reads := 0
	reader := func() string {
		reads++
		if reads%2 == 0 {
			return urlA
		}
		return urlB
	}

	type want struct {
		summary  string
		acked    bool // acknowledge acknowledged
		flagged  bool // safety-flag acknowledged
		lettered bool // letter acknowledged
		notes    []string
	}
	cases := map[string]*want{}
	for _, x := range acks {
		if cases[x.ref] == nil {
			cases[x.ref] = &want{}
		}
		switch x.op {
		case "create":
			cases[x.ref].summary = x.summary
		case "acknowledge":
			cases[x.ref].acked = true
		case "safety-flag":
			cases[x.ref].flagged = true
		case "letters":
			cases[x.ref].lettered = true
		case "notes":
			cases[x.ref].notes = append(cases[x.ref].notes, x.note)
		}
	}
	for ref, w := range cases {
		if w.summary != "" {
			status, body, err := apiDo(client, "GET", reader()+"/api/v1/cases/"+ref, nil)
			var c struct{ Reference, Summary string }
			json.Unmarshal(body, &c)
			if err != nil || status != http.StatusOK || c.Summary != w.summary {
				t.Errorf("acknowledged create %s (%q): %d %v, summary %q", ref, w.summary, status, err, c.Summary)
			}
		}
		status, body, err := apiDo(client, "GET", reader()+"/api/v1/cases/"+ref+"/events", nil)
		if err != nil || status != http.StatusOK {
			t.Errorf("events of %s: %d %v", ref, status, err)
			continue
		}
		var evs struct {
			Events []struct {
				Kind string
				Data map[string]any
			}
		}
		if err := json.Unmarshal(body, &evs); err != nil {
			t.Errorf("events of %s: %v", ref, err)
			continue
		}
		kinds := map[string]int{}
		notes := map[string]int{}
		for _, e := range evs.Events {
			kinds[e.Kind]++
			if e.Kind == "note_added" {
				if s, ok := e.Data["text"].(string); ok {
					notes[s]++
				}
			}
		}
		for _, ev := range []struct {
			done bool
			kind string
		}{{w.acked, "acknowledged"}, {w.flagged, "safety_flag_set"}, {w.lettered, "letter_issued"}} {
			if ev.done && kinds[ev.kind] != 1 {
				t.Errorf("%s: %s acknowledged, but %d such events", ref, ev.kind, kinds[ev.kind])
			}
		}
		for _, n := range w.notes {
			if notes[n] != 1 {
				t.Errorf("%s: note %q acknowledged, found %d times", ref, n, notes[n])
			}
		}
	}

	// References: unique, and for each year 1..N without a hole. A
	// create in flight at the kill may have made a case nobody was told
	// of; that is a case, not a gap.
	rows, err := raw.Query(`SELECT reference FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	byYear := map[int][]int{}
	seen := map[string]bool{}
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			t.Fatal(err)
		}
		if seen[ref] {
			t.Errorf("reference %s is on two cases", ref)
		}
		seen[ref] = true
		var year, n int
		if _, err := fmt.Sscanf(ref, "C-%04d-%06d", &year, &n); err != nil {
			t.Errorf("reference %q is not C-YYYY-NNNNNN", ref)
			continue
		}
		byYear[year] = append(byYear[year], n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	unacked := 0
	for year, ns := range byYear {
		slices.Sort(ns)
		for i, n := range ns {
			if n != i+1 {
				t.Errorf("references of %d: number %d is followed by %d (of %d): a gap or a repeat", year, ns[max(i-1, 0)], n, len(ns))
				break
			}
		}
	}
	for ref := range seen {
		if cases[ref] == nil || cases[ref].summary == "" {
			unacked++
		}
	}
	t.Logf("cases: %d in the database, %d creates acknowledged, %d made by unanswered creates; references unique and gapless", len(seen), len(seen)-unacked, unacked)
	for ref, w := range cases {
		if w.summary != "" && !seen[ref] {
			t.Errorf("acknowledged create %s is not in the cases table", ref)
		}
	}
}

// checkBurstMail checks the outbox and the mail server against each
// other: every message sent, once, except that those the killed
// instance held (orphans) may have arrived twice under one Message-ID.
//
// It returns how many messages arrived more than once.
func checkBurstMail(t *testing.T, raw *sql.DB, msgs []mailtest.Message, orphans map[int64]bool, flags int) int {
	t.Helper()
	type row struct {
		id                                     int64
		kind, dedupe, recipient, status, msgID string
		attempts                               int
	}
	rows, err := raw.Query(`SELECT id, kind, coalesce(dedupe_key, ''), recipient, status, message_id, attempts FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var out []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.kind, &r.dedupe, &r.recipient, &r.status, &r.msgID, &r.attempts); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var keyed, keys int
	if err := raw.QueryRow(`SELECT count(dedupe_key), count(DISTINCT dedupe_key) FROM outbox`).Scan(&keyed, &keys); err != nil {
		t.Fatal(err)
	}
	if keyed != keys {
		t.Errorf("%d outbox rows have a dedupe key but only %d keys are distinct: a notice queued twice", keyed, keys)
	}

	received := map[string][]mailtest.Message{}
	for _, m := range msgs {
		parsed, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Errorf("a message the mail server received does not parse: %v", err)
			continue
		}
		id := parsed.Header.Get("Message-Id")
		received[id] = append(received[id], m)
	}
	byMsgID := map[string]row{}
	kinds := map[string]int{}
	retried := 0
	for _, r := range out {
		kinds[r.kind]++
		if r.attempts > 1 {
			retried++
		}
		if r.status != store.OutboxSent {
			t.Errorf("outbox message %d (%s) is %s, not sent", r.id, r.kind, r.status)
			continue
		}
		byMsgID[r.msgID] = r
		got := received[r.msgID]
		if len(got) == 0 {
			t.Errorf("outbox message %d (%s, %s) is sent as %s but never reached the mail server", r.id, r.kind, r.dedupe, r.msgID)
			continue
		}
		to, err := netmail.ParseAddress(r.recipient)
		if err != nil {
			t.Errorf("outbox message %d: recipient %q: %v", r.id, r.recipient, err)
			continue
		}
		for _, m := range got {
			if !slices.Contains(m.To, to.Address) {
				t.Errorf("outbox message %d for %s reached the mail server for %v", r.id, to.Address, m.To)
			}
		}
	}
	duplicated, beyond := 0, 0
	for id, ms := range received {
		r, ok := byMsgID[id]
		if !ok {
			t.Errorf("the mail server received %d messages with Message-ID %q, which no sent outbox row has", len(ms), id)
			continue
		}
		if len(ms) > 1 {
			duplicated++
			if !orphans[r.id] {
				beyond++
				t.Errorf("outbox message %d (%s) reached the mail server %d times, though the killed instance did not hold it", r.id, r.kind, len(ms))
			}
		}
	}
	t.Logf("mail: %d outbox rows (%v), all sent; %d received by the mail server under %d Message-IDs; %d claimed more than once; %d delivered twice (the killed instance held %d)",
		len(out), kinds, len(msgs), len(received), retried, duplicated, len(orphans))
	if duplicated > len(orphans) || duplicated > mail.DefaultBatch {
		t.Errorf("%d messages delivered twice, more than the %d the killed instance held (its batch is %d)", duplicated, len(orphans), mail.DefaultBatch)
	}
	alerts := 0
	for _, r := range out {
		if strings.HasPrefix(r.dedupe, "safety:") {
			alerts++
		}
	}
	if alerts < flags {
		t.Errorf("%d health-and-safety alerts queued for %d acknowledged flags", alerts, flags)
	}
	return duplicated
}
