package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/rewards"
)

func newReviewCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "The rewards team's review of tier unlocks: list, decide, history",
		Long: `Review tier unlocks. Every decision (approve, reject, defer) is appended with who
took it, when and a note; nothing is ever overwritten, and the latest decision is the
one in force. Approving confirms the unlock: its benefits become activatable by the
partner (insights benefits, the portal's Rewards page), and a rejected unlock's benefits
are not offered. An approve needs a valid marketing contact (see the readiness column).`,
	}
	cmd.AddCommand(newReviewListCmd(a), newReviewDecideCmd(a), newReviewHistoryCmd(a))
	return cmd
}

func newReviewListCmd(a *App) *cobra.Command {
	var all bool
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List unlocks to decide (no decision yet or deferred); --all for every unlock",
		Example: `  insights review list
  insights review list --all --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := rewards.ReviewList(ctx, s, all)
			if err != nil {
				return err
			}
			return printTable(a.Out, t, format)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "every unlock, decided or not")
	addFormatFlag(cmd, &format)
	return cmd
}

func newReviewDecideCmd(a *App) *cobra.Command {
	var by, note, at string
	cmd := &cobra.Command{
		Use:   "decide UNLOCK_ID approve|reject|defer",
		Short: "Record a decision on an unlock (appended to its history)",
		Example: `  insights review decide 4100548:tier-2 approve --by "Ann Lee" --note "contact verified"
  insights review decide 4100411:tier-1 defer --by ann --note "waiting for a phone number"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			req := rewards.Request{UnlockID: args[0], Decision: args[1], By: by, Note: note}
			t, err := atFlag(at)
			if err != nil {
				return err
			}
			req.At = t
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			d, err := rewards.Decide(ctx, s, req)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "recorded decision %d: %s %s (%s, %s) by %s at %s\n",
				d.ID, d.Decision, d.UnlockID, d.PGAID, d.Tier, d.By, d.At.Format("2006-01-02 15:04:05")+" UTC")
			return nil
		},
	}
	cmd.Flags().StringVar(&by, "by", "", "who decides (required)")
	cmd.Flags().StringVar(&note, "note", "", "why")
	cmd.Flags().StringVar(&at, "at", "", "when the decision was taken, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] UTC (default now)")
	_ = cmd.MarkFlagRequired("by")
	return cmd
}

func newReviewHistoryCmd(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "history [UNLOCK_ID]",
		Short: "Show the decisions taken on one unlock, or on every unlock grouped by unlock",
		Long: `Show the review decisions of one unlock, oldest first, or without an unlock id every
decision recorded, grouped by unlock id (in id order) and oldest first within each unlock.
Nothing is ever removed: the last decision of an unlock is the one in force. An unknown
unlock id is an error (exit status 1); a known unlock without decisions is pending.`,
		Example: `  insights review history 4100548:tier-2
  insights review history --format csv > decisions.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			t, err := rewards.HistoryTable(ctx, s, id)
			if err != nil {
				return err
			}
			if len(t.Rows) == 0 && format == "table" {
				if id != "" {
					_, err = fmt.Fprintf(a.Out, "no decisions on %s yet: it is pending\n", strings.TrimSpace(id))
				} else {
					_, err = fmt.Fprintln(a.Out, "no decisions recorded yet")
				}
				return err
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

// parseInstant reads a UTC date or date-time.
// atFlag is an --at flag's instant: the zero time when the flag is unset (the
// callee then uses now), an error naming the flag when it is malformed.
func atFlag(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := parseInstant(s)
	if err != nil {
		return t, fmt.Errorf("--at: %w", err)
	}
	return t, nil
}

func parseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("want YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], got %q", s)
}
