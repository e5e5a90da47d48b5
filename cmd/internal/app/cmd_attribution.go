package app

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newAttributionCmd) }

func newAttributionCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attribution",
		Short: "Attribution and campaign results of the last transform: a summary, and the operator's list of bad tracking IDs",
		Example: `  insights attribution summary
  insights attribution issues --status malformed --format csv`,
	}
	cmd.AddCommand(newAttributionSummaryCmd(a), newAttributionIssuesCmd(a))
	return cmd
}

// attributionSummarySQL is one small result set: area, measure, value.
const attributionSummarySQL = `
WITH last_run AS (
    SELECT run_id, as_of FROM transform_runs WHERE status = 'succeeded'
    ORDER BY finished_at DESC, run_id LIMIT 1
),
dep AS (   -- first_row: count each deployment once (the view has a row per deployment and ID)
    SELECT *, row_number() OVER (
               PARTITION BY coalesce(deployment_id, 'opted-out ' || CAST("timestamp" AS VARCHAR))
               ORDER BY tracking_id) = 1 AS first_row,
           row_number() OVER (
               PARTITION BY status, coalesce(deployment_id, 'opted-out ' || CAST("timestamp" AS VARCHAR))
               ORDER BY tracking_id) = 1 AS first_row_of_status
    FROM deployment_attribution
),
lines AS (
    SELECT 0 AS n, 'transform' AS area, 'last run' AS measure,
           coalesce((SELECT run_id || ' as of ' || strftime(as_of, '%Y-%m-%d') FROM last_run), 'none yet (run insights transform)') AS value
    UNION ALL SELECT 1, 'deployments', 'total', CAST((SELECT count(*) FROM dep WHERE first_row) AS VARCHAR)
    UNION ALL
    SELECT 2, 'deployments', 'with status ' || status,
           CAST(count(*) FILTER (first_row_of_status) AS VARCHAR) || ' deployments, ' || CAST(count(*) AS VARCHAR) || ' IDs'
    FROM dep GROUP BY status
    UNION ALL SELECT 3, 'deployments', 'with several registered IDs (multiple)',
           CAST(count(DISTINCT deployment_id) AS VARCHAR) FROM dep WHERE multiple
    UNION ALL SELECT 4, 'tracking IDs', 'attributed (partners)',
           CAST(count(DISTINCT tracking_id) AS VARCHAR) || ' (' || CAST(count(DISTINCT partner_id) AS VARCHAR) || ')'
           FROM dep WHERE status = 'attributed'
    UNION ALL SELECT 5, 'tracking IDs', 'issues: ' || status, CAST(count(*) AS VARCHAR)
           FROM tracking_id_issues GROUP BY status
    UNION ALL SELECT 6, 'usage', 'usage rows attributed / not opted out',
           CAST((SELECT count(*) FROM (SELECT DISTINCT reference_id, usage_date, marketplace_subscription_id,
                                               meter_id, estimated_extended_charge_pc FROM attributed_usage)) AS VARCHAR)
           || ' / ' || CAST((SELECT count(*) FROM resolved_usage u
                             WHERE NOT u.opted_out
                               AND lower(trim(coalesce(u.azure_subscription_id, u.marketplace_subscription_id))) NOT IN (
                                   SELECT lower(trim(d.subscription_id)) FROM deployments d
                                   JOIN opt_out_ids o ON o.kind = 'tenant' AND lower(trim(o.id)) = lower(trim(d.customer_tenant_id))
                                   WHERE d.subscription_id IS NOT NULL)) AS VARCHAR)
    UNION ALL SELECT 7, 'usage', 'attributed charges ' || coalesce(payout_currency_pc, '?') || ' (a shared row once per ID)',
           CAST(sum(estimated_extended_charge_pc) AS VARCHAR)
           FROM attributed_usage_monthly GROUP BY payout_currency_pc
    UNION ALL SELECT 8, 'campaigns', 'clicks with campaign ' || campaign_status,
           CAST(count(*) AS VARCHAR) || ' (' || CAST(count(DISTINCT mktcmpid) AS VARCHAR) || ' campaigns)'
           FROM campaign_clicks GROUP BY campaign_status
    UNION ALL SELECT 9, 'campaigns', 'page visits / CTAs / consents (all months)',
           CAST(sum(page_visits) AS VARCHAR) || ' / ' || CAST(sum(ctas) AS VARCHAR) || ' / ' || CAST(sum(consents) AS VARCHAR)
           FROM campaign_performance WHERE period = 'month'
    UNION ALL SELECT 10, 'campaigns', 'top campaign by page visits',
           (SELECT mktcmpid || ': ' || CAST(sum(page_visits) AS VARCHAR) FROM campaign_performance
            WHERE period = 'month' AND campaign_status = 'valid'
            GROUP BY mktcmpid ORDER BY sum(page_visits) DESC, mktcmpid LIMIT 1)
)
SELECT area, measure, coalesce(value, '') AS value FROM lines ORDER BY n, measure`

func newAttributionSummaryCmd(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "summary",
		Short: "Print a short attribution and campaign summary of the last transform",
		Example: `  insights attribution summary
  insights attribution summary --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			rows, err := s.Query(ctx, attributionSummarySQL)
			if err != nil {
				return fmt.Errorf("attribution summary: %w", err)
			}
			defer rows.Close()
			return printRows(ctx, a.Out, rows, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

func newAttributionIssuesCmd(a *App) *cobra.Command {
	var format, status string
	var limit int
	cmd := &cobra.Command{
		Use:   "issues",
		Short: "List unregistered and malformed tracking IDs seen, with counts and first/last seen",
		Long: `List the tracking IDs found on deployments that attribute nothing because they are not
registered (tell the partner to register them) or malformed (tell the partner to fix them), most
frequent first. Opted-out customers are left out.`,
		Example: `  insights attribution issues
  insights attribution issues --status unregistered --limit 20 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if status != "" && status != "unregistered" && status != "malformed" {
				return fmt.Errorf("--status %q: want unregistered or malformed", status)
			}
			if limit < 0 {
				return fmt.Errorf("--limit %d: want 0 (no limit) or more", limit)
			}
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			q := `SELECT status, tracking_id, kind, example_token, reason, sources, deployments, subscriptions,
			             first_seen, last_seen
			      FROM tracking_id_issues
			      WHERE ? = '' OR status = ?
			      ORDER BY status, deployments DESC, tracking_id`
			args := []any{status, status}
			if limit > 0 {
				q += ` LIMIT ?`
				args = append(args, limit)
			}
			rows, err := s.Query(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("attribution issues: %w", err)
			}
			defer rows.Close()
			return printRows(ctx, a.Out, rows, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().StringVar(&status, "status", "", "only this status: unregistered or malformed")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many rows (0: all)")
	return cmd
}
