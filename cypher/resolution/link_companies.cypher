// Link firms (Company records of several sources) to resolved entities (one decision), as
// link_persons does for people: an active link to another entity is retired (kept, with until
// and ended_by), a link already in place is left as it is. Rows: record_id (the USCC or
// namespaced key), entity_id, weight, probability, method, via, evidence.
UNWIND $rows AS row
MATCH (c:Company {uscc: row.record_id})
MERGE (e:ResolvedEntity {entity_id: row.entity_id})
  ON CREATE SET e.kind = 'company', e.created_at = datetime($at)
WITH c, e, row
OPTIONAL MATCH (c)-[old:SAME_AS {active: true}]->(other:ResolvedEntity)
WHERE other <> e
SET old.active = false, old.until = datetime($at), old.ended_by = $decision_id
WITH DISTINCT c, e, row
WHERE NOT EXISTS { (c)-[:SAME_AS {active: true}]->(e) }
CREATE (c)-[:SAME_AS {decision_id: $decision_id, weight: row.weight,
                      probability: row.probability, method: row.method, actor: $actor,
                      since: datetime($at), active: true, via: row.via,
                      evidence: row.evidence}]->(e)
RETURN count(*) AS linked
