// Every company's part in every bid, with the tender it was for, as parallel lists (one row),
// for the bulk risk snapshot (graph/snapshot.py). Parameters: none. published_on / deadline are
// yyyymmdd integers (-1 unknown); role and status are '' when unknown. Tenders and bids come
// as natural keys (graph/snapshot.py maps them to integers).
MATCH (c:Company)-[s:SUBMITTED]->(b:Bid)-[:FOR_TENDER]->(t:Tender)
RETURN collect(c.uscc) AS company, collect(t.tender_id) AS tender, collect(b.bid_id) AS bid,
       collect(coalesce(s.role, '')) AS role, collect(coalesce(b.status, '')) AS status,
       collect(coalesce(t.published_on.year * 10000 + t.published_on.month * 100 + t.published_on.day, -1)) AS published_on,
       collect(coalesce(t.deadline.year * 10000 + t.deadline.month * 100 + t.deadline.day, -1)) AS deadline
