package app

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

func newTokensCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tokens",
		Short: "Manage the download API's bearer tokens (only their SHA-256 is stored)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newTokensCreateCmd(a), newTokensRevokeCmd(a), newTokensListCmd(a))
	return cmd
}

func newTokensCreateCmd(a *App) *cobra.Command {
	var partner, note string
	var rewards bool
	cmd := &cobra.Command{
		Use:   "create (--partner ID | --rewards)",
		Short: "Create a token and print it (the only time it is shown)",
		Example: `  insights tokens create --partner contoso --note "Contoso finance team"
  TOKEN=$(insights tokens create --rewards)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if (partner == "") == !rewards {
				return errors.New("give exactly one of --partner ID or --rewards")
			}
			role := auth.RolePartner
			if rewards {
				role = auth.RoleRewards
			}
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			if partner != "" {
				var known bool
				if err := duckstore.QueryRowNamed(ctx, s, "serve/download/partner_known", []any{partner}, &known); err != nil {
					return fmt.Errorf("look up partner %s: %w", partner, err)
				}
				if !known {
					a.Log.Warn("partner not in the reference data (yet); the token will see nothing until it is", "partner", partner)
				}
			}
			token, info, err := download.NewDBCatalog(s).CreateToken(ctx, role, partner, note)
			if err != nil {
				return err
			}
			// The token alone on stdout, so that it can be captured; the rest on stderr.
			fmt.Fprintln(a.Out, token)
			who := "the rewards team"
			if partner != "" {
				who = "partner " + partner
			}
			fmt.Fprintf(a.ErrOut, "token %s for %s created; it is shown only now, keep it safe\n", info.ID, who)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&partner, "partner", "", "partner id the token may read")
	f.BoolVar(&rewards, "rewards", false, "a token for the rewards team (review packs)")
	f.StringVar(&note, "note", "", "who the token is for")
	return cmd
}

func newTokensRevokeCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "revoke TOKEN_ID",
		Short:   "Revoke a token by its id (see `insights tokens list`)",
		Example: `  insights tokens revoke 3f9c0a7d12e4b865`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			if err := download.NewDBCatalog(s).RevokeToken(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "token %s revoked\n", args[0])
			return nil
		},
	}
}

func newTokensListCmd(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tokens: id, role, partner, note, created, revoked (never the token)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := s.TableNamed(ctx, "serve/download/tokens_list")
			if err != nil {
				return fmt.Errorf("tokens: %w", err)
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}
