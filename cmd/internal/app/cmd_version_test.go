package app

import (
	"regexp"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// No configuration is read: a broken one must not stop `insights version`.
			out, errOut, code := run(t, append([]string{"--config", "/nonexistent/insights.toml"}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			want := []string{`^insights +\S+`, `^commit +\S+`, `^built +\S+`, `^go +go1\.\d+`, `^duckdb +v1\.\d+\.\d+ \(\w+\)$`}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
			}
			for i, re := range want {
				if !regexp.MustCompile(re).MatchString(lines[i]) {
					t.Errorf("line %d %q does not match %s", i+1, lines[i], re)
				}
			}
		})
	}
}

func TestVersionStamps(t *testing.T) {
	defer func(v, c, b string) { version, commit, buildTime = v, c, b }(version, commit, buildTime)
	version, commit, buildTime = "v1.2.3", "abc123", "2026-12-01T10:00:00Z"
	v := versionInfo(t.Context())
	if v.Version != "v1.2.3" || v.Commit != "abc123" || v.BuildTime != "2026-12-01T10:00:00Z" {
		t.Errorf("stamped values not used: %+v", v)
	}
}
