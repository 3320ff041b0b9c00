// Firms that bid in some tender and have ever been blacklisted with one of $kinds (a
// CreditRecord of category 'blacklist'), for the cartel score's blacklist bonus. Firms are read
// through the entity resolution: a bidder is also found through the record of another key of it
// (an active SAME_AS link to one ResolvedEntity of kind 'company'); holder_uscc names the key
// that holds the record, and models/screens/cartels.py keeps the bidders whose own key it is
// (graph/firm_links.py). Parameters: $kinds (list of record kinds).
MATCH (h:Company)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.category = 'blacklist' AND r.kind IN $kinds
WITH DISTINCT h
CALL (h) {
  RETURN h AS c
  UNION
  MATCH (h)-[:SAME_AS {active: true}]->(:ResolvedEntity {kind: 'company'})
        <-[:SAME_AS {active: true}]-(c:Company)
  WHERE c <> h
  RETURN c
}
WITH h, c WHERE EXISTS { (c)-[:SUBMITTED]->(:Bid) }
RETURN DISTINCT c.uscc AS uscc, h.uscc AS holder_uscc
ORDER BY uscc, holder_uscc
