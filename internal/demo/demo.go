// Package demo loads a fictional landlord, Riverside Vale Homes, into an
// empty database, for `redress serve --demo`: six staff who can sign in,
// and cases at every stage and status a landlord meets.
//
// The landlord is data (landlord.yaml), and one builder gives it to the
// same case work the staff pages and the API use: each case is logged
// with casework's Create, each step is a command given with its Apply,
// and each response goes out as a letter through its letter workflow.
// So the audit chain, the deadlines and the rules of the demo are the
// real ones, and a demo that breaks a rule fails to load rather than
// showing something Redress would never record.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

// landlordYAML is the demo landlord; its opening comment says how it is
// written.
//
//go:embed landlord.yaml
var landlordYAML []byte

// Store is what loading the demo needs of storage: casework.Store,
// since every case goes through casework's Service on this same store;
// staffStore, for the staff it adds; a count of users, to load only into
// an empty database; the letterhead it sets; and the lists of service
// areas and categories it makes from its cases. It embeds
// casework.Store rather than repeating it, so the two stay in step when
// case work needs more. store.Store (the SQLite and PostgreSQL stores)
// satisfies it.
type Store interface {
	casework.Store
	staffStore
	CountUsers(ctx context.Context) (int, error)
	UserByEmail(ctx context.Context, email string) (store.User, error)
	figuresStore
	SetLetterhead(ctx context.Context, lh store.Letterhead) error
	SeedPicklists(ctx context.Context, actor string, at time.Time) (int, error)
}

// staffStore is what addStaff needs to make a signed-in user: the user,
// an API token and a password. It is apart from Store so that addStaff
// can be read knowing it touches no case.
type staffStore interface {
	CreateUser(ctx context.Context, u store.User) (store.User, error)
	AddToken(ctx context.Context, userID int64, hash []byte, label string) error
	SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error
}

// Config is what the demo is loaded into and with.
type Config struct {
	Store    Store
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	Log      *slog.Logger // defaults to discarding
	// Now is the real time: the demo's cases are backdated from it, so
	// they read the same whatever the day.
	Now func() time.Time
	// HashPassword hashes the staff's passwords; nil is
	// auth.HashPassword. A test loading the demo on many dates can pass a
	// cheaper one rather than pay for argon2id's 64 MiB each time.
	HashPassword func(string) (string, error)
	// Out receives the staff's passwords and API tokens, which are shown
	// only once; nil discards them. Never the log: they are secrets.
	Out io.Writer
	// Addr is the address Redress listens on, for the links printed
	// with the passwords.
	Addr string
	// DB is the database as serve was given it, for the command printed
	// on a restart that gives a demo user a new password. A PostgreSQL
	// URL is never printed, since it may hold a password.
	DB string
}

