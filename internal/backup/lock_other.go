//go:build !unix

package backup

import "os"

// flock does nothing where there is no flock: Redress is run on Linux,
// and elsewhere a restore cannot tell whether a server holds the
// database, so stop it first.
func flock(*os.File, bool) error { return nil }
