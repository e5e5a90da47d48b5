-- partner_visible_orders, partner_visible_usage, partner_visible_customers: exactly the rows a
-- partner report may show or count (README, "Privacy"). The rule lives here, once, so that the
-- report facts (5NN_report_*.sql) and the partner-safe views (555_partner_views.sql) read these
-- relations instead of repeating it. They still hold personal
-- fields unmasked: no partner-facing query reads them, only those views and facts do:
-- * a customer who opted out of tracking anywhere (hidden_customers, 140_hidden_customers.sql)
--   never appears: none of their order lines, usage rows or customer rows;
-- * fraud order lines and usage rows (IsFraud) never count;
-- * usage opted out of tracking (resolved_usage.opted_out, 020_resolved_usage.sql) never counts.
-- They keep every row of every partner: a report still filters on its partner id and
-- window. Billed sales and tiers do not read them: they count every sale, in totals only.
-- Each adds the columns every report derives the same way:
--   month            the row's month (MonthStartDate of an order line, UsageDate of usage)
--   is_active        the order line is Active or Warning that month
--   charge, charge_currency  the usage row's estimated charge in the payout currency (what the
--                    marketplace bills on the partner's behalf), else in the customer's
--                    currency, as billed sales count it (210_billed_sales_parts.sql);
--                    each report converts it to USD at the month's FX rate
-- The order lines and usage are views over this run's tables (current_orders, resolved_usage,
-- hidden_customers), not copies: a copy of every visible usage row (2.9 M rows of 34 columns at
-- scale 30) cost more to write than all its readers (the facts, 5NN, and the partner views, 555)
-- spend reading the rows through the rule, and a view needs no recomputing in an incremental run.
-- The customers stay a table: customers is a raw table, and a partner must not see a delivery
-- that no transform has checked yet.
CREATE OR REPLACE VIEW partner_visible_orders AS
SELECT o.*,
       CAST(date_trunc('month', o.month_start_date) AS DATE) AS month,
       lower(trim(o.order_status)) IN ('active', 'warning') AS is_active
FROM current_orders o
ANTI JOIN hidden_customers h ON h.customer_id = o.customer_id
WHERE NOT coalesce(o.is_fraud, false);

CREATE OR REPLACE VIEW partner_visible_usage AS
SELECT u.*,
       CAST(date_trunc('month', u.usage_date) AS DATE) AS month,
       CAST(coalesce(u.estimated_extended_charge_pc, u.estimated_extended_charge_cc) AS DECIMAL(38,6)) AS charge,
       upper(trim(CASE WHEN u.estimated_extended_charge_pc IS NOT NULL THEN u.payout_currency_pc
                       ELSE u.customer_currency_cc END)) AS charge_currency
FROM resolved_usage u
ANTI JOIN hidden_customers h ON h.customer_id = u.customer_id
WHERE NOT u.opted_out
  AND NOT coalesce(u.is_fraud, false);

CREATE OR REPLACE TABLE partner_visible_customers AS
SELECT c.*
FROM customers c
ANTI JOIN hidden_customers h ON h.customer_id = c.customer_id;