// Seed loads the demo landlord into an empty database: its letterhead,
// its staff with a password and an API token each, printed to Out, and
// its cases. It does nothing if the database has users, so that
// restarting with --demo never duplicates data.
func Seed(ctx context.Context, cfg Config) error {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.HashPassword == nil {
		cfg.HashPassword = auth.HashPassword
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	n, err := cfg.Store.CountUsers(ctx)
	if err != nil {
		return err
	}
	now := cfg.Now()
	l, err := readLandlord(landlordYAML, newDays(now, cfg.Calendar), cfg.Policy)
	if err != nil {
		return err
	}
	if n > 0 {
		cfg.Log.Info("the database already has users: the demo is not loaded again", "users", n)
		return l.printRestart(ctx, cfg)
	}
	creds, err := addStaff(ctx, cfg.Store, l.Staff, cfg.HashPassword)
	if err != nil {
		return err
	}
	// A letterhead first, so the demo's letters look like a landlord's.
	if err := cfg.Store.SetLetterhead(ctx, store.Letterhead{Name: l.Organisation.Name,
		Address: l.Organisation.Address, Contact: l.Organisation.Contact, UpdatedBy: "demo", UpdatedAt: now}); err != nil {
		return fmt.Errorf("letterhead: %w", err)
	}
	b := &builder{cfg: cfg, landlord: l}
	for _, c := range l.Cases {
		if err := b.load(ctx, c); err != nil {
			return fmt.Errorf("case %q: %w", c.Create.Summary, err)
		}
	}
	if err := b.figures(ctx, now); err != nil {
		return err
	}
	// The service areas and categories its cases use become the lists
	// staff choose from, as a manager would make them on the lists page,
	// so that logging a contact in the demo offers picklists.
	if _, err := cfg.Store.SeedPicklists(ctx, "demo", now); err != nil {
		return fmt.Errorf("lists: %w", err)
	}
	if err := l.printSignIn(cfg, creds); err != nil {
		return err
	}
	cfg.Log.Info("loaded the demo organisation", "organisation", l.Organisation.Name, "users", len(l.Staff), "cases", len(l.Cases))
	return nil
}

// landlord is landlord.yaml, its times and dates resolved.
type landlord struct {
	Organisation struct {
		Name            string   `json:"name"`
		Address         []string `json:"address"`
		Contact         []string `json:"contact"`
		ResidentAddress []string `json:"resident_address"`
	} `json:"organisation"`
	Staff   []store.User `json:"staff"`
	Cases   []script     `json:"cases"`
	Refused refusal      `json:"refused"`
}

// script is one case: the contact as logged by By, and what staff did
// with it since, in order.
type script struct {
	By     string           `json:"by"`
	Create complaint.Create `json:"create"`
	Steps  []step           `json:"steps"`
}

// step is one command given to a case by a member of staff.
type step struct {
	At  time.Time
	By  string
	Cmd complaint.Command
}

// commands are the commands a step may give, by the name it is written
// under.
var commands = map[string]func([]byte) (complaint.Command, error){
	"acknowledge":                    decode[complaint.Acknowledge],
	"assign":                         decode[complaint.Assign],
	"classify_hazard":                decode[complaint.ClassifyHazard],
	"close":                          decode[complaint.Close],
	"complete_remedy":                decode[complaint.CompleteRemedy],
	"convert":                        decode[complaint.Convert],
	"escalate":                       decode[complaint.Escalate],
	"extend":                         decode[complaint.Extend],
	"note":                           decode[complaint.Note],
	"record_hazard_step":             decode[complaint.RecordHazardStep],
	"record_ombudsman_determination": decode[complaint.RecordOmbudsmanDetermination],
	"refer_to_ombudsman":             decode[complaint.ReferToOmbudsman],
	"refuse":                         decode[complaint.Refuse],
	"respond":                        decode[complaint.Respond],
	"withdraw":                       decode[complaint.Withdraw],
}

// decode reads a command strictly, so that a misspelt field in the data
// fails the load instead of being silently left out of the demo.
func decode[C complaint.Command](data []byte) (complaint.Command, error) {
	var c C
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	err := d.Decode(&c)
	return c, err
}

// UnmarshalJSON reads a step: its time, who gave it and one command,
// under the command's name.
func (s *step) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	if err := json.Unmarshal(fields["at"], &s.At); err != nil {
		return fmt.Errorf("step at: %w", err)
	}
	if err := json.Unmarshal(fields["by"], &s.By); err != nil {
		return fmt.Errorf("step by: %w", err)
	}
	delete(fields, "at")
	delete(fields, "by")
	if len(fields) != 1 {
		return fmt.Errorf("a step at %s gives %d commands, want one", s.At, len(fields))
	}
	for name, raw := range fields {
		dec, ok := commands[name]
		if !ok {
			return fmt.Errorf("a step at %s gives %q, which is not a command", s.At, name)
		}
		cmd, err := dec(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.Cmd = cmd
	}
	return nil
}

// refusal is the complaint refused on one of the policy's exclusions,
// told to fit the exclusion's ground.
type refusal struct {
	By      string                  `json:"by"`
	Create  complaint.Create        `json:"create"`
	At      time.Time               `json:"at"`
	Grounds map[string]refusalStory `json:"grounds"`
}

// refusalStory is what a refused complaint says, and why it was refused.
type refusalStory struct {
	Summary     string   `json:"summary"`
	Description string   `json:"description"`
	ServiceArea string   `json:"service_area"`
	Categories  []string `json:"categories"`
	Explanation string   `json:"explanation"`
}

// readLandlord reads landlord.yaml, counting its times and dates back
// from today, and returns it with the refused case among the others if
// the policy has an exclusion to refuse on, oldest first, so that
// references run in the order cases came in.
func readLandlord(data []byte, d days, p *policy.Policy) (landlord, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return landlord{}, fmt.Errorf("landlord.yaml: %w", err)
	}
	resolved, err := d.resolve(doc)
	if err != nil {
		return landlord{}, fmt.Errorf("landlord.yaml: %w", err)
	}
	js, err := json.Marshal(resolved)
	if err != nil {
		return landlord{}, fmt.Errorf("landlord.yaml: %w", err)
	}
	var l landlord
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return landlord{}, fmt.Errorf("landlord.yaml: %w", err)
	}
	if c, ok := l.Refused.script(p.Exclusions); ok {
		l.Cases = append(l.Cases, c)
	}
	slices.SortStableFunc(l.Cases, func(x, y script) int { return x.Create.ReceivedAt.Compare(*y.Create.ReceivedAt) })
	return l, nil
}

