// As cartel_linked_pairs, without FAMILY_OF / ASSOCIATE_OF ties between people
// (`riskgraph screen cartels --no-family`). Parameters: $pairs (list of [uscc, uscc]),
// $hops (int 1..4).
UNWIND $pairs AS pair
MATCH (a:Company {uscc: pair[0]}), (b:Company {uscc: pair[1]})
MATCH p = shortestPath((a)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF*..4]-(b))
WITH pair, p
WHERE length(p) <= $hops
RETURN pair[0] AS a, pair[1] AS b, length(p) AS hops,
       [n IN nodes(p) | coalesce(n.uscc, n.person_id)] AS path,
       [r IN relationships(p) | type(r)] AS rels
