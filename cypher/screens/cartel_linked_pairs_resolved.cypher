// As cartel_linked_pairs, through the entity resolution
// (graph/store/procurement.py reads this form when the graph holds active SAME_AS links): two
// records with an active SAME_AS link to one ResolvedEntity are one person, so crossing from one
// to the other (two SAME_AS relationships) is no hop. The search is bounded at 6 relationships,
// so a path of $hops relationships crosses at most (6 - $hops) / 2 such records (a 2-hop shared
// person: always; a 4-hop path: once). path names the records (not the entity) and rels shows
// each crossing as one SAME_AS. Parameters: $pairs (list of [uscc, uscc]), $hops (int 1..4).
UNWIND $pairs AS pair
MATCH (a:Company {uscc: pair[0]}), (b:Company {uscc: pair[1]})
MATCH p = shortestPath((a)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF|FAMILY_OF|ASSOCIATE_OF|SAME_AS*..6]-(b))
WHERE all(r IN relationships(p) WHERE type(r) <> 'SAME_AS' OR r.active)
WITH pair, p, relationships(p) AS rs
WITH pair, p, rs, size([r IN rs WHERE type(r) <> 'SAME_AS']) AS hops
WHERE hops <= $hops
RETURN pair[0] AS a, pair[1] AS b, hops,
       [n IN nodes(p) WHERE NOT n:ResolvedEntity | coalesce(n.uscc, n.person_id)] AS path,
       [i IN range(0, size(rs) - 1)
        WHERE NOT (i > 0 AND type(rs[i]) = 'SAME_AS' AND type(rs[i - 1]) = 'SAME_AS')
        | type(rs[i])] AS rels
