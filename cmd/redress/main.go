// Command redress is the Redress complaints system: its server and its
// command-line tools. Everything it does lives in internal packages; this
// file only hands over the arguments and the exit code.
package main

import (
	"os"

	"github.com/redresshq/redress/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
