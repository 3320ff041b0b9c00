// A bid-rigging cartel
// Firms that bid against the firm in at least $min_tenders tenders and are linked to it by a
// person (legal representative, director, supervisor, controller), an address or a phone /
// e-mail: the links, and the bids in the shared tenders (the three co-bidders with the most shared
// tenders, the three newest of each, so the picture stays readable). The example picks, among the
// firms with such linked co-bidding, one with the median number of shared tenders.
// :param min_tenders => 2
// :param uscc => COLLECT { MATCH (c:Company)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company) WHERE o <> c WITH c, o, count(DISTINCT t) AS n WHERE n >= 2 AND EXISTS { (c)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(x)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(o) WHERE NOT x:Company } WITH c, sum(n) AS score WITH collect({uscc: c.uscc, n: score}) AS firms, percentileDisc(score, 0.5) AS median UNWIND firms AS f WITH f, median WHERE f.n = median RETURN f.uscc ORDER BY f.uscc LIMIT 1 }[0]
MATCH (c:Company {uscc: $uscc})-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company)
WHERE o <> c
WITH c, o, t ORDER BY t.published_on DESC, t.tender_id
WITH c, o, collect(DISTINCT t) AS tenders
WHERE size(tenders) >= $min_tenders
  AND EXISTS { (c)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(x)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(o) WHERE NOT x:Company }
WITH c, o, tenders ORDER BY size(tenders) DESC, o.uscc LIMIT 3
MATCH link = (c)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(x)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|REGISTERED_AT|HAS_CONTACT]-(o)
WHERE NOT x:Company
MATCH bids = (c)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o)
WHERE t IN tenders[..3]
RETURN link, bids
LIMIT 40
