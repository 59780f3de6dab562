package app

import (
	"context"
	"fmt"
	"net"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

// demoOrganisation is the fictional landlord the demo loads.
const demoOrganisation = "Riverside Vale Homes"

// The demo staff. Gareth is the senior manager who reviews stage 2 and
// never handles stage 1, as the Code (6.13) requires.
const (
	demoAdmin    = "sam.adeyemi@riverside-vale.example"
	demoManager  = "helen.marsh@riverside-vale.example"
	demoOfficer  = "tom.birch@riverside-vale.example"
	demoOfficer2 = "aisha.rahman@riverside-vale.example"
	demoReviewer = "gareth.lloyd@riverside-vale.example"
	demoViewer   = "nina.kowalski@riverside-vale.example"
)

var demoUsers = []store.User{
	{Email: demoAdmin, Name: "Sam Adeyemi", Role: string(auth.Admin)},
	{Email: demoManager, Name: "Helen Marsh", Role: string(auth.Manager)},
	{Email: demoOfficer, Name: "Tom Birch", Role: string(auth.Officer)},
	{Email: demoOfficer2, Name: "Aisha Rahman", Role: string(auth.Officer)},
	{Email: demoReviewer, Name: "Gareth Lloyd", Role: string(auth.Reviewer)},
	{Email: demoViewer, Name: "Nina Kowalski", Role: string(auth.Viewer)},
}

// demoCase is one case of the demo: how it was logged and what happened
// to it since, in order.
type demoCase struct {
	received time.Time
	by       string
	create   complaint.Create
	steps    []demoStep
}

// demoStep is one command given to a demo case by a member of staff.
type demoStep struct {
	at  time.Time
	by  string
	cmd complaint.Command
}

// loadDemo loads the demo organisation, Riverside Vale Homes, into an
// empty database: six staff with API tokens, printed to Config.Stdout,
// and cases at every stage and status. It does nothing if the database
// has users, so that restarting with --demo never duplicates data.
//
// Cases go through the domain and the store like any other, backdated
// with env.At, so the audit chain, deadlines and rules are the real ones.
// Dates count back in working days of the policy's calendar from today,
// so the demo reads the same (a case overdue, another just in) whatever
// the date and whichever policy is loaded.
func (a *App) loadDemo(ctx context.Context) error {
	return a.loadDemoHashing(ctx, auth.HashPassword)
}

// loadDemoHashing is loadDemo with the function that hashes the users'
// passwords given, so that a test loading the demo on many dates need not
// pay for argon2id's 64 MiB each time: the hash does not depend on the
// date.
func (a *App) loadDemoHashing(ctx context.Context, hashPassword func(string) (string, error)) error {
	n, err := a.Store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		a.log.Info("the database already has users: the demo is not loaded again", "users", n)
		return nil
	}
	tokens := make([]string, len(demoUsers))
	passwords := make([]string, len(demoUsers))
	for i, u := range demoUsers {
		saved, err := a.Store.CreateUser(ctx, u)
		if err != nil {
			return fmt.Errorf("user %s: %w", u.Email, err)
		}
		tok, hash := auth.NewToken()
		if err := a.Store.AddToken(ctx, saved.ID, hash, "demo"); err != nil {
			return fmt.Errorf("token for %s: %w", u.Email, err)
		}
		tokens[i] = tok
		// A password to sign in to the staff pages with, random like
		// any one-time password but not forced to change: it is a demo.
		passwords[i] = auth.NewOneTimePassword()
		pwHash, err := hashPassword(passwords[i])
		if err != nil {
			return err
		}
		if err := a.Store.SetPassword(ctx, saved.ID, pwHash, false); err != nil {
			return fmt.Errorf("password for %s: %w", u.Email, err)
		}
	}

	d := &demo{now: a.now(), cal: a.Cal, policy: a.Policy}
	d.today = calendar.DateOf(d.now)
	cases := d.cases()
	// Oldest first, so that references run in the order cases came in.
	slices.SortStableFunc(cases, func(x, y demoCase) int { return x.received.Compare(y.received) })
	// A letterhead first, so the demo's letters look like a landlord's.
	if err := a.Store.SetLetterhead(ctx, store.Letterhead{Name: demoOrganisation,
		Address:   []string{"Riverside House", "1 Quay Street", "Sunderland", "SR1 1AA"},
		Contact:   []string{"Phone 0191 000 0000", "complaints@riverside-vale.example", "riverside-vale.example/complaints"},
		UpdatedBy: "demo", UpdatedAt: d.now}); err != nil {
		return fmt.Errorf("letterhead: %w", err)
	}
	for _, dc := range cases {
		if err := a.loadDemoCase(ctx, dc); err != nil {
			return fmt.Errorf("case %q: %w", dc.create.Summary, err)
		}
	}

	w := tabwriter.NewWriter(a.cfg.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "\nLoaded the demo organisation %s: %d users and %d cases under policy %s.\n", demoOrganisation, len(demoUsers), len(cases), a.Policy.Name)
	fmt.Fprintf(w, "Sign in at http://%s/ with an email and password below. The tokens are for trying the API, for example:\n", demoHost(a.cfg.Addr))
	fmt.Fprintf(w, "  curl -H \"Authorization: Bearer TOKEN\" http://%s/api/v1/cases\n", demoHost(a.cfg.Addr))
	fmt.Fprintf(w, "They are shown only now. Residents complain at http://%s/complain and follow their case at http://%s/track.\n\n", demoHost(a.cfg.Addr), demoHost(a.cfg.Addr))
	fmt.Fprintln(w, "EMAIL\tROLE\tPASSWORD\tTOKEN")
	for i, u := range demoUsers {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Email, u.Role, passwords[i], tokens[i])
	}
	fmt.Fprintln(w)
	if err := w.Flush(); err != nil {
		return err
	}
	a.log.Info("loaded the demo organisation", "organisation", demoOrganisation, "users", len(demoUsers), "cases", len(cases))
	return nil
}

