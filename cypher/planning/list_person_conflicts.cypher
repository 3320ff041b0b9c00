// Conflicts of interest through people: the inspector (as a Person), or a relative or associate
// of theirs, holds or held a role or a shareholding in the firm within the look-back window.
// Parameters: usccs (firms of the plan), since (ISO date: plan date minus the look-back).
MATCH (i:Inspector) WHERE i.person_id IS NOT NULL
MATCH (p:Person {person_id: i.person_id})
MATCH (p)-[:FAMILY_OF|ASSOCIATE_OF*0..1]-(q:Person)
MATCH (q)-[r:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]->(c:Company)
WHERE c.uscc IN $usccs AND coalesce(r.until, date('9999-12-31')) >= date($since)
RETURN DISTINCT i.inspector_id AS inspector_id, c.uscc AS uscc,
       CASE WHEN q = p THEN 'the inspector is ' ELSE 'a relative or associate (' + q.person_id + ') is ' END
       + CASE type(r) WHEN 'HOLDS_EQUITY' THEN 'a shareholder'
                      WHEN 'LEGAL_REPRESENTATIVE_OF' THEN 'the legal representative'
                      WHEN 'ACTUAL_CONTROLLER_OF' THEN 'the actual controller'
                      WHEN 'DIRECTOR_OF' THEN 'a director' ELSE 'a supervisor' END
       + CASE WHEN r.until IS NULL THEN ' of the firm' ELSE ' of the firm until ' + toString(r.until) END
       AS reason
