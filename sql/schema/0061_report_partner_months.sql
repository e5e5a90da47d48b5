-- report_partner_months(partner_from, partner_to, first_month, last_month): the rows of a monthly
-- report before its figures are joined: every registered partner whose id is in
-- [partner_from, partner_to] (one pass of the report queries serves a range of partners,
-- reports/generate.go), crossed with every month of the window (first of month, both ends
-- included), so months without data still show. The five *_monthly report queries select from it.
CREATE MACRO report_partner_months(partner_from, partner_to, first_month, last_month) AS TABLE
    SELECT x.partner_id, CAST(m.month AS DATE) AS month
    FROM (SELECT DISTINCT partner_id
          FROM partners
          WHERE partner_id BETWEEN partner_from AND partner_to AND trim(partner_id) <> '') x
    CROSS JOIN (SELECT unnest(generate_series(CAST(first_month AS DATE), CAST(last_month AS DATE), INTERVAL 1 MONTH)) AS month) m;
