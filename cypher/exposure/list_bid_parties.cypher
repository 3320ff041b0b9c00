// The parties of one bid: the firms that SUBMITTED it (with their role), the suppliers it lists
// (LIST_SUPPLIER) and the tender it is for. Parameters: $bid_id (string). No row when the bid
// is unknown; entries with a null uscc (no such party) are dropped by the caller.
MATCH (b:Bid {bid_id: $bid_id})
OPTIONAL MATCH (b)-[:FOR_TENDER]->(t:Tender)
OPTIONAL MATCH (m:Company)-[s:SUBMITTED]->(b)
WITH b, t, collect(DISTINCT {uscc: m.uscc, role: coalesce(s.role, 'member')}) AS members
OPTIONAL MATCH (b)-[:LIST_SUPPLIER]->(x:Company)
RETURN b.bid_id AS bid_id, t.tender_id AS tender_id, members,
       collect(DISTINCT x.uscc) AS suppliers
