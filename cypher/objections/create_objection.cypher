// File an objection by a firm against a credit record or its assessment in a ranking run.
// Parameters: objection_id, uscc, record_id (or null), run_id (or null), filed_by, grounds,
// filed_at (ISO date-time).
MATCH (c:Company {uscc: $uscc})
CREATE (o:Objection {
  objection_id: $objection_id, uscc: $uscc, record_id: $record_id, run_id: $run_id,
  subject: CASE WHEN $record_id IS NULL THEN 'ranking' ELSE 'record' END,
  state: 'filed', version: 1, filed_by: $filed_by, grounds: $grounds,
  filed_at: datetime($filed_at), updated_at: datetime($filed_at)
})
CREATE (c)-[:FILED]->(o)
CREATE (o)-[:HAS_TRANSITION]->(:ObjectionTransition {
  objection_id: $objection_id, seq: 1, from_state: null, to_state: 'filed',
  at: datetime($filed_at), actor: $filed_by, reason: $grounds
})
WITH o
OPTIONAL MATCH (r:CreditRecord {record_id: $record_id})
FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END | CREATE (o)-[:CONTESTS]->(r))
WITH o
OPTIONAL MATCH (a:RiskAssessment {run_id: $run_id, uscc: $uscc})
FOREACH (_ IN CASE WHEN a IS NULL OR $record_id IS NOT NULL THEN [] ELSE [1] END |
  CREATE (o)-[:CONTESTS]->(a))
RETURN o.objection_id AS objection_id
