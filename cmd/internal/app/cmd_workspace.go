package app

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The rewards workspace's actions for operators and scripts: the same package rewards
// code as the pages (docs/commands.md). Like every command they go through a running
// service's admin socket when `insights serve` holds the database.

func newBenefitsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "benefits",
		Short: "A company's benefits and their state; activate one for the company",
		Long: `A company's (PGA's) benefits in the current benefit period of each tier unlock, and its
one-time listing benefits, with their state: awaiting-review (the unlock is not approved
yet), available, activated, in-use (the rewards team made contact) or expired. A rejected
unlock's benefits are not offered. Activating records who and when, queues the
instructions to the marketing contact and starts the rewards team's 7-day clock.`,
	}
	cmd.AddCommand(newBenefitsListCmd(a), newBenefitsActivateCmd(a))
	return cmd
}

func newBenefitsListCmd(a *App) *cobra.Command {
	var format, asOf string
	cmd := &cobra.Command{
		Use:     "list PGA",
		Short:   "List a company's benefits with their state and key",
		Example: `  insights benefits list PGA-1001`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			at, err := asOfFlag(asOf)
			if err != nil {
				return err
			}
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			if _, known, err := rewards.Company(ctx, s, args[0]); err != nil {
				return err
			} else if !known {
				return fmt.Errorf("%w %q", rewards.ErrUnknownPGA, args[0])
			}
			bs, err := rewards.Benefits(ctx, s, args[0], at)
			if err != nil {
				return err
			}
			t := duckstore.Table{Columns: []string{"key", "category", "tier", "listing_type", "benefit", "state",
				"activated_by", "activated_at", "carried_over", "contacted_at", "expires_on", "next_refresh_on"}}
			for _, b := range bs {
				t.Rows = append(t.Rows, []any{b.Key, b.Category, b.Tier, b.ListingType, b.Name, b.State,
					b.ActivatedBy, timeOrNil(b.ActivatedAt), b.CarriedOver, timeOrNil(b.ContactedAt), timeOrNil(b.ExpiresOn), timeOrNil(b.NextRefreshOn)})
			}
			return printTable(a.Out, t, format)
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "state as of this instant, YYYY-MM-DD[THH:MM[:SS]] UTC (default now)")
	addFormatFlag(cmd, &format)
	return cmd
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

func asOfFlag(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := parseInstant(s)
	if err != nil {
		return t, fmt.Errorf("--as-of: %w", err)
	}
	return t, nil
}

func newBenefitsActivateCmd(a *App) *cobra.Command {
	var by, at string
	cmd := &cobra.Command{
		Use:     "activate PGA KEY",
		Short:   "Activate an available benefit (KEY from `insights benefits list`)",
		Example: `  insights benefits activate PGA-1001 "PGA-1001:tier-1:1:Transact:Go-to-market consultation" --by admin@contoso.example`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			in := rewards.ActivateInput{PGAID: args[0], Key: args[1], By: by}
			t, err := atFlag(at)
			if err != nil {
				return err
			}
			in.At = t
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			act, err := rewards.Activate(ctx, s, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "activated %s for %s (activation %d) by %s at %s; instructions queued to %s (message %d, %s); contact due by %s\n",
				act.Benefit.Name, args[0], act.ID, act.By, act.At.Format("2006-01-02 15:04:05 UTC"), act.Contact.Email,
				act.MessageID, act.Contact.Language, act.DueOn.Format(time.DateOnly))
			return nil
		},
	}
	cmd.Flags().StringVar(&by, "by", "", "who activates (required)")
	cmd.Flags().StringVar(&at, "at", "", "when, YYYY-MM-DD[THH:MM[:SS]] UTC (default now)")
	_ = cmd.MarkFlagRequired("by")
	return cmd
}

func newContactsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contacts",
		Short: "A company's marketing contact: assign one, show every assignment",
		Long: `The marketing contact receives the instructions of every activated benefit. It needs an
email that differs from the account email of every publisher profile of the company, a phone
number (stored as E.164) and a preferred language (en, fr, zh-Hans). Every assignment is kept;
the latest one, or a later row of the contacts landing file, is the contact.`,
	}
	cmd.AddCommand(newContactsAssignCmd(a), newContactsHistoryCmd(a))
	return cmd
}

