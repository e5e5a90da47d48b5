-- Marketplace Insights daily counts (dataset marketplace_insights) in the campaign views.
-- * Each row is resolved to its offer (OfferId, else a unique OfferName in offers) and partner
--   (PublisherId — from the row, the landing path or --partner — else the offer's).
-- * Campaign is read as a mktcmpid: 1–16 of A-Z a-z 0-9 _ - is valid, anything else invalid (kept
--   as given, counted apart), none without one (_NoCampaign). The counts carry no source (src).
-- * Where click rows exist for the same offer and day, the clicks count and that day's Insights
--   rows do not (counted = false), so nothing is counted twice; attr_campaign_overlap lists those
--   offer-days with both sets of figures.
-- * Counted rows add campaign_performance rows with basis = 'insights': page_visits = PageVisits;
--   ctas = GetItNow + ContactMe + TestDrive + FreeTrial; consents = ConsentGiven; clicks = all
--   three. Daily counts carry no sessions, so cta_sessions is taken as min(ctas, page_visits)
--   per row; the rates follow from it as for clicks.
DELETE FROM attr_insights_daily;
INSERT INTO attr_insights_daily BY NAME
WITH unique_offer_names AS (
    SELECT offer_name, any_value(offer_id) AS offer_id, any_value(partner_id) AS partner_id
    FROM offers
    GROUP BY offer_name
    HAVING count(*) = 1
),
resolved AS (
    SELECT i.*,
           coalesce(i.offer_id, n.offer_id) AS r_offer_id,
           coalesce(i.publisher_id, o.partner_id, n.partner_id) AS r_partner_id,
           -- _NoCampaign is how Microsoft's download says "no campaign": not a campaign of that name
           CASE WHEN lower(trim(i.campaign)) IN ('', '_nocampaign') THEN NULL ELSE trim(i.campaign) END AS r_campaign
    FROM marketplace_insights i
    LEFT JOIN (SELECT offer_id, min(partner_id) AS partner_id FROM offers GROUP BY offer_id) o ON o.offer_id = i.offer_id
    LEFT JOIN unique_offer_names n ON n.offer_name = CASE WHEN i.offer_id IS NULL THEN i.offer_name END
),
click_days AS (
    SELECT DISTINCT offer_id, click_date FROM attr_clicks
)
SELECT r."date", r.r_partner_id AS partner_id, p.pga_id, r.r_offer_id AS offer_id, r.offer_name,
       lower(trim(r.referral_domain)) AS referral_domain, r.country_name AS country, r.site,
       coalesce(r.r_campaign, '_NoCampaign') AS mktcmpid,
       CASE WHEN r.r_campaign IS NULL THEN 'none'
            WHEN regexp_full_match(r.r_campaign, '[A-Za-z0-9_-]{1,16}') THEN 'valid'
            ELSE 'invalid' END AS campaign_status,
       coalesce(r.page_visits, 0) AS page_visits,
       coalesce(r.get_it_now, 0) + coalesce(r.contact_me, 0) + coalesce(r.test_drive, 0) + coalesce(r.free_trial, 0) AS ctas,
       coalesce(r.contact_me, 0) AS cta_contact_me,
       coalesce(r.free_trial, 0) AS cta_free_trial,
       coalesce(r.test_drive, 0) AS cta_test_drive,
       coalesce(r.get_it_now, 0) AS cta_get_it_now,
       coalesce(r.consent_given, 0) AS consents,
       c.offer_id IS NULL AS counted
FROM resolved r
LEFT JOIN (SELECT partner_id, min(pga_id) AS pga_id FROM partners GROUP BY partner_id) p ON p.partner_id = r.r_partner_id
LEFT JOIN click_days c ON c.offer_id = r.r_offer_id AND c.click_date = r."date"
ORDER BY ALL;

DELETE FROM attr_campaign_overlap;
INSERT INTO attr_campaign_overlap BY NAME
WITH clicks AS (
    SELECT offer_id, click_date, count(DISTINCT session_id) AS page_visits,
           count(*) FILTER (action_kind = 'cta') AS ctas
    FROM attr_clicks
    GROUP BY ALL
)
SELECT i."date", i.partner_id, i.offer_id, 'clicks' AS counted_from,
       c.page_visits AS click_page_visits, c.ctas AS click_ctas,
       sum(i.page_visits) AS insights_page_visits, sum(i.ctas) AS insights_ctas
FROM attr_insights_daily i
JOIN clicks c ON c.offer_id = i.offer_id AND c.click_date = i."date"
WHERE NOT i.counted
GROUP BY i."date", i.partner_id, i.offer_id, c.page_visits, c.ctas
ORDER BY ALL;

DELETE FROM attr_campaign_performance WHERE basis = 'insights';
INSERT INTO attr_campaign_performance BY NAME
WITH periods AS (
    SELECT 'day' AS period, "date" AS period_start, * FROM attr_insights_daily WHERE counted
    UNION ALL
    SELECT 'month' AS period, CAST(date_trunc('month', "date") AS DATE) AS period_start, * FROM attr_insights_daily WHERE counted
),
counted AS (
    SELECT period, period_start, partner_id, pga_id, coalesce(offer_id, offer_name) AS offer_id, mktcmpid,
           campaign_status, CAST(NULL AS VARCHAR) AS source, referral_domain,
           sum(page_visits) AS page_visits,
           sum(page_visits + ctas + consents) AS clicks,
           sum(ctas) AS ctas,
           sum(cta_contact_me) AS cta_contact_me,
           sum(cta_free_trial) AS cta_free_trial,
           sum(cta_test_drive) AS cta_test_drive,
           sum(cta_get_it_now) AS cta_get_it_now,
           0 AS cta_buy_now,
           0 AS cta_other,
           sum(least(ctas, page_visits)) AS cta_sessions,
           sum(consents) AS consents,
           'insights' AS basis
    FROM periods
    GROUP BY period, period_start, partner_id, pga_id, coalesce(offer_id, offer_name), mktcmpid, campaign_status, referral_domain
)
SELECT *,
       funnel_rate(cta_sessions, page_visits) AS cta_rate,
       funnel_rate(consents, page_visits) AS consent_rate
FROM counted
ORDER BY ALL;
