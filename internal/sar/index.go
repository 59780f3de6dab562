package sar

import (
	"html/template"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// indexPage is index.html: the index as a page that opens in any browser
// from the unzipped folder, linking each file by its path. It is plain
// HTML with no script or outside style, so that it reads the same
// offline and years from now.
var indexPage = template.Must(template.New("index").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(calendar.London).Format("2 January 2006 15:04")
	},
}).Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Subject access export for {{.Person}}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;line-height:1.4}table{border-collapse:collapse;width:100%}th,td{border:1px solid #505a5f;padding:.3em;text-align:left;vertical-align:top}caption{text-align:left;font-weight:bold}</style>
</head>
<body>
<main>
<h1>Subject access export</h1>
<p>For {{.Person}}, prepared by {{.Landlord}} on {{when .MadeAt}} (London time) by {{.MadeBy}}, from its complaints system, Redress.</p>
<p>It holds every case that names this person, across all cases: each case as stored, its audit trail, its notes, its letters, the emails sent to them and received from them, and the files sent with it; and any entry about them in the register of restricted contact.</p>
<h2>What has been taken out, and why</h2>
<p>{{.Redaction}}</p>
<h2>Cases ({{len .Cases}})</h2>
{{range .Cases}}
<section aria-labelledby="case-{{.Reference}}">
<h3 id="case-{{.Reference}}">Case {{.Reference}}</h3>
<p>{{.Kind}}, {{.Status}}, received {{when .ReceivedAt}}{{if .Confidential}}, confidential{{end}}. This person is its {{range $i, $r := .Roles}}{{if $i}} and {{end}}{{$r}}{{end}}.{{if .Summary}} Summary: {{.Summary}}{{end}}</p>
{{if .NamesOthers}}<p>This case also names other people: their details are redacted.</p>{{end}}
<table>
<caption>Files of case {{.Reference}}</caption>
<thead><tr><th scope="col">File</th><th scope="col">What it is</th><th scope="col">Date</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
{{range .Files}}<tr><td><a href="{{.Path}}">{{.Path}}</a></td><td>{{.Description}}</td><td>{{when .At}}</td><td><code>{{.SHA256}}</code></td></tr>
{{end}}</tbody>
</table>
{{with .Withheld}}<h4>Withheld from case</h4>
<ul>{{range .}}<li>{{.Description}}: {{.Reason}}</li>{{end}}</ul>{{end}}
</section>
{{end}}
<h2>Restrictions of contact ({{len .Restrictions}})</h2>
{{if .Restrictions}}<ul>{{range .Restrictions}}<li><a href="{{.Path}}">{{.Path}}</a>: {{.Description}} (SHA-256 <code>{{.SHA256}}</code>)</li>{{end}}</ul>
{{else}}<p>The register of restricted contact holds nothing about this person.</p>{{end}}
</main>
</body>
</html>
`))
