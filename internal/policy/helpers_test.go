package policy

import (
	"os"
	"time"
)

var fuzzTime = time.Date(2026, 12, 24, 16, 0, 0, 0, time.UTC)

func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o600) }
