// Neo4j Browser: a firm's bids and the tenders they were for (R025 R038 R048 tenderer flags).
// Parameters: $uscc.
MATCH p = (c:Company {uscc: $uscc})-[:SUBMITTED]->(b:Bid)-[:FOR_TENDER]->(t:Tender)
RETURN p