// loadDemoCase creates one case and gives it its commands.
func (a *App) loadDemoCase(ctx context.Context, dc demoCase) error {
	received := dc.received
	dc.create.ReceivedAt = &received
	c, err := a.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(dc.create, a.demoEnv(dc.received, dc.by, ref))
	})
	if err != nil {
		return err
	}
	for _, s := range dc.steps {
		// A service request stays open; the complaint about it is opened
		// beside it, and the steps after are the complaint's.
		if conv, ok := s.cmd.(complaint.Convert); ok && c.Kind == complaint.KindServiceRequest {
			cw := a.demoCasework(a.now)
			if c, err = cw.Apply(ctx, store.User{Email: s.by, Role: demoRole(s.by)}, c.Reference, 0, s.at, conv); err != nil {
				return fmt.Errorf("%s: %w", dc.create.Summary, err)
			}
			continue
		}
		c, err = a.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, s.cmd, a.demoEnv(s.at, s.by, ref))
		})
		if err != nil {
			return fmt.Errorf("%s %T: %w", c.Reference, s.cmd, err)
		}
		// A response counts once its letter has gone: the demo's go by
		// post the same afternoon, drafted from the case as any officer's
		// would be, and kept exactly as issued.
		if _, ok := s.cmd.(complaint.Respond); ok {
			if c, err = a.issueDemoResponse(ctx, c, s.at.Add(10*time.Minute), s.by); err != nil {
				return fmt.Errorf("%s response letter: %w", c.Reference, err)
			}
		}
	}
	return nil
}

// issueDemoResponse drafts, prints and issues the current stage's
// response letter on c at the time at, by post, through the same letter
// workflow the staff pages and the API use.
func (a *App) issueDemoResponse(ctx context.Context, c complaint.Case, at time.Time, by string) (complaint.Case, error) {
	cw := a.demoCasework(func() time.Time { return at })
	d, err := cw.DraftLetter(ctx, c, letters.Kind(complaint.ResponseLetterKind(c.Stage)))
	if err != nil {
		return c, err
	}
	if len(d.Letter.Recipient.Address) == 0 {
		d.Letter.Recipient.Address = []string{"14 Larkspur Road", "Sunderland", "SR2 7QT"}
	}
	c, _, err = cw.IssueDraft(ctx, store.User{Email: by, Role: demoRole(by)}, c, d, casework.ChannelPrint, 0)
	return c, err
}

// demoCasework is case work on the demo's store as of now: the demo
// backdates, so each step's "now" is the time it happened.
func (a *App) demoCasework(now func() time.Time) *casework.Service {
	return &casework.Service{Store: a.Store, Policy: a.Policy, Calendar: a.Cal, Log: a.log, Now: now, ServiceName: demoOrganisation}
}

func (a *App) demoEnv(at time.Time, by string, ref store.NewReference) complaint.Env {
	return complaint.Env{
		Now: a.now(), At: at, Actor: complaint.Actor{Email: by, Role: demoRole(by)},
		Policy: a.Policy, Calendar: a.Cal, NewReference: ref,
	}
}

func demoRole(email string) string {
	for _, u := range demoUsers {
		if u.Email == email {
			return u.Role
		}
	}
	return ""
}

// demoHost is where the curl example should point: the listen address,
// with a wildcard host replaced by the loopback one.
func demoHost(addr string) string {
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

// demo computes the demo's dates relative to today.
type demo struct {
	now    time.Time
	today  calendar.Date
	cal    *calendar.Calendar
	policy *policy.Policy
}

// workday returns the nth working day before today (n >= 1) in the
// policy's calendar, so that staff act on working days only.
func (d *demo) workday(n int) calendar.Date {
	day := d.today
	for n > 0 {
		day = day.AddDays(-1)
		if d.cal.IsWorkingDay(day) {
			n--
		}
	}
	return day
}

// at returns hour:minute in London on the nth working day before today.
// It is always in the past, which the domain requires of a backdated
// command.
func (d *demo) at(n, hour, minute int) time.Time {
	day := d.workday(n)
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, calendar.London)
}

// dueIn returns the date n calendar days from today, for an action's due
// date; negative n is in the past.
func (d *demo) dueIn(n int) string { return d.today.AddDays(n).String() }

func step(at time.Time, by string, cmd complaint.Command) demoStep {
	return demoStep{at: at, by: by, cmd: cmd}
}

func decision(point int, outcome complaint.Outcome, reasons string) complaint.Decision {
	return complaint.Decision{Point: point, Outcome: outcome, Reasons: reasons}
}

