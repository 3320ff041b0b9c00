// Conflicts of interest through people: the inspector (as a Person), or a relative or associate
// of theirs, holds or held a role or a shareholding in the firm within the look-back window
// (a role that began after the plan date is not a conflict of that plan).
// People are read through the entity resolution: every record with an active SAME_AS link to the
// same ResolvedEntity is the same person, on both ends of the family or associate tie
// (graph/store/resolution.py; the rule of graph/snapshot.py Snapshot.with_links).
// Parameters: usccs (firms of the plan), since (ISO date: plan date minus the look-back),
// plan_date (ISO date). Firms are read through the entity resolution by the caller
// (graph/store/plans.py): $usccs holds every key of the plan's firms (their copies too), and
// each row is counted for the firm the key belongs to (graph/firm_links.py).
MATCH (i:Inspector) WHERE i.person_id IS NOT NULL
MATCH (p0:Person {person_id: i.person_id})
CALL (p0) {
  RETURN p0 AS p
  UNION
  MATCH (p0)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(p:Person)
  WHERE p <> p0
  RETURN p
}
WITH i, collect(p) AS selves
UNWIND selves AS p
MATCH (p)-[:FAMILY_OF|ASSOCIATE_OF*0..1]-(q0:Person)
CALL (q0) {
  RETURN q0 AS q
  UNION
  MATCH (q0)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(q:Person)
  WHERE q <> q0
  RETURN q
}
MATCH (q)-[r:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]->(c:Company)
WHERE c.uscc IN $usccs AND coalesce(r.until, date('9999-12-31')) >= date($since)
  AND coalesce(r.since, date($plan_date)) <= date($plan_date)
RETURN DISTINCT i.inspector_id AS inspector_id, c.uscc AS uscc,
       CASE WHEN q.person_id = i.person_id THEN 'the inspector is '
            WHEN q IN selves THEN 'the inspector (also recorded as ' + q.person_id + ') is '
            ELSE 'a relative or associate (' + q.person_id + ') is ' END
       + CASE type(r) WHEN 'HOLDS_EQUITY' THEN 'a shareholder'
                      WHEN 'LEGAL_REPRESENTATIVE_OF' THEN 'the legal representative'
                      WHEN 'ACTUAL_CONTROLLER_OF' THEN 'the actual controller'
                      WHEN 'DIRECTOR_OF' THEN 'a director' ELSE 'a supervisor' END
       + CASE WHEN r.until IS NULL THEN ' of the firm' ELSE ' of the firm until ' + toString(r.until) END
       AS reason
