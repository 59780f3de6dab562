package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// proxies is the setting of a deployment behind a load balancer in
// 10.0.0.0/8 and a CDN edge at 198.51.100.0/24 and 2001:db8:ed6e::/48.
func proxies(t *testing.T) Proxies {
	t.Helper()
	ps, err := ParseProxies("10.0.0.0/8", " 198.51.100.0/24 ,2001:db8:ed6e::/48")
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestClientBehindTrustedProxiesIsTheRightmostUntrustedAddress walks
// X-Forwarded-For from the right only while each address is a trusted
// proxy, so a client can never name itself: what it sends is left of the
// address its first proxy appends.
func TestClientBehindTrustedProxiesIsTheRightmostUntrustedAddress(t *testing.T) {
	for _, tt := range []struct {
		name   string
		remote string
		xff    []string // one entry per header line
		want   string   // what ClientAddr gives
	}{
		{"no proxy, no header", "203.0.113.9:5000", nil, "203.0.113.9"},
		{"a spoofed header from an untrusted peer is ignored", "203.0.113.9:5000", []string{"192.0.2.1"}, "203.0.113.9"},
		{"a spoofed header naming a proxy from an untrusted peer is ignored", "203.0.113.9:5000", []string{"10.0.0.1, 192.0.2.1"}, "203.0.113.9"},
		{"one trusted proxy", "10.0.0.2:41000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"one trusted proxy, its peer's port kept", "10.0.0.2:41000", []string{"203.0.113.9:6123"}, "203.0.113.9"},
		{"the client's own header is left of the proxy's entry", "10.0.0.2:41000", []string{"192.0.2.1, 192.0.2.2, 203.0.113.9"}, "203.0.113.9"},
		{"a chain of trusted proxies", "10.0.0.2:41000", []string{"203.0.113.9, 198.51.100.7, 10.1.2.3"}, "203.0.113.9"},
		{"a chain across header lines", "10.0.0.2:41000", []string{"192.0.2.1, 203.0.113.9", "198.51.100.7", "10.1.2.3"}, "203.0.113.9"},
		{"a spoofed proxy left of the real client is not reached", "10.0.0.2:41000", []string{"10.9.9.9, 203.0.113.9, 198.51.100.7"}, "203.0.113.9"},
		{"every address a proxy: the left-most", "10.0.0.2:41000", []string{"10.5.5.5, 198.51.100.7"}, "10.5.5.5"},
		{"a trusted proxy with no header is the client", "10.0.0.2:41000", nil, "10.0.0.2"},
		{"an IPv6 client behind an IPv6 proxy, by its /64", "[2001:db8:ed6e::1]:443", []string{"2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"},
		{"a bracketed IPv6 client with a port", "[2001:db8:ed6e::1]:443", []string{"[2001:db8:1:2::9]:5000"}, "2001:db8:1:2::/64"},
		{"an IPv4-mapped client as IPv4", "10.0.0.2:41000", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"an IPv4-mapped proxy peer is trusted", "[::ffff:10.0.0.2]:41000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"an IPv4-mapped hop is a trusted proxy", "10.0.0.2:41000", []string{"203.0.113.9, ::ffff:198.51.100.7"}, "203.0.113.9"},
		{"malformed: garbage stops at the proxy that wrote it", "10.0.0.2:41000", []string{"203.0.113.9, garbage"}, "10.0.0.2"},
		{"malformed: unknown stops at the last trusted hop", "10.0.0.2:41000", []string{"203.0.113.9, unknown, 198.51.100.7"}, "198.51.100.7"},
		{"malformed: an empty entry", "10.0.0.2:41000", []string{"203.0.113.9,"}, "10.0.0.2"},
		{"malformed: an empty header", "10.0.0.2:41000", []string{""}, "10.0.0.2"},
		{"malformed: a network, not an address", "10.0.0.2:41000", []string{"203.0.113.0/24"}, "10.0.0.2"},
		{"malformed: a host name", "10.0.0.2:41000", []string{"evil.example"}, "10.0.0.2"},
		{"malformed left of the client is never read", "10.0.0.2:41000", []string{"garbage, 203.0.113.9"}, "203.0.113.9"},
		{"a peer with no address keeps its name", "pipe", []string{"203.0.113.9"}, "pipe"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientVia(proxies(t), r); got != tt.want {
				t.Errorf("RemoteAddr %s, X-Forwarded-For %q: %q, want %q", tt.remote, tt.xff, got, tt.want)
			}
		})
	}
}

// clientVia is ClientAddr as a handler behind ps.Handler sees it.
func clientVia(ps Proxies, r *http.Request) string {
	var got string
	ps.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientAddr(r) })).ServeHTTP(httptest.NewRecorder(), r)
	return got
}

// TestNoTrustedProxiesIsTheConnectionsAddressAsBefore keeps the default
// what it was before the setting: with no proxies named, nothing a request
// sends changes who its client is.
func TestNoTrustedProxiesIsTheConnectionsAddressAsBefore(t *testing.T) {
	none, err := ParseProxies()
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range []Proxies{nil, none} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "127.0.0.1:5000"
		r.Header.Set("X-Forwarded-For", "203.0.113.9")
		if got := clientVia(ps, r); got != "127.0.0.1" {
			t.Errorf("%v: %q, want the connection's 127.0.0.1", ps, got)
		}
	}
}

func TestParseProxiesReadsNetworksAndAddressesAndRefusesTheRest(t *testing.T) {
	ps, err := ParseProxies("10.0.0.1/8, 192.0.2.7", "", "2001:db8::/32,", "::1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "::1/128"}
	if len(ps) != len(want) {
		t.Fatalf("%v, want %v", ps, want)
	}
	for i, p := range ps {
		if p.String() != want[i] {
			t.Errorf("%d: %s, want %s", i, p, want[i])
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.internal", "10.0.0", "10.0.0.0/8;192.0.2.0/24", "fe80::1%eth0", "::ffff:10.0.0.0/104"} {
		if _, err := ParseProxies("192.0.2.1", bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v, want an error naming it", bad, err)
		}
	}
}
