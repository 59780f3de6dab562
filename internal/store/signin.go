package store

import (
	"context"
	"time"
)

// SignInAttempt is one try at signing in with a password. It is recorded
// before the password is checked and forgotten once the password proves
// good, so that until then it counts as a failure.
type SignInAttempt struct {
	// Account is the email address typed, whether or not a user has it,
	// so that guessing at accounts that do not exist is throttled alike
	// and the throttle does not tell which exist.
	Account string
	// Address is the client's IP address.
	Address string
	// Device is the id of a valid device cookie for Account (a browser
	// that has signed in to it before), "" for none.
	Device string
	At     time.Time
}

// SignInLimits bound the attempts not proven good (failed, or still being
// checked) within a window. A limit is how many such attempts may be made
// before the next is refused; 0 means no limit.
//
// Attempts with a device cookie count only against PerDevice, and those
// without count only against the other three: someone at a browser they
// have signed in with before is not locked out by failures from
// elsewhere, and a stolen device cookie is worth only its own few tries.
type SignInLimits struct {
	// Since starts the window: attempts before it do not count.
	Since time.Time
	// PerDevice bounds the attempts made with one device cookie.
	PerDevice int
	// PerAccountAddress bounds the attempts at one account from one
	// address: the tight limit, since it locks out only that address.
	PerAccountAddress int
	// PerAddress bounds the attempts from one address at any account, so
	// that one address cannot try one password at many accounts.
	PerAddress int
	// PerAccount bounds the attempts at one account from every address
	// together. It is much higher than PerAccountAddress: it is the
	// limit that locks an account as a whole (for browsers without a
	// device cookie), so it is reached only by guessing from many
	// addresses.
	PerAccount int
}

// The limits BeginSignIn can report as reached.
const (
	LimitDevice         = "device"
	LimitAccountAddress = "account_address"
	LimitAddress        = "address"
	LimitAccount        = "account"
)

// SignInFailures is what an administrator is shown of one account's
// attempts not proven good within a window.
type SignInFailures struct {
	Account string
	// Attempts counts them all, with and without a device cookie.
	Attempts int
	// Addresses counts the addresses they came from.
	Addresses int
	// LockedAddresses counts the addresses that have reached
	// PerAccountAddress for the account, and LockedDevices the device
	// cookies that have reached PerDevice.
	LockedAddresses int
	LockedDevices   int
	// Locked is set when the account as a whole has reached PerAccount:
	// it can then be signed in to only from a browser with a device
	// cookie, until the window passes or an administrator clears it.
	Locked bool
	Last   time.Time
}

// SignInStore is what signing in with a password needs beyond users and
// sessions: a throttle that counts attempts so that passwords cannot be
// guessed quickly, without letting anyone lock a member of staff out; and
// the upgrade of a password hash made with older parameters.
type SignInStore interface {
	// BeginSignIn records a before its password is checked, in one
	// transaction with the count of attempts that limits it, so that
	// however many attempts arrive at once no more than the limits are
	// let through to be checked. It returns the attempt's id; or, if a
	// limit has been reached, 0 and the limit (one of the Limit
	// constants), recording nothing. It also forgets attempts more than a
	// day old, so the table stays small.
	BeginSignIn(ctx context.Context, a SignInAttempt, l SignInLimits) (id int64, limit string, err error)
	// SignInSucceeded forgets attempt id, whose password proved good, and
	// the earlier failures it makes moot: those with its device cookie,
	// or (without one) those at its account from its address. Failures
	// at the account from elsewhere stay counted. An id already forgotten
	// (cleared by an administrator) is not an error.
	SignInSucceeded(ctx context.Context, id int64) error
	// FailedSignIns summarises, by account, the attempts not proven good
	// since l.Since, most first, judged against l.
	FailedSignIns(ctx context.Context, l SignInLimits) ([]SignInFailures, error)

	// RecordLoginFailure records a failed attempt at account (an email
	// address) from no known address and without a device cookie, as
	// failures carried over from elsewhere are; CountLoginFailures counts
	// an account's attempts not proven good since a time, from anywhere;
	// and ClearLoginFailures forgets them all, as an administrator does
	// to lift a lock-out or after resetting a password.
	RecordLoginFailure(ctx context.Context, account string, at time.Time) error
	CountLoginFailures(ctx context.Context, account string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, account string) error

	// UpgradePasswordHash replaces a user's password hash with one of the
	// same password made with the current parameters, only if the stored
	// hash is still old: a password set or reset while sign-in was
	// hashing is kept, not overwritten with the previous one. It reports
	// whether it replaced the hash; must_change_password is untouched.
	UpgradePasswordHash(ctx context.Context, userID int64, old, new string) (bool, error)
}
