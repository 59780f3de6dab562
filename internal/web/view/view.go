// Package view is what Redress's two HTML surfaces, the staff pages
// (webui) and the residents' portal, share about showing a page: the
// vendored GOV.UK Frontend files, embedded and fingerprinted (Assets);
// the page templates, parsed once at start-up together with the layout
// blocks both surfaces use (ParsePages); a page written whole or not at
// all (Pages.Render); and a POST's form read before its handler, so that
// a body no page sends is the sender's 400 (ReadForm).
//
// It exists so that the portal need not import the staff pages to get
// these, and so that a fix to one surface's page handling is a fix to
// both. What the surfaces share about a request rather than a page (the
// error model, the request wrapper, the client's address) is in package
// web, beside it.
package view
