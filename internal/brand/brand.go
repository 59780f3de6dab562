// Package brand answers, for every surface, whose service this is: the
// landlord's name and logo, as the letterhead admins keep them, or the
// service name Redress was started with (--service-name) while there is
// no letterhead.
//
// The staff pages, the residents' pages, every email and the public
// summary ask the one Cache, so that they never disagree, and the
// letterhead is read once per change rather than once per request: the
// page that saves it tells the cache at once, and a short TTL picks up a
// change saved by another instance on the same database.
package brand

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
)

// DefaultName is the brand's name when neither a letterhead nor a service
// name is set: what the service is, since whose it is is not known.
const DefaultName = "Complaints"

// DefaultTTL is how long a brand read from the letterhead is used before
// it is read again. A letterhead saved on this instance is seen at once
// (Cache.Changed); the TTL only bounds how long another instance sharing
// the database shows the old one.
const DefaultTTL = 30 * time.Second

// LogoPath is where the logo is served, to anyone: the residents' pages
// show it to people who are not signed in.
const LogoPath = "/brand/logo"

// Brand is the landlord's identity as every surface shows it.
type Brand struct {
	// Name is the landlord's name: the letterhead's, else the service
	// name, else DefaultName. It is never empty.
	Name string
	// Logo is the letterhead's logo, PNG or JPEG, and LogoType its
	// content type; both empty when there is none.
	Logo     []byte
	LogoType string
	// Version changes whenever the name or the logo does, so that the
	// logo's address (LogoURL) can be cached for ever by browsers.
	Version string
}

// LogoURL is the logo's cacheable address, or "" when there is no logo.
func (b Brand) LogoURL() string {
	if len(b.Logo) == 0 {
		return ""
	}
	return LogoPath + "?v=" + b.Version
}

// Letterheads is what the cache needs of the store.
type Letterheads interface {
	Letterhead(ctx context.Context) (store.Letterhead, bool, error)
}

// Cache holds the brand, read from the letterhead at most once per TTL
// or per change. It is safe for concurrent use. Make one with New; a nil
// *Cache is DefaultName with no logo, for servers put together by hand
// in tests.
type Cache struct {
	store    Letterheads
	fallback string
	log      *slog.Logger
	// TTL is how long a read brand is kept; New sets DefaultTTL.
	TTL time.Duration

	mu     sync.Mutex
	cur    Brand
	readAt time.Time // on the real clock; zero when the brand must be read
}

// New returns a cache of the brand that st's letterhead gives, falling
// back to serviceName (DefaultName if empty) while there is none. log may
// be nil; so may st, for a server with no store, whose brand is then
// always serviceName.
func New(st Letterheads, serviceName string, log *slog.Logger) *Cache {
	if serviceName == "" {
		serviceName = DefaultName
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Cache{store: st, fallback: serviceName, log: log, TTL: DefaultTTL, cur: build(serviceName, nil)}
}

// Get returns the brand, reading the letterhead if the one held is older
// than the TTL or a change has been announced. A letterhead that cannot
// be read is logged and the brand last known kept: a page with last
// week's name is more use than an error page.
func (c *Cache) Get(ctx context.Context) Brand {
	if c == nil {
		return build(DefaultName, nil)
	}
	if c.store == nil {
		return c.cur // the service name: a server without a store
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// The TTL is measured on the real clock, not a server's injected
	// one: it is about how stale a copy may get, not about dates.
	now := clock.Wall()
	if !c.readAt.IsZero() && now.Sub(c.readAt) < c.TTL {
		return c.cur
	}
	c.readAt = now
	lh, ok, err := c.store.Letterhead(ctx)
	switch {
	case err != nil:
		c.log.Warn("could not read the letterhead for the brand: keeping the brand last known", "err", err)
	case ok && lh.Name != "":
		c.cur = build(lh.Name, lh.Logo)
	default:
		c.cur = build(c.fallback, nil)
	}
	return c.cur
}

// Name is Get's name, for the surfaces that show no logo (email).
func (c *Cache) Name(ctx context.Context) string { return c.Get(ctx).Name }

// Changed says the letterhead has just been saved, so that the next Get
// reads it rather than waiting for the TTL.
func (c *Cache) Changed() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.readAt = time.Time{}
	c.mu.Unlock()
}

// ServeLogo serves the logo. Asked for with the current version (as
// LogoURL gives it), it may be cached for a year, since a new logo has a
// new address; asked for without, or with an old one, it is the current
// logo, cached briefly. With no logo it is 404.
func (c *Cache) ServeLogo(w http.ResponseWriter, r *http.Request) {
	b := c.Get(r.Context())
	if len(b.Logo) == 0 {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == b.Version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=60")
	}
	w.Header().Set("Content-Type", b.LogoType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("ETag", `"`+b.Version+`"`)
	if r.Header.Get("If-None-Match") == `"`+b.Version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(b.Logo)
}

// build builds a brand and its version from a name and a logo.
func build(name string, logo []byte) Brand {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write(logo)
	b := Brand{Name: name, Version: hex.EncodeToString(h.Sum(nil))[:16]}
	if len(logo) > 0 {
		b.Logo = logo
		// The letterhead page takes only PNG and JPEG, checked by content.
		b.LogoType = http.DetectContentType(logo)
	}
	return b
}
