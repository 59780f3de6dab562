// Command mknotice rewrites NOTICE at the repository's root from the
// modules linked into ./cmd/redress and their licence files (package
// notice). Run it from the repository's root after changing a
// dependency: go run ./internal/notice/mknotice
package main

import (
	"fmt"
	"os"

	"github.com/redresshq/redress/internal/notice"
)

func main() {
	b, err := notice.Generate(".")
	if err == nil {
		err = os.WriteFile("NOTICE", b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mknotice:", err)
		os.Exit(1)
	}
}
