package complaint

// restrictedRefusal applies 002 §2.7 to a refusal: the policy's
// restricted-contact ("vexatious") exclusion may refuse a complaint only
// while a restriction of the complainant's contact is in force, and the
// refusal names it. Outside a replay the rule records the restriction
// case work found (whatever the caller sent), so that replaying the event
// gives the same case whatever the register says by then; a replay keeps
// what was recorded, because the event was accepted under the register of
// its day.
func restrictedRefusal(d *decision, cmd Refuse) Refuse {
	if d.env.Replay {
		return cmd
	}
	cmd.Restriction = ""
	x := d.env.Policy.Restrictions.Exclusion
	if x == "" || cmd.Exclusion != x {
		d.recorded = cmd
		return cmd
	}
	if d.env.RestrictionInForce == "" {
		d.fe.add("exclusion", "%q may be used only while a restriction of the complainant's contact is in force (002 §2.7), and none is in force for them: decide one in the restrictions register first, or assess the complaint on its merits", x)
		return cmd
	}
	cmd.Restriction = d.env.RestrictionInForce
	d.recorded = cmd
	return cmd
}

// restrictedReason is what a refusal on the restricted-contact exclusion
// adds to its recorded reason: the restriction in force, so that the
// refusal says why the exclusion applied.
func restrictedReason(cmd Refuse) string {
	if cmd.Restriction == "" {
		return ""
	}
	return "\n\nRefused while a restriction of contact is in force (002 §2.7): " + cmd.Restriction + "."
}