// script returns the refused case for the first exclusion on a ground
// the Code names (2.2), in the order it names them, or else the first
// exclusion; false if there is none.
func (r refusal) script(xs []policy.Exclusion) (script, bool) {
	if len(xs) == 0 {
		return script{}, false
	}
	x := xs[0]
	for _, ground := range []string{policy.GroundTimeLimit, policy.GroundLegalProceedings, policy.GroundPreviouslyConsidered} {
		if i := slices.IndexFunc(xs, func(x policy.Exclusion) bool { return x.Ground == ground }); i >= 0 {
			x = xs[i]
			break
		}
	}
	story, ok := r.Grounds[x.Ground]
	if !ok {
		story = r.Grounds[policy.GroundOther]
	}
	c := r.Create
	c.Summary, c.Description, c.ServiceArea, c.Categories = story.Summary, story.Description, story.ServiceArea, story.Categories
	explanation := strings.ReplaceAll(story.Explanation, "{reason}", x.Reason)
	return script{By: r.By, Create: c, Steps: []step{{At: r.At, By: r.By, Cmd: complaint.Refuse{Exclusion: x.Code, Explanation: explanation}}}}, true
}

// credentials are a member of staff's password and API token, shown
// once.
type credentials struct{ password, token string }

// addStaff makes the staff users, each with an API token and a password
// to sign in to the staff pages with: random like any one-time password
// but not forced to change, since it is a demo.
func addStaff(ctx context.Context, st staffStore, staff []store.User, hashPassword func(string) (string, error)) ([]credentials, error) {
	creds := make([]credentials, len(staff))
	for i, u := range staff {
		saved, err := st.CreateUser(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", u.Email, err)
		}
		tok, hash := auth.NewToken()
		if err := st.AddToken(ctx, saved.ID, hash, "demo"); err != nil {
			return nil, fmt.Errorf("token for %s: %w", u.Email, err)
		}
		pw := auth.NewOneTimePassword()
		pwHash, err := hashPassword(pw)
		if err != nil {
			return nil, err
		}
		if err := st.SetPassword(ctx, saved.ID, pwHash, false); err != nil {
			return nil, fmt.Errorf("password for %s: %w", u.Email, err)
		}
		creds[i] = credentials{password: pw, token: tok}
	}
	return creds, nil
}

// builder gives the demo's cases to case work.
type builder struct {
	cfg      Config
	landlord landlord
	// loaded are the cases as their scripts left them, for the figures
	// added beside them (figures.go).
	loaded []complaint.Case
}

// casework is case work on the demo's store with now as its clock: the
// real time for commands, which are backdated by their own time, and a
// letter's time for its letter, which is dated by the clock.
func (b *builder) casework(now func() time.Time) *casework.Service {
	return &casework.Service{Store: b.cfg.Store, Policy: b.cfg.Policy, Calendar: b.cfg.Calendar, Log: b.cfg.Log,
		Now: now, ServiceName: b.landlord.Organisation.Name}
}

// user is the member of staff with email, as case work takes them.
func (b *builder) user(email string) store.User {
	if i := slices.IndexFunc(b.landlord.Staff, func(u store.User) bool { return u.Email == email }); i >= 0 {
		return b.landlord.Staff[i]
	}
	return store.User{Email: email}
}

