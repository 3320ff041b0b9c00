// One tender by id (models/exposure/bid_screen.py). Parameters: $tender_id (string).
MATCH (t:Tender {tender_id: $tender_id})
RETURN t.tender_id AS tender_id, t.title AS title, t.buyer AS buyer,
       toString(t.published_on) AS published_on, toString(t.deadline) AS deadline
