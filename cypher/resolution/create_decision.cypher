// Record one resolution decision (a run, a judgement's merge or a split).
CREATE (d:ResolutionDecision {decision_id: $decision_id, action: $action, at: datetime($at),
                              actor: $actor, method: $method, detail: $detail})
RETURN d.decision_id AS decision_id
