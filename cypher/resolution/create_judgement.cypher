// Record an investigator's judgement of a pair and close its place on the review queue.
MATCH (a:Person {person_id: $a}), (b:Person {person_id: $b})
CREATE (j:MatchJudgement {judgement_id: $judgement_id, pair_id: $pair_id, a: $a, b: $b,
                          kind: 'person',
                          verdict: $verdict, note: $note, actor: $actor, at: datetime($at)})
MERGE (c:MatchCandidate {kind: 'person', pair_id: $pair_id})
  ON CREATE SET c.a = $a, c.b = $b, c.created_at = datetime($at)
SET c.status = 'judged', c.verdict = $verdict
RETURN j.judgement_id AS judgement_id
