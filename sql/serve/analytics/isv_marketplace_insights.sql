-- analytics dataset ISVMarketplaceInsights: the partner's listing traffic per day, offer, site,
-- referral domain, country, campaign and source, with the funnel counts as metrics
-- (serve/analytics). $1 = partner id. Two sources, never both for one offer and day (step 330):
-- the tagged click rows (campaign_clicks), and the daily Marketplace Insights counts that no click
-- rows cover (marketplace_insights_counts, counted); those carry no traffic source.
SELECT
    c.click_date                                                         AS "Date",
    c.offer_id                                                           AS "OfferId",
    any_value(o.offer_name)                                              AS "OfferName",
    c.site                                                               AS "Site",
    c.referral_domain                                                    AS "ReferralDomain",
    c.country                                                            AS "CountryName",
    c.mktcmpid                                                           AS "CampaignId",
    c.src_normalized                                                     AS "TrafficSource",
    CAST(count(*) FILTER (WHERE c.action_kind = 'page_visit') AS BIGINT) AS "PageVisits",
    CAST(count(*) FILTER (WHERE c.cta_type = 'get_it_now') AS BIGINT)    AS "GetItNow",
    CAST(count(*) FILTER (WHERE c.cta_type = 'contact_me') AS BIGINT)    AS "ContactMe",
    CAST(count(*) FILTER (WHERE c.cta_type = 'test_drive') AS BIGINT)    AS "TestDrive",
    CAST(count(*) FILTER (WHERE c.cta_type = 'free_trial') AS BIGINT)    AS "FreeTrial",
    CAST(count(*) FILTER (WHERE c.action_kind = 'consent') AS BIGINT)    AS "ConsentGiven",
    c.click_date                                                         AS _date
FROM campaign_clicks c
LEFT JOIN offers o ON o.offer_id = c.offer_id
WHERE c.partner_id = $1
GROUP BY c.click_date, c.offer_id, c.site, c.referral_domain, c.country, c.mktcmpid, c.src_normalized
UNION ALL
SELECT
    i."date", i.offer_id, i.offer_name, i.site, i.referral_domain, i.country, i.mktcmpid,
    CAST(NULL AS VARCHAR),
    CAST(i.page_visits AS BIGINT), CAST(i.cta_get_it_now AS BIGINT), CAST(i.cta_contact_me AS BIGINT),
    CAST(i.cta_test_drive AS BIGINT), CAST(i.cta_free_trial AS BIGINT), CAST(i.consents AS BIGINT),
    i."date"
FROM marketplace_insights_counts i
WHERE i.partner_id = $1 AND i.counted
