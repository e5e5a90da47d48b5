-- web_sla_overdue: how many SLA items are overdue as of the last transform run: activated
-- benefits whose company was not contacted within 7 days, and offers live more than 4 weeks
-- without contact (the "overdue" rows of the SLA lists). The count beside "SLA lists" in the
-- desk's navigation. No parameters.
WITH run AS (
    SELECT max(as_of) AS as_of FROM tier_run
)
SELECT CAST(
    (SELECT count(*) FROM sla_activation_contact s JOIN run ON s.as_of = run.as_of WHERE s.status = 'overdue')
  + (SELECT count(*) FROM sla_offer_contact s JOIN run ON s.as_of = run.as_of WHERE s.status = 'overdue')
  AS BIGINT) AS overdue
