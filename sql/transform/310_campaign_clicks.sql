-- Campaign clicks: every click with the campaign (mktcmpid) and source (src) read from its landing
-- URL by the Go step 305_parse_campaigns, the class of its action and the partner of its offer.
-- Actions are compared ignoring case and anything but letters and digits:
--   page_visit: PageVisit, PageView, Visit, View
--   consent:    Consent, ConsentGiven, Consented
--   cta:        anything else; cta_type contact_me, free_trial, test_drive, get_it_now, buy_now,
--               or the normalised action itself.
DELETE FROM attr_clicks;
INSERT INTO attr_clicks BY NAME
WITH c AS (
    SELECT *, lower(regexp_replace(action, '[^A-Za-z0-9]', '', 'g')) AS action_norm
    FROM clicks
)
SELECT
    c."timestamp", CAST(c."timestamp" AS DATE) AS click_date, c.session_id, c.offer_id,
    o.partner_id, p.pga_id, c.site, c.action,
    CASE WHEN action_norm IN ('pagevisit', 'pageview', 'visit', 'view') THEN 'page_visit'
         WHEN action_norm IN ('consent', 'consentgiven', 'consented') THEN 'consent'
         ELSE 'cta' END AS action_kind,
    CASE WHEN action_norm IN ('pagevisit', 'pageview', 'visit', 'view', 'consent', 'consentgiven', 'consented') THEN NULL
         WHEN action_norm = 'contactme' THEN 'contact_me'
         WHEN action_norm = 'freetrial' THEN 'free_trial'
         WHEN action_norm = 'testdrive' THEN 'test_drive'
         WHEN action_norm = 'getitnow' THEN 'get_it_now'
         WHEN action_norm = 'buynow' THEN 'buy_now'
         WHEN action_norm = '' THEN 'other'
         ELSE action_norm END AS cta_type,
    c.landing_url, c.referral_domain, c.country,
    coalesce(u.mktcmpid, '_NoCampaign') AS mktcmpid,
    coalesce(u.campaign_status, 'none') AS campaign_status,
    CASE WHEN c.landing_url IS NULL THEN 'no landing URL' ELSE u.campaign_reason END AS campaign_reason,
    u.src, u.src_normalized
FROM c
LEFT JOIN attr_campaign_urls u ON u.landing_url = c.landing_url
LEFT JOIN (SELECT offer_id, min(partner_id) AS partner_id FROM offers GROUP BY offer_id) o
       ON o.offer_id = c.offer_id
LEFT JOIN (SELECT partner_id, min(pga_id) AS pga_id FROM partners GROUP BY partner_id) p
       ON p.partner_id = o.partner_id;
-- No ORDER BY: this table grows with the clicks; its contents are the same on every run, read it
-- with an ORDER BY.
