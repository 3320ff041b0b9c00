// An objection with its transitions (oldest first). Parameters: objection_id.
MATCH (o:Objection {objection_id: $objection_id})
OPTIONAL MATCH (o)-[:HAS_TRANSITION]->(t:ObjectionTransition)
WITH o, t ORDER BY t.seq
RETURN o.objection_id AS objection_id, o.uscc AS uscc, o.subject AS subject,
       o.record_id AS record_id, o.run_id AS run_id, o.state AS state, o.version AS version,
       o.filed_by AS filed_by, o.grounds AS grounds, toString(o.filed_at) AS filed_at,
       toString(o.updated_at) AS updated_at,
       collect({seq: t.seq, from_state: t.from_state, to_state: t.to_state,
                at: toString(t.at), actor: t.actor, reason: t.reason}) AS transitions
