package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/redresshq/redress/internal/app"
)

// configCmd runs `redress config check`: it reads the settings exactly as
// serve would, checks the files they name, and prints the effective
// configuration with where each value came from, secrets masked. It
// exits 2, naming every problem, on a configuration serve would refuse.
func configCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return usagef("config needs a subcommand: check")
	}
	l, err := loadServe("config check", args[1:])
	if err != nil {
		return err
	}
	if err := app.CheckFiles(l.Config); err != nil {
		return usageError{err}
	}
	printConfig(stdout, l)
	return nil
}

// printConfig prints each setting, its value and where it came from.
func printConfig(w io.Writer, l *loaded) {
	if l.file != "" {
		fmt.Fprintf(w, "configuration file: %s\n\n", l.file)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
	for i := range settings {
		s := &settings[i]
		from, set := l.origins[s.name]
		var v string
		switch {
		case s.secret && set:
			v = "(set, not shown)"
		case s.secret:
			v, from = "(not set)", ""
		default:
			v = s.get(&l.Config)
			if v == "" {
				v = "(empty)"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.name, v, from)
	}
	tw.Flush()
	for _, warning := range l.warnings {
		fmt.Fprintf(w, "warning: %s\n", warning)
	}
}

// settingsTable is the README's table of settings, made from the
// settings themselves.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| setting (file key and flag) | variable | default | what it is |\n|---|---|---|---|\n")
	for i := range settings {
		s := &settings[i]
		name, env := "`"+s.name+"`", "`"+s.envName()+"`"
		if s.secret {
			name = "`" + s.name + "`, `" + s.name + "-file` (no flag for the value)"
			env += " or `" + s.envName() + "_FILE`"
		}
		def := ""
		if s.def != "" {
			def = "`" + s.def + "`"
		}
		help := s.help
		if s.kind == list {
			help += " (comma-separated; a list in the file; the flag may be repeated)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, env, def, help)
	}
	return b.String()
}
