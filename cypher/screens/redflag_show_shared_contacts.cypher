// Neo4j Browser: competing bidders of a tender that share an address or contact point (R044).
// Parameters: $tender_id.
MATCH (t:Tender {tender_id: $tender_id})<-[:FOR_TENDER]-(b1:Bid)<-[:SUBMITTED]-(c1:Company),
      (t)<-[:FOR_TENDER]-(b2:Bid)<-[:SUBMITTED]-(c2:Company)
WHERE b1 <> b2 AND c1.uscc < c2.uscc
MATCH p = (c1)-[:REGISTERED_AT|HAS_CONTACT]->(x)<-[:REGISTERED_AT|HAS_CONTACT]-(c2)
RETURN t, b1, b2, p
