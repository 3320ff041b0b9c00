// Neo4j Browser view of a bid with a blacklisted party: the tender, the bid, its parties and
// the blacklisting record. Parameters: $bid_id (string), $record_id (string).
MATCH (t:Tender)<-[f:FOR_TENDER]-(b:Bid {bid_id: $bid_id})<-[s:SUBMITTED]-(c:Company)
OPTIONAL MATCH h = (c)-[:HAS_RECORD]->(:CreditRecord {record_id: $record_id})
RETURN t, f, b, s, c, h
