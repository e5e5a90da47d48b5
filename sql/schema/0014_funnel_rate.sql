-- funnel_rate(part, whole): part / whole rounded half up to 4 decimals in exact integer
-- arithmetic (DECIMAL(9,4), never a float); NULL when whole is 0. The campaign funnel's
-- cta_rate and consent_rate (320_campaign_performance.sql, 330_campaign_insights.sql).
CREATE MACRO funnel_rate(part, whole) AS
    CASE WHEN whole > 0 THEN
        CAST(CAST((part * 20000 + whole) // (2 * whole) AS DECIMAL(18,0)) * CAST(0.0001 AS DECIMAL(5,4)) AS DECIMAL(9,4))
    END;