// load logs one case and gives it its commands.
func (b *builder) load(ctx context.Context, s script) error {
	cw := b.casework(b.cfg.Now)
	c, err := cw.Create(ctx, b.user(s.By), s.Create)
	if err != nil {
		return err
	}
	for _, st := range s.Steps {
		cmd := st.Cmd
		if a, ok := cmd.(complaint.Assign); ok {
			// The handler's role is looked up, never given, as the API
			// and the pages look it up.
			a.HandlerRole = b.user(a.Handler).Role
			cmd = a
		}
		// Converting a service request opens the complaint beside it,
		// and Apply returns the complaint: the steps after are its.
		if c, err = cw.Apply(ctx, b.user(st.By), c.Reference, 0, st.At, cmd); err != nil {
			return fmt.Errorf("%s %T: %w", c.Reference, cmd, err)
		}
		// A response counts once its letter has gone: the demo's go by
		// post the same afternoon, drafted from the case as any
		// officer's would be, and kept exactly as issued.
		if _, ok := cmd.(complaint.Respond); ok {
			if c, err = b.issueResponse(ctx, c, st.At.Add(10*time.Minute), st.By); err != nil {
				return fmt.Errorf("%s response letter: %w", c.Reference, err)
			}
		}
	}
	b.loaded = append(b.loaded, c)
	return nil
}

// issueResponse drafts, prints and issues the current stage's response
// letter on c at the time at, by post, through the same letter workflow
// the staff pages and the API use, after the review of the findings
// where the policy asks for one.
func (b *builder) issueResponse(ctx context.Context, c complaint.Case, at time.Time, by string) (complaint.Case, error) {
	cw := b.casework(func() time.Time { return at })
	if complaint.AwaitingSignOff(c, b.cfg.Policy) {
		// The policy asks for the findings to be reviewed before the
		// letter goes (002 §2.3): in the demo, the Service Manager agreed.
		var err error
		if c, err = cw.Apply(ctx, b.user(by), c.Reference, 0, at.Add(-5*time.Minute), complaint.RecordSignOff{Reviewer: "Sam Patel", Result: complaint.SignOffAgreed}); err != nil {
			return c, err
		}
	}
	d, err := cw.DraftLetter(ctx, c, letters.Kind(complaint.ResponseLetterKind(c.Stage)))
	if err != nil {
		return c, err
	}
	if len(d.Letter.Recipient.Address) == 0 {
		d.Letter.Recipient.Address = b.landlord.Organisation.ResidentAddress
	}
	c, _, err = cw.IssueDraft(ctx, b.user(by), c, d, casework.ChannelPrint, 0)
	return c, err
}

// printSignIn tells the person who started Redress how to sign in, with each
// member of staff's password and token.
func (l landlord) printSignIn(cfg Config, creds []credentials) error {
	host := displayHost(cfg.Addr)
	w := tabwriter.NewWriter(cfg.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "\nLoaded the demo organisation %s: %d users and %d cases under policy %s.\n", l.Organisation.Name, len(l.Staff), len(l.Cases), cfg.Policy.Name)
	fmt.Fprintf(w, "Sign in at http://%s/ with an email and password below. The tokens are for trying the API, for example:\n", host)
	fmt.Fprintf(w, "  curl -H \"Authorization: Bearer TOKEN\" http://%s/api/v1/cases\n", host)
	fmt.Fprintf(w, "They are shown only now. Residents complain at http://%s/complain and follow their case at http://%s/track.\n\n", host, host)
	fmt.Fprintln(w, "EMAIL\tROLE\tPASSWORD\tTOKEN")
	for i, u := range l.Staff {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Email, u.Role, creds[i].password, creds[i].token)
	}
	fmt.Fprintln(w)
	return w.Flush()
}

