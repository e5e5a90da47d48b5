-- The fingerprints a day's partners were given files from (reports/keep.go linkGroup), in one
-- statement for a group of partners: their ids and fingerprints as two lists in the same order.
-- Parameters: partner ids (VARCHAR[]), as_of (DATE), period, fingerprints (VARCHAR[]), recorded at.
INSERT OR REPLACE INTO report_partner_renders
SELECT unnest(?::VARCHAR[]), ?::DATE, ?, unnest(?::VARCHAR[]), ?::TIMESTAMP;
