// As cartel_linked_pairs, through the entity resolution
// (graph/store/procurement.py reads this form when the graph holds active SAME_AS links): two
// records with an active SAME_AS link to one ResolvedEntity are one person, so crossing from one
// to the other (two SAME_AS relationships) is no hop. The search is bounded at 6 relationships,
// so a path of $hops relationships crosses at most (6 - $hops) / 2 such records (a 2-hop shared
// person: always; a 4-hop path: once). path names the records (not the entity) and rels shows
// each crossing as one SAME_AS. Parameters: $pairs (list of {a, b, a_keys,
// b_keys}: two firms and the keys of each), $hops (int 1..4).
// Firms are read through the entity resolution (graph/firm_links.py): a path may start at any
// key of a firm (itself or a copy) and end at any key of the other; the shortest is kept.
UNWIND $pairs AS pair
MATCH (a:Company) WHERE a.uscc IN pair.a_keys
MATCH (b:Company) WHERE b.uscc IN pair.b_keys
MATCH p = shortestPath((a)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF|FAMILY_OF|ASSOCIATE_OF|SAME_AS*..6]-(b))
WHERE all(r IN relationships(p) WHERE type(r) <> 'SAME_AS' OR r.active)
WITH pair, p, relationships(p) AS rs
WITH pair, p, rs, size([r IN rs WHERE type(r) <> 'SAME_AS']) AS hops
WHERE hops <= $hops
WITH pair, p, rs, hops
ORDER BY hops, size(rs), [n IN nodes(p) | coalesce(n.uscc, n.person_id, n.entity_id)]
WITH pair, head(collect({p: p, rs: rs, hops: hops})) AS best
WITH pair, best.p AS p, best.rs AS rs, best.hops AS hops
RETURN pair.a AS a, pair.b AS b, hops,
       [n IN nodes(p) WHERE NOT n:ResolvedEntity | coalesce(n.uscc, n.person_id)] AS path,
       [i IN range(0, size(rs) - 1)
        WHERE NOT (i > 0 AND type(rs[i]) = 'SAME_AS' AND type(rs[i - 1]) = 'SAME_AS')
        | type(rs[i])] AS rels
