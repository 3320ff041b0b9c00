// The firms' SAME_AS links in force (active), as parallel lists (one row), for the bulk risk
// snapshot (graph/firm_links.py): a copy of a firm (a second source's key) counts as its
// registry firm. A retired link (split or moved) is a corrected error and is not read.
// Parameters: none.
MATCH (c:Company)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
RETURN collect(c.uscc) AS company, collect(e.entity_id) AS entity
