// The members of the firm entities of some keys (graph/store/firm_groups.py: the GraphQL
// Company.registryFirm / copies loaders, the explanation's and the network queries' firm
// groups): per key found, the entity it is linked to by an active SAME_AS and every other key
// linked to that entity. A key without an active link has entity null and no members.
// Parameters: $usccs (list of strings, never null). One row per key found.
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
OPTIONAL MATCH (c)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
               <-[:SAME_AS {active: true}]-(m:Company)
RETURN u AS uscc, e.entity_id AS entity, collect(DISTINCT m.uscc) AS members
ORDER BY uscc, entity