// cases returns the demo's cases. The numbers passed to d.at are working
// days ago; within a case they only ever decrease, so every command is
// dated after the one before.
func (d *demo) cases() []demoCase {
	cases := []demoCase{
		// A leak, upheld at stage 1, escalated, upheld further by a
		// different person at stage 2, and closed; its actions were done
		// after closure.
		{
			received: d.at(62, 8, 52), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "email",
				Complainant: complaint.Person{
					Name: "Kwame Asante", Email: "kwame.asante@example.net", Phone: "07700 900418",
					Address: "14 Larkspur Road, Riverside Vale", Postcode: "ZZ1 3HD", TenancyRef: "RVH-010233",
				},
				Summary: "Leak from the flat above has damaged my kitchen ceiling and still is not fixed after four reports",
				Description: "Water has been coming through my kitchen ceiling from the flat above for weeks. I have reported it four times. " +
					"Two of your operatives came out, said it was the bath seal upstairs and that it would be sorted, but nobody came back. " +
					"The plaster is now bulging and there is a brown stain right across the ceiling. I have had to move the fridge and I " +
					"can't use the light over the cooker because I'm worried about water getting into it. Every time I phone I am told the " +
					"job is \"with the contractor\". I want it fixed properly and someone to take responsibility.",
				DesiredOutcome: "Fix the leak at source, repair and redecorate my kitchen ceiling, and compensation for what I have had to put up with.",
				ServiceArea:    "repairs",
				Categories:     []string{"leaks", "repair delay", "communication"},
				Tenure:         "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(60, 10, 15), demoOfficer, complaint.Acknowledge{
					Points: []string{
						"Repeated failure to repair the leak from the flat above after four reports",
						"No call-backs and no clear appointment dates when Mr Asante chased the repair",
						"Damage to the kitchen ceiling and loss of use of the cooker-hood light",
					},
					OutcomesSought: []string{"Leak fixed at source", "Ceiling repaired and redecorated", "Compensation"},
				}),
				step(d.at(51, 15, 30), demoOfficer, complaint.Respond{
					Decisions: []complaint.Decision{
						decision(1, "upheld", "Our records show four reports. The contractor closed the job twice without replacing the bath seal in the flat above. That should not have happened."),
						decision(2, "upheld", "Two promised call-backs were not made and no appointment was confirmed in writing. We are sorry for the time Mr Asante spent chasing us."),
						decision(3, "partly_upheld", "The ceiling damage was caused by the leak and we will repair it. Our electrician tested the cooker-hood light on his visit and it is safe to use; it should have been checked sooner."),
					},
					Remedies: []complaint.RemedyInput{
						{Kind: "apology", Description: "Apology for the delay and for the missed call-backs."},
						{Kind: "compensation", Description: "£150 for the delay and for the time and trouble of chasing the repair (Compensation Policy, band 2).", AmountPence: 15000},
						{Kind: "action", Description: "Replace the bath seal and check the waste pipe in the flat above.", Owner: "Repairs Team Leader (Mark Ellison)", Due: d.workday(48).String()},
						{Kind: "action", Description: "Replaster and redecorate the kitchen ceiling at 14 Larkspur Road.", Owner: "Repairs Team Leader (Mark Ellison)", Due: d.workday(30).String()},
					},
				}),
				step(d.at(48, 11, 5), demoOfficer, complaint.Escalate{
					Reason: "Mr Asante says £150 does not reflect how long this went on, and the ceiling repair was booked for a day he had told us he would be in hospital.",
				}),
				step(d.at(48, 14, 20), demoManager, complaint.Assign{Handler: demoReviewer, HandlerRole: string(auth.Reviewer)}),
				step(d.at(47, 9, 30), demoReviewer, complaint.Acknowledge{
					Points: []string{
						"The compensation offered at stage 1 does not reflect the length of the delay",
						"The ceiling repair was booked for a day Mr Asante had said he would be in hospital",
					},
					OutcomesSought: []string{"Higher compensation", "Ceiling repair rebooked at a time that suits Mr Asante"},
				}),
				step(d.at(45, 16, 0), demoOfficer, complaint.CompleteRemedy{ID: 3, Note: "Bath seal replaced and waste pipe joint remade in the flat above. No further leak on inspection."}),
				step(d.at(33, 16, 10), demoReviewer, complaint.Respond{
					Decisions: []complaint.Decision{
						decision(1, "upheld", "Having reviewed the full timeline, the leak went unresolved for 19 weeks. Our Compensation Policy puts a delay of that length in band 3, not band 2."),
						decision(2, "upheld", "The call notes show Mr Asante told us about his hospital stay. The appointment should not have been made for that day."),
					},
					Remedies: []complaint.RemedyInput{
						{Kind: "apology", Description: "Written apology from the Head of Property Services."},
						{Kind: "compensation", Description: "A further £250, making £400 in all, for the length of the delay and the distress caused.", AmountPence: 25000},
						{Kind: "policy_change", Description: "Contractor jobs for leaks between flats can no longer be closed without a photograph of the completed repair at source."},
						{Kind: "action", Description: "Brief the contact centre on recording when residents are unavailable, such as hospital stays, and checking it before booking.", Owner: "Customer Services Manager (Rosie Vaughan)", Due: d.dueIn(10)},
					},
				}),
				step(d.at(31, 10, 0), demoReviewer, complaint.Close{}),
				step(d.at(26, 14, 45), demoOfficer, complaint.CompleteRemedy{ID: 4, Note: "Ceiling replastered and painted. Mr Asante is happy with the finish."}),
			},
		},

		// A rent error, upheld and closed at stage 1 with compensation.
		{
			received: d.at(40, 19, 42), by: demoOfficer2,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "web",
				Complainant: complaint.Person{
					Name: "Joanne Fairweather", Email: "jo.fairweather@example.com", Phone: "07700 900127",
					Address: "3 Osprey Close, Riverside Vale", Postcode: "ZZ1 6PW", TenancyRef: "RVH-004512",
				},
				Summary: "Rent direct debit taken twice and I went overdrawn",
				Description: "You took my rent twice this month, once on the 1st and again on the 3rd. It put me into my overdraft and the bank " +
					"charged me £25. I rang the income team and was told it would be refunded in five to seven days but nothing has come back " +
					"and nobody rang me like they promised. I'm on Universal Credit and I can't afford to be out of pocket like this.",
				DesiredOutcome: "My money back and the bank charge paid.",
				ServiceArea:    "rents",
				Categories:     []string{"direct debit", "refund"},
				Tenure:         "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(39, 9, 20), demoOfficer2, complaint.Acknowledge{
					Points: []string{
						"Rent direct debit collected twice",
						"Refund not made when promised and no call-back",
						"Bank charge of £25 caused by the duplicate collection",
					},
					OutcomesSought: []string{"Refund of the duplicate payment", "Bank charge repaid"},
				}),
				step(d.at(33, 14, 0), demoOfficer2, complaint.Respond{
					Decisions: []complaint.Decision{
						decision(1, "upheld", "A collection file was resubmitted to the bank in error after a system update, so some accounts were collected twice."),
						decision(2, "upheld", "The refund request was logged but not sent to Finance, and the promised call-back was not made."),
						decision(3, "upheld", "The bank charge was a direct result of our error and we will repay it."),
					},
					Remedies: []complaint.RemedyInput{
						{Kind: "apology", Description: "Apology for the error and for not calling back."},
						{Kind: "explanation", Description: "The duplicate payment has been refunded to Ms Fairweather's bank account; the income team now check every resubmitted collection file before it is sent."},
						{Kind: "compensation", Description: "Reimbursement of the £25 bank charge.", AmountPence: 2500},
						{Kind: "compensation", Description: "£50 for time and trouble.", AmountPence: 5000},
						{Kind: "action", Description: "Check every account collected twice in the same run and refund any others affected.", Owner: "Income Manager (Paul Okafor)", Due: d.workday(28).String()},
					},
				}),
				step(d.at(29, 11, 30), demoOfficer2, complaint.CompleteRemedy{ID: 5, Note: "Eleven other accounts were collected twice; all refunded and the residents written to."}),
				step(d.at(12, 9, 0), demoOfficer2, complaint.Close{}),
			},
		},

		// A shared owner's service charge complaint, now with the stage 2
		// reviewer.
		{
			received: d.at(31, 10, 5), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "letter",
				Complainant: complaint.Person{
					Name: "Rajesh Varma", Email: "r.varma@example.org",
					Address: "Flat 9, Kingfisher Court, Mill Lane, Riverside Vale", Postcode: "ZZ2 4NE", TenancyRef: "RVH-SO-0091",
				},
				Summary: "Communal cleaning charge has gone up by 40% with no explanation or consultation",
				Description: "I am a shared owner at Kingfisher Court. My service charge for communal cleaning has gone from £14.20 to £19.90 " +
					"a month. There was no letter explaining why and no consultation. The cleaning has actually got worse: the bin store is " +
					"only done once a fortnight now. I would like a breakdown of the costs and the increase put on hold until it has been explained.",
				DesiredOutcome: "A breakdown of the costs and the increase put on hold.",
				ServiceArea:    "service charges",
				Categories:     []string{"service charges", "cleaning", "consultation"},
				Tenure:         "low_cost_home_ownership",
			},
			steps: []demoStep{
				step(d.at(30, 11, 40), demoOfficer, complaint.Acknowledge{
					Points: []string{
						"Increase in the communal cleaning charge without explanation or consultation",
						"The standard of communal cleaning has dropped, especially in the bin store",
					},
					OutcomesSought: []string{"Breakdown of the cleaning costs", "Increase put on hold"},
				}),
				step(d.at(21, 15, 15), demoOfficer, complaint.Respond{
					Decisions: []complaint.Decision{
						decision(1, "partly_upheld", "The increase follows the re-tendered cleaning contract and is within the lease terms; the annual cost per home is below the level that needs formal consultation. We should still have written to explain it, and we did not."),
						decision(2, "not_upheld", "Our contract monitoring shows the bin store on a weekly schedule, and the inspections for the last three months were passed."),
					},
					Remedies: []complaint.RemedyInput{
						{Kind: "apology", Description: "Apology for not explaining the increase before it was charged."},
						{Kind: "explanation", Description: "A full breakdown of the new cleaning contract costs for Kingfisher Court, sent with the response."},
					},
				}),
				step(d.at(12, 10, 30), demoOfficer, complaint.Escalate{
					Reason: "Mr Varma says the inspection scores do not match what residents see and asks for a joint walkabout. He also disputes that no consultation was needed.",
				}),
				step(d.at(11, 9, 10), demoManager, complaint.Assign{Handler: demoReviewer, HandlerRole: string(auth.Reviewer)}),
				step(d.at(10, 14, 0), demoReviewer, complaint.Acknowledge{
					Points: []string{
						"Whether residents should have been consulted on the new cleaning contract",
						"Whether the cleaning inspections reflect the real standard at Kingfisher Court",
					},
					OutcomesSought: []string{"Joint walkabout with residents", "Review of the charge"},
				}),
			},
		},

		// Damp and an independent survey: acknowledged, then extended with
		// the resident's agreement.
		{
			received: d.at(16, 12, 10), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "letter",
				Complainant: complaint.Person{
					Name: "Grace Nwosu", Phone: "01632 960581",
					Address: "5 Otter Lane, Riverside Vale", Postcode: "ZZ1 9DP", TenancyRef: "RVH-007720",
				},
				Summary: "Damp round the new living room window since it was replaced",
				Description: "Since your contractors replaced the living room window the wall around it has been damp and the wallpaper is " +
					"peeling. There is a black line of mould along the sill. The fitters also cracked the plaster at the side and left it. " +
					"I have rung twice and been told someone will look at it. I am writing because nothing has happened.",
				DesiredOutcome: "The window sealed properly and the wall put right.",
				ServiceArea:    "repairs",
				Categories:     []string{"damp and mould", "windows", "contractor"},
				Tenure:         "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(15, 10, 0), demoOfficer, complaint.Acknowledge{
					Points: []string{
						"Damp and mould around the new living room window",
						"Plaster and sill damaged by the window fitters and not made good",
					},
					OutcomesSought: []string{"Window resealed or refitted", "Plaster and decoration made good"},
				}),
				step(d.at(5, 16, 30), demoOfficer, complaint.Extend{
					WorkingDays: 10,
					Reason: "An independent damp survey is needed to establish whether the damp comes from the window installation or from the cavity wall insulation. " +
						"The surveyor's first available date is next week. Ms Nwosu agreed to the extra time by phone.",
					AgreedWithResident: true, OmbudsmanDetailsGiven: true,
				}),
			},
		},

		// An older resident whose daughter acts for her, with adjustments;
		// responded at stage 1, within the escalation window.
		{
			received: d.at(13, 11, 25), by: demoOfficer2,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "phone",
				Complainant: complaint.Person{
					Name: "Margaret Pemberton", Phone: "01632 960274",
					Address: "7 Primrose Gardens, Riverside Vale", Postcode: "ZZ1 8LS", TenancyRef: "RVH-001187",
				},
				Representative: &complaint.Representative{
					Name: "Claire Pemberton", Relationship: "daughter", ConsentRecorded: true,
					Email: "claire.pemberton@example.org", Phone: "07700 900733",
				},
				Summary: "Boiler keeps breaking down and engineers have missed three appointments",
				Description: "I'm calling on behalf of my mum, Margaret, who is 84 and hard of hearing. Her boiler has broken down three times in " +
					"the last two months and she has been without heating and hot water for days at a time. Three times the engineer didn't " +
					"turn up, and because Mum can't hear the phone well she didn't get the messages moving the appointment, so she sat in the " +
					"cold waiting. Then she got a letter in small print she couldn't read saying her boiler is not due for replacement. We want " +
					"a new boiler, and for someone to ring me, not her, to arrange visits.",
				DesiredOutcome:  "A new boiler, and all appointments arranged through Claire.",
				ServiceArea:     "repairs",
				Categories:      []string{"heating and hot water", "missed appointments", "accessibility"},
				Tenure:          "low_cost_rental",
				Adjustments:     []string{"Large print letters (18 point)", "Phone calls rather than email", "Contact her daughter Claire first"},
				Vulnerabilities: []string{"Aged 84 and lives alone", "Hearing impairment"},
			},
			steps: []demoStep{
				step(d.at(12, 9, 45), demoOfficer2, complaint.Acknowledge{
					Points: []string{
						"Repeated boiler breakdowns leaving Mrs Pemberton without heating and hot water",
						"Three missed engineer appointments",
						"Letters not in large print, and appointments arranged with Mrs Pemberton rather than her daughter",
					},
					OutcomesSought: []string{"Boiler replaced", "Appointments arranged through Claire", "Letters in large print"},
				}),
				step(d.at(3, 15, 50), demoOfficer2, complaint.Respond{
					Decisions: []complaint.Decision{
						decision(1, "partly_upheld", "The boiler has had three faults in eight weeks and our heating contractor has now condemned the heat exchanger, so it will be replaced ahead of the planned programme. We do not uphold that it should have been replaced sooner: it passed its annual service."),
						decision(2, "upheld", "Our contractor's records confirm three missed appointments. Nobody should be left waiting in the cold."),
						decision(3, "upheld", "Mrs Pemberton's needs were on her tenancy record but not on the repairs system, so neither the contractor nor our letters used them. This has been corrected."),
					},
					Remedies: []complaint.RemedyInput{
						{Kind: "apology", Description: "Apology to Mrs Pemberton and Claire, by phone and in a large print letter."},
						{Kind: "compensation", Description: "£30 for each of the three missed appointments (Compensation Policy).", AmountPence: 9000},
						{Kind: "compensation", Description: "£60 towards the cost of running electric heaters during the breakdowns.", AmountPence: 6000},
						{Kind: "action", Description: "Replace the boiler at 7 Primrose Gardens, arranging the date with Claire.", Owner: "Heating Contracts Manager (Lee Franks)", Due: d.dueIn(10)},
						{Kind: "action", Description: "Add Mrs Pemberton's contact preferences and large print need to the repairs system.", Owner: "Repairs Team Leader (Mark Ellison)", Due: d.dueIn(2)},
					},
				}),
			},
		},

		// Withdrawn once the fence was fixed.
		{
			received: d.at(11, 13, 5), by: demoOfficer2,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "phone",
				Complainant: complaint.Person{
					Name: "Patricia Doyle", Phone: "01632 960318",
					Address: "22 Willow Walk, Riverside Vale", Postcode: "ZZ1 2RB", TenancyRef: "RVH-003349",
				},
				Summary:     "Broken fence panel between my garden and the footpath still not replaced",
				Description: "The fence panel at the bottom of my garden blew down in the wind over a month ago. I've reported it three times. People are cutting through my garden to get to the footpath and my dog can get out.",
				ServiceArea: "estates",
				Categories:  []string{"fencing", "repair delay"},
				Tenure:      "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(10, 10, 20), demoOfficer2, complaint.Acknowledge{
					Points:         []string{"Broken fence panel not replaced after three reports"},
					OutcomesSought: []string{"Fence panel replaced"},
				}),
				step(d.at(5, 11, 0), demoOfficer2, complaint.Withdraw{
					Reason: "Mrs Doyle rang to say the estates team replaced the panel yesterday and she is happy with it. She asked us to withdraw the complaint.",
				}),
			},
		},

		// Overdue: assigned but not acknowledged within the policy's time.
		{
			received: d.at(12, 7, 58), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "email",
				Complainant: complaint.Person{
					Name: "Daniel Hughes", Email: "dan.hughes84@example.com", Phone: "07700 900266",
					Address: "41 Brook Street, Riverside Vale", Postcode: "ZZ1 5TJ", TenancyRef: "RVH-008814",
				},
				Summary: "Black mould in my son's bedroom keeps coming back and the bathroom fan has not worked for six weeks",
				Description: "The mould in my son's bedroom is back again, all along the outside wall and behind the wardrobe. It was wiped and " +
					"painted over in the spring and came straight back. The extractor fan in the bathroom stopped working six weeks ago and I " +
					"was told an electrician would come. My son has asthma and it is getting worse. I don't want it painted over again, I want " +
					"the cause sorted.",
				DesiredOutcome:  "Find and fix the cause of the mould, and fix the fan.",
				ServiceArea:     "repairs",
				Categories:      []string{"damp and mould", "repair delay"},
				Tenure:          "low_cost_rental",
				Vulnerabilities: []string{"Child with asthma in the household"},
			},
			// Awaab's Law (issue 14): damp and mould with a child with
			// asthma is a significant hazard from the moment it was
			// received. The investigation met its 10 working days, on
			// the last of them; the written summary, the safety work and
			// the further works are still running from its end.
			steps: []demoStep{
				step(d.at(12, 8, 30), demoOfficer, complaint.ClassifyHazard{
					Class:       complaint.HazardSignificant,
					Description: "Recurring black mould on the outside wall of a child's bedroom; the child has asthma. Bathroom extractor fan broken for six weeks.",
				}),
				step(d.at(11, 9, 15), demoManager, complaint.Assign{Handler: demoOfficer2, HandlerRole: string(auth.Officer)}),
				step(d.at(2, 15, 0), demoOfficer2, complaint.RecordHazardStep{
					Step: complaint.StepInvestigated,
					Findings: "Surveyor's visit: mould across 2 square metres of the outside wall and behind the wardrobe, from condensation; the " +
						"bathroom extractor fan has failed and there is no trickle vent in the bedroom window. Works: replace the fan, treat and " +
						"redecorate the wall with mould-resistant paint, fit a trickle vent; then a humidity check in four weeks.",
				}),
			},
		},

		// Health and safety: exposed wiring, made safe the same day.
		{
			received: d.at(3, 8, 10), by: demoOfficer2,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "phone",
				Complainant: complaint.Person{
					Name: "Chloe Barker", Phone: "07700 900951",
					Address: "Flat 4, Heron Court, Riverside Vale", Postcode: "ZZ2 1XF", TenancyRef: "RVH-005560",
				},
				Summary: "Exposed wires hanging from the light on the communal landing outside flat 4",
				Description: "The light on our landing has been hanging off the ceiling since the decorators were in. You can see the bare wires " +
					"and my kids walk past it every day. I rang yesterday and was told it would be done within 28 days. That's not good enough, " +
					"it's dangerous.",
				DesiredOutcome:  "Make it safe today.",
				ServiceArea:     "repairs",
				Categories:      []string{"electrical safety", "communal areas", "contractor"},
				Tenure:          "low_cost_rental",
				HealthAndSafety: true,
				Vulnerabilities: []string{"Young children in the household"},
			},
			steps: []demoStep{
				step(d.at(3, 8, 40), demoOfficer2, complaint.Note{Text: "Health and safety: passed to Gareth Lloyd (Head of Property Services) at 08:35. Emergency electrician booked for this morning."}),
				step(d.at(3, 13, 50), demoOfficer2, complaint.Note{Text: "Electrician attended at 13:20, isolated the circuit and made the fitting safe. Replacement fitting ordered."}),
				step(d.at(2, 10, 0), demoOfficer2, complaint.Acknowledge{
					Points: []string{
						"Exposed wiring left on the communal landing after decorating works",
						"The first report was given a 28-day routine priority when it was an emergency",
					},
					OutcomesSought: []string{"Wiring made safe and the light fitting replaced", "Explanation of why the report was not treated as an emergency"},
				}),
			},
		},

		// Confidential: a complaint about a member of staff, handled by the
		// complaints manager.
		{
			received: d.at(6, 9, 35), by: demoManager,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "email",
				Complainant: complaint.Person{
					Name: "Tariq Mahmood", Email: "tariq.mahmood@example.net",
					Address: "18 Ashdown Road, Riverside Vale", Postcode: "ZZ1 7GH", TenancyRef: "RVH-006102",
				},
				Summary: "Housing officer was rude and dismissive at my tenancy visit",
				Description: "The housing officer who came for my tenancy check last week was rude from the moment she arrived. She made " +
					"comments about the state of my flat in front of my children, said I'd be lucky to keep the tenancy, and refused to look " +
					"at the damp I wanted to show her. I felt humiliated. I don't want her coming to my home again.",
				DesiredOutcome: "An apology, a different officer, and someone to look at the damp.",
				ServiceArea:    "tenancy management",
				Categories:     []string{"staff conduct"},
				Tenure:         "low_cost_rental",
				Confidential:   true,
				LineManager:    demoManager,
			},
			steps: []demoStep{
				step(d.at(5, 14, 30), demoManager, complaint.Acknowledge{
					Points: []string{
						"Conduct of the housing officer during the tenancy visit",
						"Refusal to look at the damp Mr Mahmood reported during the visit",
					},
					OutcomesSought: []string{"Apology", "A different housing officer for future visits", "Damp inspected"},
				}),
			},
		},

		// A residents' association complaint with one point of contact.
		{
			received: d.at(8, 10, 0), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "letter",
				Complainant: complaint.Person{
					Name: "Desmond Achebe", Phone: "07700 900512",
					Address: "Flat 1, Heron Court, Riverside Vale", Postcode: "ZZ2 1XF", TenancyRef: "RVH-005511",
				},
				Group:   &complaint.Group{Name: "Heron Court Residents' Association", Members: 23, PointOfContact: "Desmond Achebe (chair), 07700 900512"},
				Summary: "Lift at Heron Court out of action five times in three months",
				Description: "We are writing as the residents' association on behalf of the 23 households who signed the enclosed petition. " +
					"The lift at Heron Court has broken down five times in the last three months, once for nine days. Heron Court has seven " +
					"floors and several residents use wheelchairs or walking frames. One resident on the sixth floor missed a hospital " +
					"appointment because she could not get down the stairs. Each time we are told an engineer is on the way. We want to know " +
					"what is going to be done about the lift in the long term.",
				DesiredOutcome: "A long-term plan for the lift, help for residents who cannot use the stairs, and proper updates.",
				ServiceArea:    "repairs",
				Categories:     []string{"lifts", "communal repairs", "accessibility"},
				Tenure:         "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(6, 11, 10), demoOfficer, complaint.Acknowledge{
					Points: []string{
						"Repeated lift breakdowns at Heron Court, one lasting nine days",
						"No plan to help residents with mobility needs while the lift is out of service",
						"Poor updates to residents during breakdowns",
					},
					OutcomesSought: []string{"Long-term repair or replacement plan for the lift", "Support for residents with mobility needs during outages", "Regular updates"},
				}),
			},
		},

		// Anti-social behaviour handling, just in.
		{
			received: d.at(1, 21, 15), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindComplaint, Channel: "web",
				Complainant: complaint.Person{
					Name: "Connor Walsh", Email: "connor.walsh@example.com",
					Address: "12 Fieldfare Way, Riverside Vale", Postcode: "ZZ1 4QT", TenancyRef: "RVH-009035",
				},
				Summary: "Reported drug dealing in the stairwell three times and nobody from the ASB team has called me back",
				Description: "I have reported people dealing drugs in our stairwell three times now, with dates and times, and sent photos of " +
					"the needles left by the bin store. I was told the neighbourhood officer would call me within 48 hours. That was three weeks " +
					"ago. I don't feel safe coming home at night. I'm not asking you to do the police's job, I'm asking you to take my reports " +
					"seriously and tell me what is happening.",
				DesiredOutcome: "A call from the neighbourhood officer and an action plan.",
				ServiceArea:    "anti-social behaviour",
				Categories:     []string{"ASB case handling", "communication"},
				Tenure:         "low_cost_rental",
			},
		},

		// A service request that became a complaint when the resident was
		// still unhappy.
		{
			received: d.at(20, 14, 40), by: demoOfficer2,
			create: complaint.Create{
				Kind: complaint.KindServiceRequest, Channel: "phone",
				Complainant: complaint.Person{
					Name: "Oluwaseun Bello", Phone: "07700 900684",
					Address: "27 Larkspur Road, Riverside Vale", Postcode: "ZZ1 3HD", TenancyRef: "RVH-010241",
				},
				Summary:     "Kitchen tap dripping constantly",
				Description: "Kitchen mixer tap drips all the time, even turned off hard. Can someone come and change the washer.",
				ServiceArea: "repairs",
				Categories:  []string{"plumbing"},
				Tenure:      "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(20, 14, 55), demoOfficer2, complaint.Note{Text: "Plumbing job raised, routine priority."}),
				// He complained when he rang on day 9: the complaint dates
				// from then, and opens beside the request, which stays open.
				step(d.at(9, 12, 30), demoOfficer2, complaint.Convert{DissatisfiedAt: d.at(9, 12, 30)}),
				step(d.at(9, 12, 35), demoOfficer2, complaint.Note{Text: "Mr Bello rang: the plumber came twice without the right part and the tap now leaks into the cupboard under the sink. He asked to make a complaint."}),
				step(d.at(8, 10, 45), demoOfficer2, complaint.Acknowledge{
					Points: []string{
						"Two visits without the right part for a simple tap repair",
						"Leak into the sink unit has damaged the cupboard base",
					},
					OutcomesSought: []string{"Tap replaced", "Cupboard base repaired"},
				}),
			},
		},

		// A routine service request, just in.
		{
			received: d.at(2, 9, 5), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindServiceRequest, Channel: "phone",
				Complainant: complaint.Person{
					Name: "Irene Castle", Phone: "01632 960447",
					Address: "30 Larkspur Road, Riverside Vale", Postcode: "ZZ1 3HD", TenancyRef: "RVH-010249",
				},
				Summary:     "Front door lock stiff, key very hard to turn",
				Description: "The key is really hard to turn in the front door, I'm worried I'll get locked out or it'll snap in the lock.",
				ServiceArea: "repairs",
				Categories:  []string{"doors and locks"},
				Tenure:      "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(2, 9, 20), demoOfficer, complaint.Note{Text: "Locksmith job raised. Mrs Castle lives alone; asked the locksmith to call before attending."}),
			},
		},

		// A compliment for the caretaker, passed on and closed.
		{
			received: d.at(9, 8, 15), by: demoOfficer2,
			create: complaint.Create{
				Kind: complaint.KindCompliment, Channel: "email",
				Complainant: complaint.Person{
					Name: "Beryl Thompson", Email: "beryl.thompson@example.org",
					Address: "2 Willow Walk, Riverside Vale", Postcode: "ZZ1 2RB",
				},
				Summary: "Thank you to Dave the caretaker for clearing the blocked drain",
				Description: "I just wanted to say thank you to Dave, the caretaker at Willow Walk, who spent his Saturday morning clearing the " +
					"blocked drain outside our block after the storm. He was cheerful and polite and even helped my neighbour carry her " +
					"shopping in. Please pass this on to his manager.",
				ServiceArea: "estates",
				Categories:  []string{"caretaking"},
				Tenure:      "low_cost_rental",
			},
			steps: []demoStep{
				step(d.at(8, 11, 0), demoOfficer2, complaint.Note{Text: "Passed to Dave and the Estates Manager; shared in the staff newsletter."}),
				step(d.at(8, 11, 5), demoOfficer2, complaint.Close{}),
			},
		},

		// A suggestion, passed to the estates team and closed.
		{
			received: d.at(18, 20, 30), by: demoOfficer,
			create: complaint.Create{
				Kind: complaint.KindSuggestion, Channel: "web",
				Complainant: complaint.Person{
					Name: "Hannah Reid", Email: "hannah.reid@example.com",
					Address: "Flat 12, Kingfisher Court, Mill Lane, Riverside Vale", Postcode: "ZZ2 4NE",
				},
				Summary: "Secure bike storage at Kingfisher Court",
				Description: "Could you put a bike shelter or some lockable stands by the car park at Kingfisher Court? At the moment people " +
					"keep bikes on their balconies or in the hallways, which I'm sure is a fire risk, and two bikes have been stolen from the " +
					"railings this year.",
				ServiceArea: "estates",
				Categories:  []string{"estate improvements"},
				Tenure:      "low_cost_home_ownership",
			},
			steps: []demoStep{
				step(d.at(17, 15, 0), demoOfficer, complaint.Note{Text: "Passed to the Estates Manager for the next estate improvements budget. Ms Reid told by email."}),
				step(d.at(17, 15, 5), demoOfficer, complaint.Close{}),
			},
		},
	}
	if rc, ok := d.refusedCase(); ok {
		cases = append(cases, rc)
	}
	return cases
}

