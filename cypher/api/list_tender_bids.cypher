// Bids of tenders with the companies that submitted them and the suppliers they name
// (app/graphql/loaders.py).
// Parameters: $tender_ids (list of strings, never null). One row per bid.
UNWIND $tender_ids AS tid
MATCH (b:Bid)-[:FOR_TENDER]->(:Tender {tender_id: tid})
OPTIONAL MATCH (c:Company)-[s:SUBMITTED]->(b)
WITH tid, b, collect({uscc: c.uscc, role: s.role}) AS bidders
OPTIONAL MATCH (b)-[:LIST_SUPPLIER]->(sup:Company)
RETURN tid AS tender_id, b.bid_id AS bid_id, b.amount AS amount,
       toString(b.submitted_at) AS submitted_at, b.status AS status,
       [x IN bidders WHERE x.uscc IS NOT NULL] AS bidders,
       collect(sup.uscc) AS suppliers
ORDER BY tender_id, amount
