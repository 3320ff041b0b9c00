// Record an investigator's judgement of a pair of firms (kind 'company') and close its place on
// the review queue, as create_judgement does for people.
MATCH (a:Company {uscc: $a}), (b:Company {uscc: $b})
CREATE (j:MatchJudgement {judgement_id: $judgement_id, pair_id: $pair_id, a: $a, b: $b,
                          kind: 'company', verdict: $verdict, note: $note, actor: $actor,
                          at: datetime($at)})
MERGE (c:MatchCandidate {kind: 'company', pair_id: $pair_id})
  ON CREATE SET c.a = $a, c.b = $b, c.created_at = datetime($at)
SET c.status = 'judged', c.verdict = $verdict
RETURN j.judgement_id AS judgement_id
