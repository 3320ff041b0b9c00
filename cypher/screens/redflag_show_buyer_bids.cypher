// Neo4j Browser: a buyer's tenders and their bids (R038 buyer / procuring entity flags).
// Parameters: $buyer (the Tender.buyer name).
MATCH p = (t:Tender {buyer: $buyer})<-[:FOR_TENDER]-(b:Bid)
RETURN p
