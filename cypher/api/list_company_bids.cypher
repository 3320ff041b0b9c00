// Bids companies submitted, with their tender ids (app/graphql/loaders.py).
// Parameters: $usccs (list of strings, never null). One row per (company, bid).
UNWIND $usccs AS u
MATCH (:Company {uscc: u})-[s:SUBMITTED]->(b:Bid)-[:FOR_TENDER]->(t:Tender)
RETURN u AS uscc, s.role AS role, b.bid_id AS bid_id, b.amount AS amount,
       toString(b.submitted_at) AS submitted_at, b.status AS status, t.tender_id AS tender_id
ORDER BY uscc, submitted_at DESC
