// Firms that bid in the same tenders as a company (deadline passed by an as-of date) with
// their negative records issued by then (models/explain.py).
// Parameters: $uscc (string), $as_of (ISO date string), $limit (int). Never null.
MATCH (c:Company {uscc: $uscc})-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)
      <-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company)
WHERE o <> c AND t.deadline <= date($as_of)
WITH o, collect(DISTINCT t.tender_id) AS tenders
OPTIONAL MATCH (o)-[:HAS_RECORD]->(rec:CreditRecord)
WHERE coalesce(rec.overturned, false) = false
  AND rec.issued_on <= date($as_of) AND rec.polarity = 'negative'
RETURN o.uscc AS other_uscc, o.name AS other_name, size(tenders) AS shared_tenders,
       tenders[0..5] AS tenders, rec.record_id AS record_id, rec.kind AS kind,
       toString(rec.issued_on) AS issued_on
ORDER BY shared_tenders DESC, rec.issued_on DESC
LIMIT $limit
