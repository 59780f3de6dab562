package complaint

import "strings"

// Assign makes a user the handler. The caller resolves the user and
// passes their email and role.
type Assign struct {
	Handler     string `json:"handler"`
	HandlerRole string `json:"-"`
	// HandlerLeft says the user has been deactivated (a leaver), as the
	// caller resolved them: a case is never given to someone who has
	// left, and it is on the owner-has-left list until reassigned.
	HandlerLeft bool `json:"-"`
}

func (Assign) event() EventKind { return EventAssigned }

func (cmd Assign) decide(d *decision) error {
	c, env, fe := &d.before, d.env, d.fe
	if !c.Status.Open() {
		return Errorf(Conflict, "the case is %s: there is nothing left to handle", c.Status)
	}
	// A handler of " " once passed as someone; the handler is
	// compared with users' emails, so it is trimmed before it counts.
	if !env.Replay {
		cmd.Handler = strings.TrimSpace(cmd.Handler)
	}
	if cmd.Handler == "" || (!env.Replay && blank(cmd.Handler)) {
		fe.add("handler", "is required: a user id or email")
		return fe.err()
	}
	if !env.Replay {
		checkLine(fe, "handler", cmd.Handler, maxShort, true)
	}
	if err := fe.err(); err != nil {
		return err
	}
	if cmd.HandlerLeft && !env.Replay {
		return Errorf(Conflict, "%s has left: their account is deactivated, so they cannot handle cases", cmd.Handler)
	}
	if cmd.HandlerRole == "viewer" {
		return Errorf(Conflict, "%s is a viewer and cannot handle cases", cmd.Handler)
	}
	if c.Stage == 2 && (c.ActedOnStage1(cmd.Handler) && !env.Replay || handledStage1(c, cmd.Handler)) {
		return Errorf(Conflict, "%s acted on this complaint at stage 1; the Code (6.13) requires someone not involved at stage 1 to handle stage 2", cmd.Handler)
	}
	if err := checkNominee(c, cmd, env); err != nil {
		return err
	}
	takeOn(d.next, cmd.Handler)
	return nil
}
