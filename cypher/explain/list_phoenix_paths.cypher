// Key persons of a firm who held a role in a firm dissolved by an as-of date after a
// blacklisting (a possible phoenix) (models/explain.py). People are read through the entity
// resolution (active SAME_AS links, whatever the day of the decision), as the phoenix_signal
// feature reads them: person_id is the record holding the role there, which may be another
// record (SAME_AS) of the one holding it here. Firms are read through the firm links too
// (graph/store/firm_groups.py), as in the folded snapshot the feature counts: $firms are the
// firm's keys (its registry key and its copies, another source's records of it linked SAME_AS);
// each other firm's key comes with its entity's members (`entity`, `members`: key, name,
// dissolution day and blacklistings), so that the caller reads it as the firm it counts as (a
// copy's role, ban and dissolution are its registry firm's: the dissolution day is the
// registry firm's, a ban may be under any of its keys). A row is a candidate: the caller keeps
// the ones whose firm was dissolved by the as-of date after a ban issued before.
// Parameters: $firms (list of the firm's keys), $as_of (ISO date string). Never null.
MATCH (c:Company)<-[r1:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(h:Person)
WHERE c.uscc IN $firms
  AND coalesce(r1.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r1.until, date('9999-12-31')) > date($as_of)
CALL (h) {
  RETURN h AS p
  UNION
  MATCH (h)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(p:Person)
  WHERE p <> h
  RETURN p
}
MATCH (p)-[r2:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(o:Company)
WHERE NOT o.uscc IN $firms
WITH DISTINCT p, type(r1) AS role_here, type(r2) AS role_there, o
CALL (o) {
  OPTIONAL MATCH (o)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
                 <-[:SAME_AS {active: true}]-(m:Company)
  WITH o, e, collect(DISTINCT m) AS found
  UNWIND [o] + found AS m
  CALL (m) {
    OPTIONAL MATCH (m)-[:HAS_RECORD]->(rec:CreditRecord)
    WHERE coalesce(rec.overturned, false) = false
      AND rec.kind IN ['serious_dishonest_enterprise_list', 'procurement_ban']
      AND rec.issued_on <= date($as_of)
    RETURN collect(rec {.record_id, .kind, issued_on: toString(rec.issued_on)}) AS bans
  }
  RETURN e.entity_id AS entity,
         collect({key: m.uscc, name: m.name, dissolved_on: toString(m.dissolved_on),
                  bans: bans}) AS members
}
WITH p, role_here, role_there, o, entity, members
WHERE any(m IN members WHERE m.dissolved_on IS NOT NULL AND date(m.dissolved_on) <= date($as_of))
  AND any(m IN members WHERE size(m.bans) > 0)
RETURN p.person_id AS person_id, p.name AS person_name, role_here, role_there,
       o.uscc AS other_uscc, o.name AS other_name, entity, members
ORDER BY other_uscc, person_id, role_here, role_there
