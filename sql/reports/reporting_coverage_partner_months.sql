-- reporting_coverage_partner_months: the months in which each partner has any data (orders, usage,
-- deployments or clicks), as of the latest transform run. No parameters.
SELECT partner_id, month
FROM partner_data_months
GROUP BY partner_id, month
ORDER BY partner_id, month
