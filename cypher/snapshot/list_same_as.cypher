// The SAME_AS links in force (active), as parallel lists (one row), for the bulk risk snapshot
// (graph/snapshot.py): features read people through the resolution. A retired link (split or
// moved) is a corrected error and is not read; the snapshot dates each link by the resolution
// rule (Snapshot.with_links), not by its decision. Parameters: none.
MATCH (p:Person)-[r:SAME_AS {active: true}]->(e:ResolvedEntity)
RETURN collect(p.person_id) AS person, collect(e.entity_id) AS entity
