-- rewards/benefits: a company's benefits in the current benefit period of each unlock, and
-- its one-time listing benefits, with their state as of a date:
--   awaiting-review  the unlock is not approved yet (no decision, or deferred): not activatable
--   available        approved (or a listing benefit), not activated, not expired
--   activated        activated by the partner (or carried over), the rewards team not yet in touch
--   in-use           activated and contacted
--   expired          past its expiry date
-- A rejected unlock's benefits are not offered (not listed).
-- Parameters: pga_id, as_of DATE.
WITH params AS (SELECT CAST(? AS VARCHAR) AS pga, CAST(? AS DATE) AS as_of),
cat AS (
    SELECT listing_type, coalesce(tier, '') AS tier, benefit,
           any_value(coalesce(category, 'sales-marketing')) AS category, min(position) AS position
    FROM tier_benefit_catalog GROUP BY ALL
),
offered AS (
    SELECT g.unlock_id, g.unlock_id || ':' || g.period || ':' || g.listing_type || ':' || g.benefit AS benefit_key,
           g.tier, u.tier_rank, g.period, g.period_start, g.period_end, g.listing_type, g.benefit, g.expires_on,
           u.next_refresh_on, coalesce(d.decision, '') AS decision
    FROM tier_benefit_grants g
    JOIN tier_unlocks_data u USING (unlock_id)
    LEFT JOIN review_latest_decisions d USING (unlock_id)
    CROSS JOIN params p
    WHERE g.pga_id = p.pga AND g.period = u.benefit_period AND coalesce(d.decision, '') <> 'reject'
    UNION ALL
    SELECT NULL, l.pga_id || ':listing:' || l.listing_type || ':' || l.benefit, NULL, 0, 0,
           l.first_live_on, NULL, l.listing_type, l.benefit, l.expires_on, NULL, 'approve'
    FROM listing_benefits_data l CROSS JOIN params p
    WHERE l.pga_id = p.pga
),
with_activation AS (
    SELECT o.*,
           (SELECT arg_min(a.activation_id, a.activated_at) FROM benefit_activations a
             WHERE a.benefit_key = o.benefit_key
                OR (a.carried_over AND a.unlock_id = o.unlock_id
                    AND a.activated_at::DATE <= o.period_end
                    AND (o.period = 1 OR a.activated_at::DATE >= o.period_start))) AS activation_id
    FROM offered o
),
contacted AS (
    SELECT w.activation_id,
           (SELECT min(m.contacted_at) FROM company_contact_moments m
             WHERE m.pga_id = a.pga_id AND m.contacted_at >= a.activated_at
               AND (m.activation_id = a.activation_id OR (m.activation_id IS NULL AND m.source = 'contacts file'))) AS contacted_at
    FROM (SELECT DISTINCT activation_id FROM with_activation WHERE activation_id IS NOT NULL) w
    JOIN benefit_activations a USING (activation_id)
)
SELECT w.benefit_key, coalesce(w.unlock_id, '') AS unlock_id, coalesce(w.tier, '') AS tier, w.period,
       w.listing_type, w.benefit, coalesce(c.category, 'sales-marketing') AS category,
       w.expires_on, w.next_refresh_on, w.decision,
       w.activation_id, a.activated_by, a.activated_at, coalesce(a.carried_over, false) AS carried_over,
       k.contacted_at,
       CASE WHEN w.expires_on IS NOT NULL AND w.expires_on < p.as_of THEN 'expired'
            WHEN w.activation_id IS NOT NULL AND k.contacted_at IS NOT NULL THEN 'in-use'
            WHEN w.activation_id IS NOT NULL THEN 'activated'
            WHEN w.decision <> 'approve' THEN 'awaiting-review'
            ELSE 'available' END AS state
FROM with_activation w
CROSS JOIN params p
LEFT JOIN cat c ON c.listing_type = w.listing_type AND c.tier = coalesce(w.tier, '') AND c.benefit = w.benefit
LEFT JOIN benefit_activations a ON a.activation_id = w.activation_id
LEFT JOIN contacted k ON k.activation_id = w.activation_id
ORDER BY category, w.tier_rank, w.listing_type, coalesce(c.position, 0), w.benefit, w.benefit_key
