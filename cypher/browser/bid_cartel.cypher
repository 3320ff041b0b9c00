// A bid-rigging cartel
// Firms that bid against the firm in at least $min_tenders tenders and are linked to it by a
// person (legal representative, director, supervisor, controller), an address or a phone /
// e-mail: the links, and the bids in the shared tenders. The example picks the firm with the
// most such linked co-bidding.
// :param min_tenders => 2
// :param uscc => COLLECT { MATCH (c:Company)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company) WHERE o <> c WITH c, o, count(DISTINCT t) AS n WHERE n >= 2 AND EXISTS { (c)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(x)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(o) WHERE NOT x:Company } WITH c, sum(n) AS score ORDER BY score DESC, c.uscc RETURN c.uscc LIMIT 1 }[0]
MATCH (c:Company {uscc: $uscc})-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company)
WHERE o <> c
WITH c, o, collect(DISTINCT t) AS tenders
WHERE size(tenders) >= $min_tenders
MATCH link = (c)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(x)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(o)
WHERE NOT x:Company
MATCH bids = (c)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o)
WHERE t IN tenders
RETURN link, bids
LIMIT 300
