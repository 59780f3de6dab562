package app

import "net/http"

// hsts is the Strict-Transport-Security sent when cookies are secure: a
// year, every subdomain. Browsers heed it only over HTTPS, where it stops
// a later visit from being downgraded to plain HTTP (and its session
// cookie from being stripped of Secure by whoever sits in between).
const hsts = "max-age=31536000; includeSubDomains"

// strictTransport adds HSTS to every response of h (the staff pages, the
// residents' pages and the API alike) when secure is set, which says
// Redress is served over TLS. It wraps the one handler the server runs,
// so no surface, error page or refusal goes without it. Without secure it
// is h as it is: a server that says it is not behind TLS must not ask
// browsers to insist on TLS for its host for a year.
func strictTransport(h http.Handler, secure bool) http.Handler {
	if !secure {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hsts)
		h.ServeHTTP(w, r)
	})
}