// refusedCase returns a complaint refused on one of the policy's
// exclusions, preferring those the Code names (2.2), or false if the
// policy has none.
func (d *demo) refusedCase() (demoCase, bool) {
	xs := d.policy.Exclusions
	if len(xs) == 0 {
		return demoCase{}, false
	}
	x := xs[0]
	for _, ground := range []string{policy.GroundTimeLimit, policy.GroundLegalProceedings, policy.GroundPreviouslyConsidered} {
		if i := slices.IndexFunc(xs, func(x policy.Exclusion) bool { return x.Ground == ground }); i >= 0 {
			x = xs[i]
			break
		}
	}
	dc := demoCase{
		received: d.at(7, 16, 20), by: demoOfficer,
		create: complaint.Create{
			Kind: complaint.KindComplaint, Channel: "email",
			Complainant: complaint.Person{
				Name: "Leonard Grieves", Email: "len.grieves@example.net",
				Address: "8 Alder House, Station Road, Riverside Vale", Postcode: "ZZ2 5QA", TenancyRef: "RVH-002276",
			},
			Tenure: "low_cost_rental",
		},
	}
	var explanation string
	switch x.Ground {
	case policy.GroundTimeLimit:
		dc.create.Summary = "Refund of removal costs from my move during the Alder House refurbishment"
		dc.create.Description = "When everyone in Alder House was moved out for the refurbishment, your removal firm never turned up on " +
			"my moving day and I had to pay £340 for a man with a van. That was over two years ago now. I was told at the time to send " +
			"in the receipt and I'd get it back, but I lost it. I've just found it clearing out the spare room and I want my money back."
		dc.create.ServiceArea, dc.create.Categories = "home moves", []string{"decant", "reimbursement"}
		explanation = "Mr Grieves paid for the removal over two years ago and knew then that it had not been refunded, so the complaint " +
			"is outside the time limit in our policy. He was told at the time how to claim and gave no reason that would justify an " +
			"exception. Letter sent explaining this, with the Housing Ombudsman's contact details and his right to ask them to look at " +
			"our decision. The receipt has been passed to the Home Moves team, who will consider a goodwill refund outside the complaints process."
	case policy.GroundLegalProceedings:
		dc.create.Summary = "Damp and disrepair in my flat"
		dc.create.Description = "My flat has had damp in two rooms for over a year. My solicitor has started a claim against you for " +
			"the disrepair and told me to put in a complaint as well."
		dc.create.ServiceArea, dc.create.Categories = "repairs", []string{"disrepair claim", "damp and mould"}
		explanation = "A disrepair claim about the same issues has been filed at court by Mr Grieves's solicitors, so the matter will be " +
			"decided there. Letter sent explaining this, with the Housing Ombudsman's contact details. The repairs are going ahead " +
			"regardless: a damp inspection is booked."
	case policy.GroundPreviouslyConsidered:
		dc.create.Summary = "Parking permits at Alder House again"
		dc.create.Description = "I am complaining again about the parking permit scheme at Alder House. Visitors still cannot park and " +
			"nothing has changed."
		dc.create.ServiceArea, dc.create.Categories = "estates", []string{"parking"}
		explanation = "The same complaint about the parking permit scheme was answered with a final response at stage 2 and nothing new " +
			"has been raised. Letter sent explaining this, with the Housing Ombudsman's contact details and his right to refer the earlier complaint to them."
	default:
		dc.create.Summary = "Neighbour's dog barking late at night"
		dc.create.Description = "The dog next door barks for hours every evening and I can't sleep. I want you to do something about it."
		dc.create.ServiceArea, dc.create.Categories = "anti-social behaviour", []string{"noise"}
		explanation = "This falls outside our complaints policy: " + x.Reason + " We have explained how the matter will be dealt with " +
			"instead and given the Housing Ombudsman's contact details."
	}
	dc.steps = []demoStep{
		step(d.at(5, 12, 0), demoOfficer, complaint.Refuse{Exclusion: x.Code, Explanation: explanation}),
	}
	return dc, true
}