func newContactsAssignCmd(a *App) *cobra.Command {
	var in rewards.ContactInput
	var at string
	cmd := &cobra.Command{
		Use:     "assign PGA",
		Short:   "Assign the company's marketing contact",
		Example: `  insights contacts assign PGA-1001 --name "Léa Martin" --email lea@contoso.example --phone "+33 1 23 45 67 89" --language fr --by ops`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			in.PGAID, in.Source = args[0], "cli"
			t, err := atFlag(at)
			if err != nil {
				return err
			}
			in.At = t
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			c, err := rewards.AssignContact(ctx, s, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "assigned %s <%s> %s (%s) as the marketing contact of %s, by %s at %s\n",
				c.Name, c.Email, c.Phone, c.Language, c.PGAID, c.AssignedBy, c.AssignedAt.Format("2006-01-02 15:04:05 UTC"))
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Name, "name", "", "the contact's name (required)")
	cmd.Flags().StringVar(&in.Email, "email", "", "the contact's email (not the account's)")
	cmd.Flags().StringVar(&in.Phone, "phone", "", "phone with its country code, e.g. +33 1 23 45 67 89")
	cmd.Flags().StringVar(&in.Language, "language", "", "preferred language: en, fr or zh-Hans")
	cmd.Flags().StringVar(&in.By, "by", "", "who assigns (required)")
	cmd.Flags().StringVar(&at, "at", "", "when, YYYY-MM-DD[THH:MM[:SS]] UTC (default now)")
	_ = cmd.MarkFlagRequired("by")
	return cmd
}

func newContactsHistoryCmd(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "history [PGA]",
		Short: "Every marketing contact assigned or imported, oldest first",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			pga := ""
			if len(args) == 1 {
				pga = args[0]
			}
			t, err := rewards.ContactHistory(ctx, s, pga)
			if err != nil {
				return err
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newAssistCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "assist",
		Short: "Technical assistance requests: list them, move one (new → in-progress → done)",
	}
	cmd.AddCommand(newAssistListCmd(a), newAssistUpdateCmd(a))
	return cmd
}

func newAssistListCmd(a *App) *cobra.Command {
	var format, status string
	cmd := &cobra.Command{
		Use:   "list [PGA]",
		Short: "List requests (new first) of a company or all",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			pga := ""
			if len(args) == 1 {
				pga = args[0]
			}
			l, err := rewards.AssistRequests(ctx, s, pga, status)
			if err != nil {
				return err
			}
			t := duckstore.Table{Columns: []string{"request_id", "pga_id", "company", "phase", "offer_id", "status", "note",
				"updated_by", "requested_by", "requested_at", "contact", "description"}}
			for _, r := range l {
				t.Rows = append(t.Rows, []any{r.ID, r.PGAID, r.Company, r.Phase, r.OfferID, r.Status, r.Note, r.UpdatedBy,
					r.RequestedBy, r.RequestedAt, r.ContactName + " <" + r.ContactEmail + ">", r.Description})
			}
			return printTable(a.Out, t, format)
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only this status: new, in-progress, done")
	addFormatFlag(cmd, &format)
	return cmd
}

func newAssistUpdateCmd(a *App) *cobra.Command {
	var by, note string
	cmd := &cobra.Command{
		Use:     "update REQUEST_ID new|in-progress|done",
		Short:   "Record a request's new status, with a note",
		Example: `  insights assist update 3 in-progress --note "engineer assigned" --by rita`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("request id %q: not a number", args[0])
			}
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			if err := rewards.UpdateAssistance(ctx, s, id, args[1], note, by); err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "request %d is now %s\n", id, args[1])
			return nil
		},
	}
	cmd.Flags().StringVar(&by, "by", "", "who (required)")
	cmd.Flags().StringVar(&note, "note", "", "what was done")
	_ = cmd.MarkFlagRequired("by")
	return cmd
}

