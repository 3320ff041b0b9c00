// Put uncertain pairs of one kind ($kind: 'person' or 'company') on the review queue, keyed by
// kind and pair id (migration 010); a pair already judged keeps its status.
UNWIND $rows AS row
MERGE (c:MatchCandidate {kind: $kind, pair_id: row.pair_id})
  ON CREATE SET c.a = row.a, c.b = row.b, c.status = 'open', c.created_at = datetime($at)
SET c.weight = row.weight, c.probability = row.probability, c.evidence = row.evidence,
    c.decision_id = $decision_id
RETURN count(c) AS queued
