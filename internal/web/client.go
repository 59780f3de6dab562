package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies a deployment trusts to say who their
// client was, in X-Forwarded-For: the setting --trusted-proxy
// (REDRESS_TRUSTED_PROXIES). The zero value trusts none, and then the
// client is the connection's address, whatever headers a request brings.
//
// Only X-Forwarded-For is read, since every common proxy (nginx,
// HAProxy, Caddy, the cloud load balancers) writes it; a trusted proxy
// must append the address it was connected from to it (nginx's
// $proxy_add_x_forwarded_for), or replace it, never pass on only what its
// client sent.
type Proxies []netip.Prefix

// ParseProxies reads trusted proxies from networks in CIDR notation
// ("10.0.0.0/8", "2001:db8::/32") or single addresses ("192.0.2.7"), each
// item of list possibly itself a comma-separated list, as a repeated flag
// or an environment variable gives them. Blank items are skipped. An item
// that is neither is an error naming it, so that a typo cannot quietly
// trust nobody, or everybody.
func ParseProxies(list ...string) (Proxies, error) {
	var ps Proxies
	for _, item := range list {
		for s := range strings.SplitSeq(item, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			p, err := parseProxy(s)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
	}
	return ps, nil
}

func parseProxy(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		a, aerr := netip.ParseAddr(s)
		if aerr != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q is not a network such as 10.0.0.0/8 or an address such as 192.0.2.7", s)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	// Addresses are compared unmapped (see Client), so an IPv4 network
	// written in IPv6 would never match anything.
	if p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("%q is an IPv4 network written as IPv6: write it as IPv4, such as 10.0.0.0/8", s)
	}
	return p.Masked(), nil
}

// trusts reports whether a is one of the proxies.
func (ps Proxies) trusts(a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client returns the address of r's client, and false if r's connection
// has no IP address (a test's pipe). Unless the connection comes from a
// trusted proxy, that is the connection's address and no header is read,
// since anyone can send one. From a trusted proxy, it is the right-most
// address in X-Forwarded-For that is not itself a trusted proxy: each
// proxy appends the address it was connected from, so the entries right
// of that one were written by proxies we trust, and the entries left of
// it by whoever the client was, who may have written anything.
//
// If every address is a trusted proxy, the client is the left-most. An
// entry that is not an address (empty, "unknown", garbage) ends the walk
// at the last proxy known to be real, the one that wrote it: its clients
// then share one limit, which is a misconfiguration to fix, but never
// lets a client name itself.
func (ps Proxies) Client(r *http.Request) (netip.Addr, bool) {
	peer, ok := remoteIP(r.RemoteAddr)
	if !ok || !ps.trusts(peer) {
		return peer, ok
	}
	client := peer
	headers := r.Header.Values("X-Forwarded-For")
	for i := len(headers) - 1; i >= 0; i-- {
		hops := strings.Split(headers[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			a, ok := hopIP(hops[j])
			if !ok {
				return client, true
			}
			client = a
			if !ps.trusts(a) {
				return client, true
			}
		}
	}
	return client, true
}

// Handler gives every request through h the client address Client finds,
// for ClientAddr: the app puts it in front of every surface, so that the
// staff sign-in throttle and the portal's limits see the same client.
// With no trusted proxies it is h itself.
func (ps Proxies) Handler(h http.Handler) http.Handler {
	if len(ps) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a, ok := ps.Client(r); ok {
			r = r.WithContext(context.WithValue(r.Context(), clientKey{}, a))
		}
		h.ServeHTTP(w, r)
	})
}

type clientKey struct{}

// ClientAddr names the client of a request for rate limits and sign-in
// throttling: the address Proxies.Handler found for it behind trusted
// proxies, else the connection's address; an IPv4-mapped IPv6 address as
// its IPv4 address, and any other IPv6 address by its /64, which one
// household or phone usually holds whole (so it cannot dodge a limit by
// taking the next address of its own network).
//
// A forwarding header (X-Forwarded-For, Forwarded) is never read here:
// only Proxies.Handler reads one, and only from a proxy the deployment
// names, since anyone can send one.
func ClientAddr(r *http.Request) string {
	ip, ok := r.Context().Value(clientKey{}).(netip.Addr)
	if !ok {
		if ip, ok = remoteIP(r.RemoteAddr); !ok {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				return r.RemoteAddr
			}
			return host
		}
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// remoteIP is the IP address of a connection's "host:port", unmapped and
// without an IPv6 zone.
func remoteIP(remote string) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// hopIP reads one X-Forwarded-For entry: an address, which some proxies
// write with a port ("192.0.2.7:5000", "[2001:db8::1]:443").
func hopIP(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}
