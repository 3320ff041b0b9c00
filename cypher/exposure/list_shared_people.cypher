// People who hold a role (one of $roles, in force at $as_of) in one of the given companies and
// also in another company with a list inclusion of the given kinds in force at $as_of: the
// "shared people with blacklisted firms" of an exposure report. People are grouped first (each
// person's other roles are read once, however many of the companies they serve), then the
// other firms (each one's records are read once, however many people lead to it).
// People are read through the entity resolution: another record of the same person (active
// SAME_AS links to one ResolvedEntity) holding the other role is that person; person_id names
// the record in role in the given company. Firms too: the records of another key of the other
// firm (an active SAME_AS link to one ResolvedEntity of kind 'company') are read, holder_uscc
// naming the key that holds the record; graph/store/exposure.py keeps those of the other firm's
// own keys (graph/firm_links.py) and names the firms by their canonical keys.
// Parameters: $usccs, $roles, $kinds (lists of strings), $as_of (ISO date string). Never null.
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})<-[role:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(p:Person)
WHERE type(role) IN $roles
  AND coalesce(role.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(role.until, date('9999-12-31')) > date($as_of)
WITH p, collect({uscc: u, role: type(role)}) AS at
CALL (p) {
  RETURN p AS s
  UNION
  MATCH (p)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(s:Person)
  WHERE s <> p
  RETURN s
}
MATCH (s)-[other:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(x:Company)
WHERE type(other) IN $roles
  AND coalesce(other.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(other.until, date('9999-12-31')) > date($as_of)
WITH x, collect({person_id: p.person_id, person_name: p.name, other_role: type(other), at: at}) AS via
CALL (x) {
  RETURN x AS h
  UNION
  MATCH (x)-[:SAME_AS {active: true}]->(:ResolvedEntity {kind: 'company'})
        <-[:SAME_AS {active: true}]-(h:Company)
  WHERE h <> x
  RETURN h
}
MATCH (h)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.kind IN $kinds
  AND r.issued_on <= date($as_of)
  AND (r.removed_on IS NULL OR r.removed_on > date($as_of))
UNWIND via AS v
UNWIND v.at AS a
WITH a, v, x, h, r WHERE a.uscc <> x.uscc
RETURN a.uscc AS uscc, v.person_id AS person_id, v.person_name AS person_name,
       a.role AS role, x.uscc AS other_uscc, x.name AS other_name, v.other_role AS other_role,
       r.record_id AS record_id, r.kind AS kind, toString(r.issued_on) AS issued_on,
       r.agency AS agency, r.disclosure AS disclosure, h.uscc AS holder_uscc
ORDER BY uscc, person_id, other_uscc, record_id