func newContactedCmd(a *App) *cobra.Command {
	var by, at, note, company, format, asOf string
	var list, sla bool
	cmd := &cobra.Command{
		Use:   "contacted [ACTIVATION_ID]",
		Short: "Record that the rewards team reached a company; --list the activations to contact, --sla the 7-day list",
		Long: `Record a contact: for an activation (it closes the activation's 7-day clock), or with
--company for the company in general (it counts for the 4-week offer list). --list shows
the activations not contacted yet (overdue first, due = activation + 7 days); --sla the
activations not contacted within 7 days.`,
		Example: `  insights contacted 12 --by rita --note "call, campaign planned"
  insights contacted --company PGA-1001 --by rita --at 2026-02-03
  insights contacted --list`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if list || sla {
				day, err := asOfFlag(asOf)
				if err != nil {
					return err
				}
				s, err := a.ReadOnlyStore(ctx)
				if err != nil {
					return err
				}
				t := duckstore.Table{Columns: []string{"activation_id", "pga_id", "company", "benefit", "activated_by",
					"activated_at", "carried_over", "contact_due_on", "contacted_at", "status", "days"}}
				if list {
					l, err := rewards.ToContact(ctx, s, day)
					if err != nil {
						return err
					}
					for _, r := range l {
						st := "due"
						if r.Overdue() {
							st = "overdue"
						}
						t.Rows = append(t.Rows, []any{r.ID, r.PGAID, r.Company, r.Benefit, r.ActivatedBy, r.ActivatedAt, r.CarriedOver,
							r.DueOn, nil, st, r.DaysOverdue})
					}
				} else {
					l, err := rewards.SLAActivations(ctx, s, day)
					if err != nil {
						return err
					}
					for _, r := range l {
						t.Rows = append(t.Rows, []any{r.ID, r.PGAID, r.Company, r.Benefit, r.ActivatedBy, r.ActivatedAt, r.CarriedOver,
							r.DueOn, timeOrNil(r.ContactedAt), r.Status, r.DaysToContact})
					}
				}
				return printTable(a.Out, t, format)
			}
			in := rewards.ContactRecord{PGAID: company, By: by, Note: note}
			if len(args) == 1 {
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil {
					return fmt.Errorf("activation id %q: not a number", args[0])
				}
				in.ActivationID = id
			}
			t, err := atFlag(at)
			if err != nil {
				return err
			}
			in.At = t
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			id, err := rewards.RecordContact(ctx, s, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "recorded contact %d\n", id)
			return nil
		},
	}
	cmd.Flags().StringVar(&by, "by", "", "who made the contact (required to record)")
	cmd.Flags().StringVar(&at, "at", "", "when, YYYY-MM-DD[THH:MM[:SS]] UTC (default now)")
	cmd.Flags().StringVar(&note, "note", "", "what was said")
	cmd.Flags().StringVar(&company, "company", "", "the company (PGA) reached, without an activation")
	cmd.Flags().BoolVar(&list, "list", false, "list the activations to contact")
	cmd.Flags().BoolVar(&sla, "sla", false, "list the activations not contacted within 7 days")
	cmd.Flags().StringVar(&asOf, "as-of", "", "with --list/--sla: as of this instant, YYYY-MM-DD[THH:MM[:SS]] UTC (default now)")
	addFormatFlag(cmd, &format)
	return cmd
}

func newOutboxCmd(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "The outgoing mail: queued, sending, sent and failed messages",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := rewards.Outbox(ctx, s)
			if err != nil {
				return err
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newCompanyCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "company",
		Short: "A company's settings: the language it reads the program in",
	}
	cmd.AddCommand(newCompanyLanguageCmd(a))
	return cmd
}

func newCompanyLanguageCmd(a *App) *cobra.Command {
	var by, at string
	cmd := &cobra.Command{
		Use:   "language PGA [LANG]",
		Short: "Show or set a company's language (en, fr, zh-Hans)",
		Long: `A company's language: the partner workbook is written in it, and a person of the company
who has chosen no language of their own sees the portal in it (before their browser's
language). A partner admin sets it on the rewards workspace; this sets it for them, recorded
with who (--by, default cli:<user>) and when. Without LANG it prints the setting.`,
		Example: `  insights company language PGA-1001 fr
  insights company language PGA-1001`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if len(args) == 1 {
				s, err := a.ReadOnlyStore(ctx)
				if err != nil {
					return err
				}
				c, ok, err := rewards.CompanyLanguageOf(ctx, s, args[0])
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintf(a.Out, "%s: no language set (the partner workbook is in English)\n", args[0])
					return nil
				}
				fmt.Fprintf(a.Out, "%s: %s, set by %s at %s\n", c.PGAID, c.Language, c.ChangedBy, c.ChangedAt.Format("2006-01-02 15:04:05 UTC"))
				return nil
			}
			t, err := atFlag(at)
			if err != nil {
				return err
			}
			if by == "" {
				by = cliActor()
			}
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			c, err := rewards.SetCompanyLanguage(ctx, s, args[0], args[1], by, t)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "set the language of %s to %s (%s), by %s at %s\n", c.PGAID, c.Language, c.Language.Name(), c.ChangedBy,
				c.ChangedAt.Format("2006-01-02 15:04:05 UTC"))
			return nil
		},
	}
	cmd.Flags().StringVar(&by, "by", "", "who sets it (default cli:<user>)")
	cmd.Flags().StringVar(&at, "at", "", "when, YYYY-MM-DD[THH:MM[:SS]] UTC (default now)")
	return cmd
}
