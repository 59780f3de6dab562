package demo

import "testing"

// The printed reset-password command can be pasted as it is: no --db for
// the default database, a path quoted where a shell would split it, and
// never a PostgreSQL URL, which may hold a password.
func TestTheRestartHintsDatabaseFlagCanBePastedAndHoldsNoSecret(t *testing.T) {
	for _, tt := range []struct{ db, want string }{
		{"", ""},
		{"redress.db", ""},
		{"/var/lib/redress/redress.db", " --db /var/lib/redress/redress.db"},
		{"/home/me/My Demo/redress.db", " --db '/home/me/My Demo/redress.db'"},
		{"/tmp/it's.db", ` --db '/tmp/it'\''s.db'`},
		{"postgres://redress:s3cret@db.example/redress", ""},
		{"postgresql://redress:s3cret@db.example/redress", ""},
	} {
		if got := dbFlag(tt.db); got != tt.want {
			t.Errorf("dbFlag(%q) = %q, want %q", tt.db, got, tt.want)
		}
	}
}
