package app

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Set at link time by `make build` (-ldflags -X); a plain `go build` falls
// back to what the Go toolchain stamps into the binary (module version, VCS
// revision and time).
var (
	version   = ""
	commit    = ""
	buildTime = ""
)

// VersionInfo is what `insights version` prints.
type VersionInfo struct {
	Version   string // the tag (git describe) or the module version
	Commit    string // VCS revision, "+dirty" when built from a modified tree
	BuildTime string // RFC 3339, UTC; "unknown" when not stamped
	Go        string
	DuckDB    string // the linked DuckDB library (version and source id)
}

// versionInfo collects the version from the link-time stamps, else the build info.
func versionInfo(ctx context.Context) VersionInfo {
	v := VersionInfo{Version: version, Commit: commit, BuildTime: buildTime, Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v.Version == "" {
			v.Version = bi.Main.Version
		}
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if v.Commit == "" {
			v.Commit = settings["vcs.revision"]
			if v.Commit != "" && settings["vcs.modified"] == "true" {
				v.Commit += "+dirty"
			}
		}
		if v.BuildTime == "" && settings["vcs.time"] != "" {
			v.BuildTime = "unknown (commit time " + settings["vcs.time"] + ")"
		}
	}
	for _, p := range []*string{&v.Version, &v.Commit, &v.BuildTime} {
		if *p == "" || *p == "(devel)" {
			*p = "unknown"
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if lib, src, err := duckstore.LibraryVersion(ctx); err != nil {
		v.DuckDB = "unknown (" + err.Error() + ")"
	} else {
		v.DuckDB = lib + " (" + src + ")"
	}
	return v
}

// print writes the version block.
func (v VersionInfo) print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "insights\t%s\n", v.Version)
	fmt.Fprintf(tw, "commit\t%s\n", v.Commit)
	fmt.Fprintf(tw, "built\t%s\n", v.BuildTime)
	fmt.Fprintf(tw, "go\t%s\n", v.Go)
	fmt.Fprintf(tw, "duckdb\t%s\n", v.DuckDB)
	return tw.Flush()
}

func newVersionCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build time, Go version and DuckDB library version (also --version)",
		Args:  cobra.NoArgs,
		// No configuration or database needed: it must work anywhere.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return versionInfo(cmd.Context()).print(a.Out)
		},
	}
}
