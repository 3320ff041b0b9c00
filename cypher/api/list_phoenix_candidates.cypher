// Possible phoenix firms: companies whose current key persons held a role in a firm that was
// blacklisted (serious dishonest list or procurement ban) and then dissolved, by $as_of. Only
// blacklistings the caller may see count (app/graphql/queries/network.py).
// Parameters: $as_of (ISO date string), $after, $before (USCCs or '' for no bound),
// $backward (bool: descending, for `last`), $limit (int: page size + 1), $disclosures,
// $agencies (lists). Never null. One row per candidate, with its paths. People are read through
// the entity resolution: a person's other records (active SAME_AS links to one ResolvedEntity,
// whatever the day of the decision: the rule of graph/snapshot.py Snapshot.with_links) count as
// the same person (graph/store/resolution.py). Firms too (graph/firm_links.py): a blacklisting
// published under another key of the dissolved firm (a Company linked SAME_AS it) counts as
// the firm's, and no other key of the dissolved firm is its own successor.
MATCH (h:Company)-[:HAS_RECORD]->(rec:CreditRecord:Blacklist)
WHERE rec.kind IN ['serious_dishonest_enterprise_list', 'procurement_ban']
  AND (rec.disclosure IN $disclosures OR (rec.disclosure = 'restricted' AND rec.agency IN $agencies))
CALL (h) {
  RETURN h AS o
  UNION
  MATCH (h)-[:SAME_AS {active: true}]->(:ResolvedEntity {kind: 'company'})
        <-[:SAME_AS {active: true}]-(o:Company)
  WHERE o <> h
  RETURN o
}
WITH o, rec
WHERE o.dissolved_on <= date($as_of) AND rec.issued_on <= o.dissolved_on
MATCH (o)<-[r2:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(p:Person)
CALL (p) {
  RETURN p AS q
  UNION
  MATCH (p)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(q:Person)
  WHERE q <> p
  RETURN q
}
MATCH (q)-[r1:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(c:Company)
WHERE c <> o
  AND NOT EXISTS { (c)-[:SAME_AS {active: true}]->(:ResolvedEntity {kind: 'company'})
                   <-[:SAME_AS {active: true}]-(o) }
  AND c.uscc > $after AND ($before = '' OR c.uscc < $before) AND c.dissolved_on IS NULL
  AND coalesce(r1.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r1.until, date('9999-12-31')) > date($as_of)
WITH c, collect(DISTINCT {person_id: p.person_id, person_name: p.name, role_here: type(r1),
                          role_there: type(r2), other_uscc: o.uscc, other_name: o.name,
                          dissolved_on: toString(o.dissolved_on), record_id: rec.record_id,
                          kind: rec.kind, issued_on: toString(rec.issued_on)}) AS paths
RETURN c.uscc AS uscc, paths
ORDER BY CASE WHEN $backward THEN '' ELSE uscc END,
         CASE WHEN $backward THEN uscc ELSE '' END DESC
LIMIT $limit
