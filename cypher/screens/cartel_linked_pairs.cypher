// Pairs of firms linked through people (legal representative, director, supervisor, actual
// controller, shareholder; FAMILY_OF / ASSOCIATE_OF between people) or ownership (HOLDS_EQUITY,
// SUBSIDIARY_OF, BRANCH_OF) within $hops relationships (at most 4, the bound written below).
// Parameters: $pairs (list of [uscc, uscc]), $hops (int 1..4).
// Returns the shortest such path per linked pair; unlinked pairs return no row. The length test
// sits after the search so that shortestPath never falls back to an exhaustive one.
UNWIND $pairs AS pair
MATCH (a:Company {uscc: pair[0]}), (b:Company {uscc: pair[1]})
MATCH p = shortestPath((a)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF|FAMILY_OF|ASSOCIATE_OF*..4]-(b))
WITH pair, p
WHERE length(p) <= $hops
RETURN pair[0] AS a, pair[1] AS b, length(p) AS hops,
       [n IN nodes(p) | coalesce(n.uscc, n.person_id)] AS path,
       [r IN relationships(p) | type(r)] AS rels
