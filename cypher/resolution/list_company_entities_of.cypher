// The firm entities the given keys are linked to now (active SAME_AS to a ResolvedEntity of kind
// 'company'), each with every member's key: the screens' reading of a firm's other keys
// (graph/firm_links.py firm_keys). Keys without an active link give no row.
// Parameters: $usccs (list of firm keys).
UNWIND $usccs AS u
MATCH (:Company {uscc: u})-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
WITH DISTINCT e
MATCH (m:Company)-[:SAME_AS {active: true}]->(e)
RETURN e.entity_id AS entity, collect(m.uscc) AS members
ORDER BY entity