// printRestart tells the person who restarted Redress with --demo on a
// database that has users why no passwords are shown, and how to get one:
// the passwords were shown only when the demo was first loaded, and are
// kept only as hashes. It names the demo's staff still in the database,
// so the command can be pasted; on a database that is not the demo's, it
// names none.
func (l landlord) printRestart(ctx context.Context, cfg Config) error {
	var found []store.User
	for _, u := range l.Staff {
		got, err := cfg.Store.UserByEmail(ctx, u.Email)
		switch {
		case complaint.ErrorCode(err) == complaint.NotFound:
		case err != nil:
			return err
		default:
			found = append(found, got)
		}
	}
	w := tabwriter.NewWriter(cfg.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "\nThis database already has users, so the demo was not loaded again. Passwords and tokens are shown only when the demo is first loaded.\n")
	fmt.Fprintf(w, "To sign in at http://%s/, give a user a new one-time password (shown once) from another terminal:\n", displayHost(cfg.Addr))
	email := "EMAIL"
	if len(found) > 0 {
		email = found[0].Email
	}
	fmt.Fprintf(w, "  redress admin reset-password --email %s%s\n", email, dbFlag(cfg.DB))
	if isURL(cfg.DB) {
		fmt.Fprintln(w, "with the database URL serve was given in REDRESS_DB or --db.")
	}
	if len(found) > 0 {
		fmt.Fprintln(w, "The demo's users:")
		fmt.Fprintln(w, "EMAIL\tROLE")
		for _, u := range found {
			fmt.Fprintf(w, "%s\t%s\n", u.Email, u.Role)
		}
	}
	fmt.Fprintln(w, "To start the demo afresh, start with --demo on a new database.")
	fmt.Fprintln(w)
	return w.Flush()
}

// dbFlag is the --db flag for a printed command: none for the default
// database or a PostgreSQL URL (which may hold a password, so is never
// printed), and a SQLite path quoted for a shell where it needs to be.
func dbFlag(db string) string {
	switch {
	case db == "" || db == "redress.db" || isURL(db):
		return ""
	case strings.ContainsFunc(db, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:@=,", r))
	}):
		return " --db '" + strings.ReplaceAll(db, "'", `'\''`) + "'"
	}
	return " --db " + db
}

// isURL reports whether db is a PostgreSQL URL rather than a SQLite file.
func isURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// displayHost is where the printed links should point: the listen
// address, with a wildcard host replaced by the loopback one.
func displayHost(addr string) string {
	if addr == "" {
		return "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// days counts the demo's times and dates back from today in working
// days of the policy's calendar, so that staff act on working days only
// and the demo reads the same (a case overdue, another just in) whatever
// the date and whichever policy is loaded.
type days struct {
	today calendar.Date
	cal   *calendar.Calendar
}

func newDays(now time.Time, cal *calendar.Calendar) days {
	return days{today: calendar.DateOf(now), cal: cal}
}

// workday returns the nth working day before today (n >= 1).
func (d days) workday(n int) calendar.Date {
	day := d.today
	for n > 0 {
		day = day.AddDays(-1)
		if d.cal.IsWorkingDay(day) {
			n--
		}
	}
	return day
}

// The ways landlord.yaml writes a time or a date relative to today.
var (
	workdayTime = regexp.MustCompile(`^(\d+) working days? ago, (\d\d):(\d\d)$`)
	workdayDate = regexp.MustCompile(`^(\d+) working days? ago$`)
	daysFromNow = regexp.MustCompile(`^in (\d+) days?$`)
)

// resolve returns the decoded YAML v with every time and date relative
// to today made absolute: a time as a time.Time, in London on a working
// day before today, so always in the past as the rules require of a
// backdated command; a date in the form the commands take it,
// 2006-01-02.
func (d days) resolve(v any) (any, error) {
	var err error
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if v[k], err = d.resolve(x); err != nil {
				return nil, err
			}
		}
	case []any:
		for i, x := range v {
			if v[i], err = d.resolve(x); err != nil {
				return nil, err
			}
		}
	case string:
		if m := workdayTime.FindStringSubmatch(v); m != nil {
			n, hour, minute := atoi(m[1]), atoi(m[2]), atoi(m[3])
			if n < 1 || hour > 23 || minute > 59 {
				return nil, fmt.Errorf("%q is not a time on a working day before today", v)
			}
			day := d.workday(n)
			return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, calendar.London), nil
		}
		if m := workdayDate.FindStringSubmatch(v); m != nil {
			return d.workday(atoi(m[1])).String(), nil
		}
		if m := daysFromNow.FindStringSubmatch(v); m != nil {
			return d.today.AddDays(atoi(m[1])).String(), nil
		}
	}
	return v, nil
}

// atoi reads digits the patterns above have matched.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
