// Neo4j Browser view of the shortest people / ownership path between two competing bidders
// and the tender they both bid in. People are read through the entity resolution (a crossing
// between two records of one ResolvedEntity shows as its two active SAME_AS links).
// Parameters: $a, $b (usccs), $tender_id (string).
MATCH (a:Company {uscc: $a}), (b:Company {uscc: $b})
MATCH p = shortestPath((a)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF|FAMILY_OF|ASSOCIATE_OF|SAME_AS*..6]-(b))
WHERE all(r IN relationships(p) WHERE type(r) <> 'SAME_AS' OR r.active)
OPTIONAL MATCH bids = (a)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(:Tender {tender_id: $tender_id})<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(b)
RETURN p, bids
