package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/redresshq/redress/internal/calendar"
)

func calendarCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "holidays" {
		return usagef("calendar needs a subcommand: holidays")
	}
	fs := flag.NewFlagSet("calendar holidays", flag.ContinueOnError)
	var (
		division = fs.String("division", string(calendar.EnglandAndWales), "england-and-wales, scotland or northern-ireland")
		year     = fs.Int("year", 0, "the year")
		holFile  = fs.String("holidays", "", "bank-holidays file in the gov.uk JSON format")
		asJSON   = fs.Bool("json", false, "print JSON")
	)
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("calendar holidays takes no arguments, only flags; got %q", pos[0])
	}
	div, err := calendar.ParseDivision(*division)
	if err != nil {
		return usagef("--division: %v", err)
	}
	if *year == 0 {
		return usagef("--year is required")
	}
	h, err := holidays(*holFile)
	if err != nil {
		return err
	}
	if !h.Covers(div, *year) {
		first, last := h.Years(div)
		return usagef("--year: bank holidays for %s in %d are not known (known: %d to %d); load a newer file with --holidays", div, *year, first, last)
	}
	hs := h.In(div, *year)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"division": div, "year": *year, "holidays": hs})
	}
	for _, hol := range hs {
		note := ""
		if hol.Notes != "" {
			note = " (" + hol.Notes + ")"
		}
		fmt.Fprintf(stdout, "%s  %-9s  %s%s\n", hol.Date, hol.Date.Weekday(), hol.Title, note)
	}
	return nil
}
