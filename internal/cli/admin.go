package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// adminCmd runs the administrator's commands that work on the database
// directly, for when nobody can sign in yet (the first admin) or an
// admin has lost their password.
func adminCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("admin needs a subcommand: create-user or reset-password")
	}
	switch args[0] {
	case "create-user":
		return createUserCmd(args[1:], stdout)
	case "reset-password":
		return resetPasswordCmd(args[1:], stdout)
	}
	return usagef("unknown admin subcommand %q: want create-user or reset-password", args[0])
}

// createUserCmd makes a user with a one-time password. Creating a new
// database file is allowed, since that is how the first admin is made.
func createUserCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin create-user", flag.ContinueOnError)
	settings := newConfig(fs, "db")
	email := fs.String("email", "", "the user's email address, which they sign in with")
	role := fs.String("role", "", "the user's role: "+enum.List(auth.Roles))
	name := fs.String("name", "", "the user's name (default: the email address)")
	cfg, pos, err := settings.load(args)
	if err != nil {
		return err
	}
	db := &cfg.DB
	if len(pos) > 0 {
		return usagef("admin create-user takes no arguments, only flags; got %q", pos[0])
	}
	addr, err := emailFlag(*email)
	if err != nil {
		return err
	}
	if *role == "" {
		return usagef("--role is required: want %s", enum.List(auth.Roles))
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return usagef("--role: %v", err)
	}
	n := strings.TrimSpace(*name)
	if n == "" {
		n = addr
	}
	if len(n) > 200 {
		return usagef("--name: is longer than 200 characters")
	}

	ctx := context.Background()
	st, err := sqldb.Open(ctx, *db, sqldb.Options{})
	if err != nil {
		return usagef("--db: %v", err)
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, store.User{Email: addr, Name: n, Role: string(r)})
	if complaint.ErrorCode(err) == complaint.Conflict {
		return usagef("--email: a user with email %s already exists; to give them a new password run redress admin reset-password --email %s", addr, addr)
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	pw, err := setOneTimePassword(ctx, st, u)
	if err != nil {
		return fmt.Errorf("user %s was created but has no password yet; run redress admin reset-password --email %s: %w", addr, addr, err)
	}
	fmt.Fprintf(stdout, "Created user %d, %s (%s), in %s.\n", u.ID, u.Email, u.Role, *db)
	printOneTimePassword(stdout, pw)
	return nil
}

// resetPasswordCmd gives a user a new one-time password and signs them
// out everywhere, for a forgotten or compromised password.
func resetPasswordCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin reset-password", flag.ContinueOnError)
	settings := newConfig(fs, "db")
	email := fs.String("email", "", "the email address of the user")
	cfg, pos, err := settings.load(args)
	if err != nil {
		return err
	}
	db := &cfg.DB
	if len(pos) > 0 {
		return usagef("admin reset-password takes no arguments, only flags; got %q", pos[0])
	}
	addr, err := emailFlag(*email)
	if err != nil {
		return err
	}
	// A mistyped path must not create an empty database and report
	// "no such user" from it.
	if err := existingDB(*db); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := sqldb.Open(ctx, *db, sqldb.Options{})
	if err != nil {
		return usagef("--db: %v", err)
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, addr)
	if complaint.ErrorCode(err) == complaint.NotFound {
		return usagef("--email: there is no user with email %s in %s", addr, *db)
	}
	if err != nil {
		return err
	}
	// The old password may be known to someone else: ResetPassword ends
	// every session made with it, and records the reset in the user
	// audit, as a reset from the users page is, naming the command line
	// as who made it (the shell's user is not Redress's to know).
	pw := auth.NewOneTimePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	by := store.UserChange{Actor: store.User{Email: "redress admin reset-password (command line)"}, At: clock.Wall()}
	if err := st.ResetPassword(ctx, by, u.ID, hash, true, "one-time password set from the command line"); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	// Lift any lock-out so the new password works at once.
	if err := st.ClearLoginFailures(ctx, u.Email); err != nil {
		return fmt.Errorf("the password was reset but clearing failed sign-ins failed: %w", err)
	}
	fmt.Fprintf(stdout, "Reset the password of user %d, %s (%s), and signed them out everywhere.\n", u.ID, u.Email, u.Role)
	printOneTimePassword(stdout, pw)
	return nil
}

// passwordSetter is all setOneTimePassword needs of the store: it sets a
// password and nothing else, so its one method is its whole interface.
type passwordSetter interface {
	SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error
}

// setOneTimePassword stores a new one-time password for u, to be changed
// at first sign-in, and returns it.
func setOneTimePassword(ctx context.Context, st passwordSetter, u store.User) (string, error) {
	pw := auth.NewOneTimePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return "", err
	}
	if err := st.SetPassword(ctx, u.ID, hash, true); err != nil {
		return "", fmt.Errorf("set password: %w", err)
	}
	return pw, nil
}

func printOneTimePassword(w io.Writer, pw string) {
	fmt.Fprintf(w, "One-time password: %s\n", pw)
	fmt.Fprintln(w, "It is shown only this once. Give it to the user privately: they must change it at first sign-in.")
}

// emailFlag checks the --email flag's value.
func emailFlag(v string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", usagef("--email is required")
	case !strings.Contains(v, "@") || strings.HasPrefix(v, "@") || strings.HasSuffix(v, "@"):
		return "", usagef("--email: %q is not an email address", v)
	case len(v) > 200:
		return "", usagef("--email: is longer than 200 characters")
	}
	return v, nil
}
