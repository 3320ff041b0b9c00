// Move an objection from one state to another, atomically. The first SET takes the node's
// write lock, so the state test after it sees every committed transition: of two concurrent
// transitions from the same state, exactly one matches. Parameters: objection_id, from_state,
// to_state, actor, reason, at (ISO date-time).
MATCH (o:Objection {objection_id: $objection_id})
SET o._lock = true
REMOVE o._lock
WITH o
WHERE o.state = $from_state
SET o.state = $to_state, o.version = o.version + 1, o.updated_at = datetime($at)
CREATE (o)-[:HAS_TRANSITION]->(:ObjectionTransition {
  objection_id: $objection_id, seq: o.version, from_state: $from_state, to_state: $to_state,
  at: datetime($at), actor: $actor, reason: $reason
})
RETURN o.version AS version
