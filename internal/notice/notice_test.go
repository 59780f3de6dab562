package notice

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository's root, from this package's directory.
const root = "../.."

// needGo skips a test where the go command is not on the PATH: these
// tests ask it what the binary links.
func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on the PATH")
	}
}

func TestNoticeListsEveryModuleLinkedIntoTheBinary(t *testing.T) {
	needGo(t)
	mods, err := Linked(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) == 0 {
		t.Fatal("go list found no modules linked into ./cmd/redress")
	}
	notice, err := os.ReadFile(filepath.Join(root, "NOTICE"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(notice), "\n")
	for _, m := range mods {
		want := m.Path + "@" + m.Version + "  "
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("NOTICE does not list %s@%s, which is linked into ./cmd/redress: run go run ./internal/notice/mknotice", m.Path, m.Version)
		}
	}
}

func TestNoticeIsWhatMknoticeWrites(t *testing.T) {
	needGo(t)
	want, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "NOTICE"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("NOTICE is stale (a dependency or a licence file changed): run go run ./internal/notice/mknotice")
	}
	for _, s := range []string{"GOV.UK Frontend", "Crown Copyright (Government Digital Service)", "SecLists", "CC BY-SA 3.0", "The Go Authors"} {
		if !bytes.Contains(got, []byte(s)) {
			t.Errorf("NOTICE does not mention %q", s)
		}
	}
}

// axe-core (MPL-2.0) is embedded by internal/browsertest for the browser
// tests; NOTICE leaves it out only because the binary does not link it.
func TestAxeCoreIsNotInTheBinary(t *testing.T) {
	needGo(t)
	cmd := exec.Command("go", "list", "-deps", "./cmd/redress")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasSuffix(pkg, "/internal/browsertest") || strings.Contains(pkg, "chromedp") {
			t.Errorf("./cmd/redress links %s: its assets (axe-core, MPL-2.0) would then need a place in NOTICE", pkg)
		}
	}
}

func TestIdentifyNamesTheLicence(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"MIT", "MIT License\n\nPermission is hereby granted, free of charge, to any person", "MIT"},
		{"Apache", "                                 Apache License\n   Version 2.0, January 2004", "Apache-2.0"},
		{"BSD-3-Clause", "Redistribution and use in source and binary forms ...\n   * Neither the name of Google LLC nor the names", "BSD-3-Clause"},
		{"BSD-2-Clause", "Redistribution and use in source and binary forms, with or without\nmodification, are permitted", "BSD-2-Clause"},
		{"MIT and Apache together, as yaml's", "covered by MIT and Apache.\nPermission is hereby granted, free of charge,\n Licensed under the Apache License, Version 2.0", "Apache-2.0 AND MIT"},
		{"ISC", "Permission to use, copy, modify, and/or distribute this software", "ISC"},
		{"a phrase wrapped across lines", "Permission is hereby granted,\n   free of charge", "MIT"},
		{"unknown", "All rights reserved. You may not copy this.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Identify(tc.text)
			if tc.want == "" {
				if err == nil {
					t.Errorf("Identify = %q, want an error for a licence nobody has read", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Identify = %q, %v, want %q", got, err, tc.want)
			}
		})
	}
}
