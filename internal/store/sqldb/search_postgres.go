package sqldb

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/redresshq/redress/internal/complaint"
)

// pgSearch is PostgreSQL's search, on the table case_search: the case's
// words as a tsvector (full-text search, with a GIN index) and its
// contact keys as text (with trigram GIN indexes, pg_trgm). The words are
// split and folded here, in Go, exactly as SQLite's unicode61 tokenizer
// splits and folds them, and the query is built from the same words, so
// both databases find the same cases for the same typing.
type pgSearch struct{}

func (pgSearch) index(ctx context.Context, tx *sql.Tx, _ bool, c complaint.Case) error {
	phones, postcodes, emails := contactKeys(c)
	_, err := tx.ExecContext(ctx, `INSERT INTO case_search (case_id, words, phone, postcode, email) VALUES (?, CAST(? AS tsvector), ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET words = excluded.words, phone = excluded.phone, postcode = excluded.postcode, email = excluded.email`,
		c.ID, tsvector(searchText(c)), phones, postcodes, emails)
	return err
}

func (pgSearch) condition(q string) (string, []any) {
	var subs []string
	var args []any
	if m := tsquery(q); m != "" {
		subs = append(subs, `SELECT case_id FROM case_search WHERE words @@ CAST(? AS tsquery)`)
		args = append(args, m)
	}
	if p := referencePattern(q); p != "" {
		subs = append(subs, `SELECT case_id FROM case_refs WHERE reference LIKE ?`)
		args = append(args, strings.TrimSuffix(p, "*")+"%")
	}
	if k := contactLikes(q); len(k) > 0 {
		var ors []string
		for _, kv := range k {
			ors = append(ors, kv[0]+` LIKE ? ESCAPE '\'`)
			args = append(args, kv[1])
		}
		subs = append(subs, `SELECT case_id FROM case_search WHERE `+strings.Join(ors, ` OR `))
	}
	if len(subs) == 0 {
		return "", nil
	}
	return `c.id IN (` + strings.Join(subs, ` UNION `) + `)`, args
}

// words splits text as SQLite's unicode61 tokenizer does (with its
// default remove_diacritics=1): a word is a run of letters, numbers and
// private-use characters; it is folded to lower case and its diacritics
// removed.
func words(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Co, r)
	}) {
		var b strings.Builder
		for _, r := range norm.NFD.String(w) {
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		}
		if b.Len() > 0 {
			out = append(out, b.String())
		}
	}
	return out
}

// maxPosition is the largest word position a tsvector holds.
const maxPosition = 16383

// tsvector writes text's words as a tsvector literal with their
// positions, so that a phrase typed in the search box is matched as
// words next to each other, as FTS5 matches a quoted phrase.
func tsvector(text string) string {
	var b strings.Builder
	for i, w := range words(text) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tsLexeme(w))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(min(i+1, maxPosition)))
	}
	return b.String()
}

// tsquery is ftsQuery's meaning as a tsquery: each thing typed, split
// into words, is a phrase whose last word is a prefix, and every phrase
// must match.
func tsquery(q string) string {
	var phrases []string
	for _, term := range strings.Fields(ftsQuery(q)) {
		term = strings.TrimSuffix(strings.Trim(strings.TrimSuffix(term, "*"), `"`), `"`)
		ws := words(term)
		if len(ws) == 0 {
			continue
		}
		parts := make([]string, len(ws))
		for i, w := range ws {
			parts[i] = tsLexeme(w)
		}
		parts[len(parts)-1] += ":*"
		phrases = append(phrases, "("+strings.Join(parts, " <-> ")+")")
	}
	return strings.Join(phrases, " & ")
}

// tsLexeme quotes a word for a tsvector or tsquery literal.
func tsLexeme(w string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + "'"
}

// contactLikes are the LIKE patterns of case_search's columns for what
// was typed read as a phone number, a postcode or part of an email, as
// contactQuery reads it for SQLite: any substring of the keys.
func contactLikes(q string) [][2]string {
	q = strings.TrimSpace(q)
	var out [][2]string
	like := func(s string) string {
		return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
	}
	if isPhoneLike(q) {
		if k := phoneKey(q); len(k) >= minPhoneDigits {
			out = append(out, [2]string{"phone", like(k)})
		}
	}
	if k := postcodeKey(q); isPostcodeLike(k) {
		out = append(out, [2]string{"postcode", like(k)})
	}
	if e := strings.ToLower(strings.ReplaceAll(q, `"`, ``)); e != "" && !strings.ContainsFunc(e, unicode.IsSpace) && len([]rune(e)) >= 3 {
		out = append(out, [2]string{"email", like(e)})
	}
	return out
}
