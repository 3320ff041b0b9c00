// Link persons to resolved entities (one decision): an active link to another entity is retired
// (kept, with until and ended_by), a link already in place is left as it is.
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MERGE (e:ResolvedEntity {entity_id: row.entity_id})
  ON CREATE SET e.kind = 'person', e.created_at = datetime($at)
WITH p, e, row
OPTIONAL MATCH (p)-[old:SAME_AS {active: true}]->(other:ResolvedEntity)
WHERE other <> e
SET old.active = false, old.until = datetime($at), old.ended_by = $decision_id
WITH DISTINCT p, e, row
WHERE NOT EXISTS { (p)-[:SAME_AS {active: true}]->(e) }
CREATE (p)-[:SAME_AS {decision_id: $decision_id, weight: row.weight,
                      probability: row.probability, method: row.method, actor: $actor,
                      since: datetime($at), active: true, via: row.via,
                      evidence: row.evidence}]->(e)
RETURN count(*) AS linked
