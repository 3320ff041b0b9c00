// As cartel_linked_pairs, without FAMILY_OF / ASSOCIATE_OF ties between people
// (`riskgraph screen cartels --no-family`). Parameters: $pairs (list of {a, b, a_keys,
// b_keys}: two firms and the keys of each), $hops (int 1..4).
// Firms are read through the entity resolution (graph/firm_links.py): a path may start at any
// key of a firm (itself or a copy) and end at any key of the other; the shortest is kept.
UNWIND $pairs AS pair
MATCH (a:Company) WHERE a.uscc IN pair.a_keys
MATCH (b:Company) WHERE b.uscc IN pair.b_keys
MATCH p = shortestPath((a)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF*..4]-(b))
WITH pair, p
WHERE length(p) <= $hops
WITH pair, p ORDER BY length(p), [n IN nodes(p) | coalesce(n.uscc, n.person_id)]
WITH pair, head(collect(p)) AS p
RETURN pair.a AS a, pair.b AS b, length(p) AS hops,
       [n IN nodes(p) | coalesce(n.uscc, n.person_id)] AS path,
       [r IN relationships(p) | type(r)] AS rels
