// Neo4j Browser: a tender with its bids and bidding firms (R003 R018 R024 R028 R030 R035 R036
// R058). Parameters: $tender_id.
MATCH (t:Tender {tender_id: $tender_id})
OPTIONAL MATCH p = (t)<-[:FOR_TENDER]-(b:Bid)<-[:SUBMITTED]-(c:Company)
RETURN t, p
