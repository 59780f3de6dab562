package clock

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ParseSkew turns s into a duration from now. Years and days move the
// date (so "+1y" from 29 February lands on 1 March); a Go duration moves
// the instant.
func ParseSkew(s string, now time.Time) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if m := calendarSkew.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return 0, fmt.Errorf("%q: %w", s, err)
		}
		if m[2] == "y" {
			return now.AddDate(n, 0, 0).Sub(now), nil
		}
		return now.AddDate(0, 0, n).Sub(now), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a whole number of years or days (\"+2y\", \"-400d\") nor a Go duration (\"-36h\")", s)
	}
	return d, nil
}

// calendarSkew matches a whole number of years or days; months are left
// out because "m" is minutes to time.ParseDuration.
var calendarSkew = regexp.MustCompile(`^([+-]?[0-9]+)([yd])$`)
