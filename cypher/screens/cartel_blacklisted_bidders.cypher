// Bids in which a submitting firm (sole bidder, consortium lead or member) was on a blacklist
// at the tender's publication: a CreditRecord of category 'blacklist' of one of the $kinds,
// issued on or before published_on and not removed by then.
// Firms are read through the entity resolution: the records of another key of the bidder (an
// active SAME_AS link to one ResolvedEntity of kind 'company') are read too, holder_uscc naming
// the key that holds the record, and parties lists the keys of every submitting firm;
// models/screens/cartel_data.py keeps the records of the bidder's own keys (graph/firm_links.py)
// and counts the parties as firms.
// Parameters: $kinds (list of record kinds, e.g. ['procurement_ban']). disclosure / agency
// say who may read the record (models/disclosure.py).
MATCH (c:Company)-[s:SUBMITTED]->(b:Bid)-[:FOR_TENDER]->(t:Tender)
CALL (c) {
  RETURN c AS h
  UNION
  MATCH (c)-[:SAME_AS {active: true}]->(:ResolvedEntity {kind: 'company'})
        <-[:SAME_AS {active: true}]-(h:Company)
  WHERE h <> c
  RETURN h
}
MATCH (h)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.category = 'blacklist' AND r.kind IN $kinds AND r.issued_on <= t.published_on
  AND (r.removed_on IS NULL OR r.removed_on > t.published_on)
WITH t, b, c, s, h, r, COLLECT { MATCH (m:Company)-[:SUBMITTED]->(b) RETURN m.uscc } AS parties
RETURN t.tender_id AS tender_id, b.bid_id AS bid_id, c.uscc AS uscc,
       coalesce(s.role, '') AS role, parties, h.uscc AS holder_uscc, r.record_id AS record_id,
       r.kind AS kind, toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on,
       r.disclosure AS disclosure, coalesce(r.agency, '') AS agency
ORDER BY tender_id, bid_id, uscc, record_id
