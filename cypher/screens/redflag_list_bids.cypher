// Every bid with the firms that submitted it (role: sole / lead / member), for the red-flag
// screens. Parameters: $tender_id (string, or null for every tender). submitted_at is an ISO
// string without offset (the loader marks it UTC, like the OCDS exporter).
MATCH (b:Bid)-[:FOR_TENDER]->(t:Tender)
WHERE $tender_id IS NULL OR t.tender_id = $tender_id
OPTIONAL MATCH (c:Company)-[s:SUBMITTED]->(b)
WITH t, b, collect({uscc: c.uscc, name: c.name, role: s.role}) AS firms
RETURN t.tender_id AS tender_id, b.bid_id AS bid_id, b.amount AS amount, b.status AS status,
       b.currency AS currency,
       toString(b.submitted_at) AS submitted_at, [f IN firms WHERE f.uscc IS NOT NULL] AS firms
ORDER BY tender_id, bid_id
