package app

import (
	"context"
	"errors"
	"fmt"
	"os/user"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/serve/auth"
)

// The people commands change the database through the service's store when
// `insights serve` runs (the admin socket), so a removal or a role change
// counts on the person's next request.

func newPeopleCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "people",
		Short: "Manage who signs in to the pages: people, their roles, their companies' tenants",
		Long: `People sign in to the review desk and the partner portal with the company's identity provider
(OpenID Connect, see docs/web.md). A person belongs to the rewards team (role reviewer or admin) or
to one company, its partner global account (role partner-admin or viewer). Add them before their
first sign-in: they are matched by their verified email, then by the provider's subject. Every
change is recorded (insights people list --history).`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newPeopleAddCmd(a), newPeopleListCmd(a), newPeopleRoleCmd(a), newPeopleRemoveCmd(a),
		newPeopleCheckCmd(a), newPeopleTenantCmd(a))
	return cmd
}

// cliActor names the operator in the history: "cli:<login>".
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

func (a *App) people(ctx context.Context) (*auth.DBPeople, error) {
	s, err := a.Store(ctx)
	if err != nil {
		return nil, err
	}
	return auth.NewDBPeople(s), nil
}

func newPeopleAddCmd(a *App) *cobra.Command {
	var name, company, role string
	var unknown bool
	cmd := &cobra.Command{
		Use:   "add EMAIL --role ROLE [--company PGA] [--name NAME]",
		Short: "Add a person (rewards team: --role reviewer|admin; a company: --company PGA --role partner-admin|viewer)",
		Example: `  insights people add rita@rewards.example --name "Rita Diaz" --role admin
  insights people add ann@contoso.example --name "Ann Lee" --company PGA1 --role partner-admin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			r, err := auth.ParseRole(role)
			if err != nil {
				return err
			}
			ps, err := a.people(ctx)
			if err != nil {
				return err
			}
			p, err := auth.AddPerson(ctx, ps, cliActor(), args[0], name, company, r, unknown, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintln(a.Out, p.ID)
			fmt.Fprintf(a.ErrOut, "%s (%s) added as %s of %s; they sign in with the identity provider\n", p.Name, p.Email, r.Label(), companyText(p.PGAID))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "display name (default: the email)")
	f.StringVar(&company, "company", "", "the company's partner global account id (PGA); none for the rewards team")
	f.StringVar(&role, "role", "", "reviewer, admin (the rewards team), partner-admin or viewer (a company)")
	f.BoolVar(&unknown, "allow-unknown-company", false, "add to a company that is not in the partners' reference data yet")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func companyText(pga string) string {
	if pga == "" {
		return "the rewards team"
	}
	return "company " + pga
}

func newPeopleListCmd(a *App) *cobra.Command {
	var format, company string
	var removed, history bool
	cmd := &cobra.Command{
		Use:   "list [--company PGA] [--removed] [--history [PERSON]]",
		Short: "List people (id, email, name, company, role), or the history of changes (who, when, before, after)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			if history {
				person := ""
				if len(args) == 1 {
					p, err := auth.NewDBPeople(s).Person(ctx, args[0])
					if err != nil {
						return fmt.Errorf("person %s: %w", args[0], err)
					}
					person = p.ID
				}
				t, err := s.TableNamed(ctx, "serve/auth/changes_table", person)
				if err != nil {
					return fmt.Errorf("people history: %w", err)
				}
				return printTable(a.Out, t, format)
			}
			if len(args) > 0 {
				return errors.New("a person is given only with --history")
			}
			t, err := s.TableNamed(ctx, "serve/auth/people_table", company, removed)
			if err != nil {
				return fmt.Errorf("people: %w", err)
			}
			return printTable(a.Out, t, format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&company, "company", "", "only this company's people")
	f.BoolVar(&removed, "removed", false, "removed people too")
	f.BoolVar(&history, "history", false, "the recorded changes instead (of one person, by id, when given)")
	addFormatFlag(cmd, &format)
	return cmd
}

func newPeopleRoleCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "role PERSON ROLE",
		Short:   "Change a person's role (PERSON: id or email); it counts on their next request",
		Example: `  insights people role ann@contoso.example viewer`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			r, err := auth.ParseRole(args[1])
			if err != nil {
				return err
			}
			ps, err := a.people(ctx)
			if err != nil {
				return err
			}
			p, err := auth.FindPerson(ctx, ps, args[0])
			if err != nil {
				return err
			}
			before := p.Role
			if p, err = auth.SetRole(ctx, ps, cliActor(), p, r, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "%s (%s): %s → %s\n", p.ID, p.Email, before.Label(), p.Role.Label())
			return nil
		},
	}
}

func newPeopleRemoveCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "remove PERSON",
		Short:   "Remove a person (PERSON: id or email): their sessions end, they can no longer sign in",
		Example: `  insights people remove p-3f9c0a7d12e4b865`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ps, err := a.people(ctx)
			if err != nil {
				return err
			}
			p, err := auth.FindPerson(ctx, ps, args[0])
			if err != nil {
				return err
			}
			if _, err := auth.RemovePerson(ctx, ps, cliActor(), p, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "%s (%s) removed\n", p.ID, p.Email)
			return nil
		},
	}
}

func newPeopleCheckCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check the people configuration: a tenant listed for two companies is an error (exit status 1)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			probs, err := auth.CheckTenants(ctx, auth.NewDBPeople(s))
			if err != nil {
				return err
			}
			for _, p := range probs {
				fmt.Fprintln(a.ErrOut, "error:", p.Error())
			}
			if len(probs) > 0 {
				return &ExitError{Code: 1}
			}
			fmt.Fprintln(a.Out, "people: no problems found")
			return nil
		},
	}
}

func newPeopleTenantCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tenant",
		Short: "The identity-provider tenants of each company (Microsoft Entra ID: the directory's tenant id, claim tid)",
		Args:  cobra.NoArgs,
	}
	set := func(add bool) *cobra.Command {
		use, short := "add PGA TENANT", "Associate a tenant with a company"
		if !add {
			use, short = "remove PGA TENANT", "Remove a tenant from a company"
		}
		return &cobra.Command{
			Use: use, Short: short, Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				ctx := cmd.Context()
				ps, err := a.people(ctx)
				if err != nil {
					return err
				}
				pga, tenant := strings.TrimSpace(args[0]), strings.TrimSpace(args[1])
				if add {
					known, err := ps.CompanyKnown(ctx, pga)
					if err != nil {
						return err
					}
					if !known {
						a.Log.Warn("company not in the partners' reference data (yet)", "pga", pga)
					}
				}
				if err := ps.SetTenant(ctx, auth.Tenant{PGAID: pga, TenantID: tenant, Added: time.Now(), By: cliActor()}, add); err != nil {
					return fmt.Errorf("tenant %s of %s: %w", tenant, pga, err)
				}
				probs, err := auth.CheckTenants(ctx, ps)
				if err != nil {
					return err
				}
				for _, p := range probs {
					if p.TenantID == tenant {
						fmt.Fprintln(a.ErrOut, "error:", p.Error())
						return &ExitError{Code: 1}
					}
				}
				verb := "added to"
				if !add {
					verb = "removed from"
				}
				fmt.Fprintf(a.Out, "tenant %s %s company %s\n", tenant, verb, pga)
				return nil
			},
		}
	}
	var format string
	list := &cobra.Command{
		Use: "list", Short: "List every company's tenants", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := s.TableNamed(ctx, "serve/auth/tenants_list")
			if err != nil {
				return fmt.Errorf("tenants: %w", err)
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(list, &format)
	cmd.AddCommand(set(true), set(false), list)
	return cmd
}
