// People holding a role or shares in both of two companies, with their roles in each
// (app/graphql/network/resolvers.py). People are read through the entity resolution: records
// with an active SAME_AS link to one ResolvedEntity are one person, named by the smallest of its
// records holding a role in either firm (graph/store/resolution.py). Firms are read through it
// too: each side is a firm's keys (its registry key and its copies, graph/store/firm_groups.py),
// so a role held in a copy is a role in its registry firm.
// Parameters: $a, $b (lists of firm keys, the two firms' groups, never null).
MATCH (ca:Company)<-[ra:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]-(pa:Person)
WHERE ca.uscc IN $a
OPTIONAL MATCH (pa)-[:SAME_AS {active: true}]->(ea:ResolvedEntity)
WITH coalesce(ea.entity_id, pa.person_id) AS who, collect(pa.person_id) AS ids_a,
     collect(DISTINCT type(ra)) AS roles_in_a
MATCH (cb:Company)<-[rb:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]-(pb:Person)
WHERE cb.uscc IN $b
OPTIONAL MATCH (pb)-[:SAME_AS {active: true}]->(eb:ResolvedEntity)
WITH who, ids_a, roles_in_a, pb, rb
WHERE coalesce(eb.entity_id, pb.person_id) = who
WITH who, ids_a, roles_in_a, collect(pb.person_id) AS ids_b,
     collect(DISTINCT type(rb)) AS roles_in_b
UNWIND ids_a + ids_b AS id
WITH who, roles_in_a, roles_in_b, min(id) AS person_id
RETURN person_id, roles_in_a, roles_in_b
ORDER BY person_id
