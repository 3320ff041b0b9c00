// Every bid of every tender with at least $min_bids bids, with the firms that submitted it
// (one row per bid; the co-bidding screens of models/screens/cartels.py read these rows).
// Parameters: $min_bids (int >= 2). published_on / deadline are ISO date strings; amount,
// status and the tender's prices / currency may be null when the source lacks them.
MATCH (t:Tender)<-[:FOR_TENDER]-(b:Bid)
WITH t, collect(b) AS bids
WHERE size(bids) >= $min_bids
UNWIND bids AS b
MATCH (c:Company)-[s:SUBMITTED]->(b)
WITH t, b, collect(c.uscc) AS firms, collect(coalesce(s.role, '')) AS roles
RETURN t.tender_id AS tender_id, toString(t.published_on) AS published_on,
       toString(t.deadline) AS deadline, t.category AS category, t.region_code AS region_code,
       t.estimated_value AS estimated_value, t.reserve_price AS reserve_price,
       t.floor_price AS floor_price, t.currency AS currency,
       b.bid_id AS bid_id, b.amount AS amount, b.status AS status, firms, roles
ORDER BY tender_id, bid_id
