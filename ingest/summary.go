package ingest

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Status is what happened to a file.
type Status string

// The statuses.
const (
	StatusLoaded      Status = "loaded"
	StatusSkipped     Status = "already ingested"
	StatusEmpty       Status = "empty"
	StatusQuarantined Status = "quarantined"
)

// ReasonCount is how many rows were rejected for one reason.
type ReasonCount struct {
	Dataset string
	Column  string // "" for whole-row problems
	Reason  string // without the offending value
	Count   int64
}

// FileResult is the outcome of one file.
type FileResult struct {
	Path          string
	Dataset       string
	Shape         string // the dataset's key shape the file has (Dataset.Keys)
	Format        string
	Bytes         int64
	Status        Status
	Note          string
	FileID        int64 // ingest_files.file_id of a loaded file
	Loaded        int64
	Rejected      int64
	Replaced      int64
	Rejects       []ReasonCount
	QuarantinedTo string
	Copied        bool // quarantine holds a copy; the file was left where it was
	Err           string
	Duration      time.Duration
}

// Summary is the outcome of one ingest run.
type Summary struct {
	Files []FileResult
}

func (s *Summary) add(r FileResult) { s.Files = append(s.Files, r) }

// Count returns how many files ended with status st.
func (s Summary) Count(st Status) int {
	n := 0
	for _, f := range s.Files {
		if f.Status == st {
			n++
		}
	}
	return n
}

// Totals sums rows loaded, rejected and replaced over all files.
func (s Summary) Totals() (loaded, rejected, replaced int64) {
	for _, f := range s.Files {
		loaded += f.Loaded
		rejected += f.Rejected
		replaced += f.Replaced
	}
	return
}

// Reasons merges the files' reject counts per dataset, column and reason,
// most frequent first.
func (s Summary) Reasons() []ReasonCount {
	type key struct{ d, c, r string }
	m := map[key]int64{}
	for _, f := range s.Files {
		for _, rc := range f.Rejects {
			m[key{rc.Dataset, rc.Column, rc.Reason}] += rc.Count
		}
	}
	out := make([]ReasonCount, 0, len(m))
	for k, n := range m {
		out = append(out, ReasonCount{Dataset: k.d, Column: k.c, Reason: k.r, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Dataset != b.Dataset {
			return a.Dataset < b.Dataset
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Reason < b.Reason
	})
	return out
}

// Print writes the summary for people: one line per file, the totals, and
// the rejects per reason.
func (s Summary) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tDATASET\tFORMAT\tLOADED\tREJECTED\tREPLACED\tSTATUS")
	for _, f := range s.Files {
		status := string(f.Status)
		switch {
		case f.Status == StatusQuarantined && f.QuarantinedTo != "" && f.Copied:
			status += " (copied to " + f.QuarantinedTo + "; the file stays where it is): " + f.Err
		case f.Status == StatusQuarantined && f.QuarantinedTo != "":
			status += " (moved to " + f.QuarantinedTo + "): " + f.Err
		case f.Status == StatusQuarantined:
			status += ": " + f.Err
		case f.Note != "":
			status += ": " + f.Note
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", f.Path, dash(f.Dataset), dash(f.Format), f.Loaded, f.Rejected, f.Replaced, status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	loaded, rejected, replaced := s.Totals()
	var parts []string
	for _, st := range []Status{StatusLoaded, StatusSkipped, StatusEmpty, StatusQuarantined} {
		if n := s.Count(st); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	detail := ""
	if len(parts) > 0 {
		detail = " (" + strings.Join(parts, ", ") + ")"
	}
	fmt.Fprintf(w, "\n%d file(s)%s; rows loaded %d, rejected %d, replaced %d\n", len(s.Files), detail, loaded, rejected, replaced)
	if reasons := s.Reasons(); len(reasons) > 0 {
		fmt.Fprintln(w, "\nrejected rows by reason (details: insights sql \"SELECT * FROM ingest_rejects\"):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, rc := range reasons {
			col := rc.Dataset
			if rc.Column != "" {
				col += "." + rc.Column
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\n", rc.Count, col, rc.Reason)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if n := s.Count(StatusQuarantined); n > 0 {
		fmt.Fprintf(w, "\n%d file(s) could not be read at all and were quarantined (see ingest_quarantine)\n", n)
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
