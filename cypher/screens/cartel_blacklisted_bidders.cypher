// Bids in which a submitting firm (sole bidder, consortium lead or member) was on a blacklist
// at the tender's publication: a CreditRecord of category 'blacklist' of one of the $kinds,
// issued on or before published_on and not removed by then.
// Parameters: $kinds (list of record kinds, e.g. ['procurement_ban']). disclosure / agency
// say who may read the record (models/disclosure.py).
MATCH (c:Company)-[s:SUBMITTED]->(b:Bid)-[:FOR_TENDER]->(t:Tender)
MATCH (c)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.category = 'blacklist' AND r.kind IN $kinds AND r.issued_on <= t.published_on
  AND (r.removed_on IS NULL OR r.removed_on > t.published_on)
WITH t, b, c, s, r, COUNT { (:Company)-[:SUBMITTED]->(b) } AS parties
RETURN t.tender_id AS tender_id, b.bid_id AS bid_id, c.uscc AS uscc,
       coalesce(s.role, '') AS role, parties, r.record_id AS record_id, r.kind AS kind,
       toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on,
       r.disclosure AS disclosure, coalesce(r.agency, '') AS agency
ORDER BY tender_id, bid_id, uscc, record_id
