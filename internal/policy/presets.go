package policy

import (
	"embed"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed presets/*.yaml
var presetFiles embed.FS

// Default is the name of the policy Redress uses when none is chosen: the
// Code itself.
const Default = "code-2024"

// Code returns the Complaint Handling Code (2024) as a policy, parsed
// once. Reports measure against it whatever policy a landlord uses: the
// Tenant Satisfaction Measures ask about the Code's timescales.
var Code = sync.OnceValue(func() *Policy {
	p, err := Preset(Default)
	if err != nil {
		panic("policy: the built-in Code does not load: " + err.Error())
	}
	return p
})

// Presets returns the names of the built-in policies, the Code first.
func Presets() []string {
	entries, _ := presetFiles.ReadDir("presets")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.SortFunc(names, func(a, b string) int {
		switch {
		case a == Default:
			return -1
		case b == Default:
			return 1
		}
		return strings.Compare(a, b)
	})
	return names
}

// PresetYAML returns the YAML of a built-in policy, comments included.
func PresetYAML(name string) ([]byte, error) {
	data, err := presetFiles.ReadFile(path.Join("presets", name+".yaml"))
	if err != nil || strings.ContainsAny(name, "/\\") {
		return nil, fmt.Errorf("no preset policy %q: the presets are %s", name, strings.Join(Presets(), ", "))
	}
	return data, nil
}

// Preset returns a built-in policy by name.
func Preset(name string) (*Policy, error) {
	data, err := PresetYAML(name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// Open returns the preset called nameOrFile or, if there is none, the
// policy in the file of that name.
func Open(nameOrFile string) (*Policy, error) {
	if slices.Contains(Presets(), nameOrFile) {
		return Preset(nameOrFile)
	}
	if !strings.ContainsAny(nameOrFile, "./\\") {
		return nil, fmt.Errorf("no preset policy %q and no such file: the presets are %s", nameOrFile, strings.Join(Presets(), ", "))
	}
	f, err := os.Open(nameOrFile)
	if err != nil {
		return nil, fmt.Errorf("policy file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPolicySize+1))
	if err != nil {
		return nil, fmt.Errorf("policy file: %w", err)
	}
	return Parse(nameOrFile, data)
}
