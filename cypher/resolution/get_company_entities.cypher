// The given firms that exist, each with its active entity (null when unlinked).
// Parameters: $record_ids (list of firm keys).
UNWIND $record_ids AS rid
MATCH (c:Company {uscc: rid})
OPTIONAL MATCH (c)-[:SAME_AS {active: true}]->(e:ResolvedEntity)
RETURN c.uscc AS record_id, e.entity_id AS entity_id
