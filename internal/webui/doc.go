// Package webui is the staff web application: server-rendered pages with
// the GOV.UK Frontend, working without JavaScript. What it shares with
// the residents' portal about showing a page (the front-end files, page
// parsing, the layout's shared blocks, form reading) is in package view,
// so that neither surface imports the other.
package webui
