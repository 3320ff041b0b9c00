// A phoenix firm
// A dissolved firm whose key people hold roles in a firm founded at most a year before its
// dissolution or later: the people, the new firm, the old firm's blacklistings and a shared
// registered address when there is one (the eight successions founded nearest the dissolution:
// a professional supervisor may sit on dozens of firms). The example picks a firm blacklisted,
// then dissolved, whose people set up a new firm within a year, preferring one at the same
// address.
// :param uscc => COLLECT { MATCH (old:Company)<-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(p:Person)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(new:Company) WHERE new <> old AND old.dissolved_on - duration('P30D') <= new.founded_on <= old.dissolved_on + duration('P365D') AND EXISTS { (old)-[:HAS_RECORD]->(r:CreditRecord) WHERE r.kind IN ['serious_dishonest_enterprise_list', 'procurement_ban'] AND r.issued_on <= old.dissolved_on } WITH old, count(DISTINCT p) AS people, max(CASE WHEN EXISTS { (old)-[:REGISTERED_AT]->(:Address)<-[:REGISTERED_AT]-(new) } THEN 1 ELSE 0 END) AS same ORDER BY same DESC, people DESC, old.uscc RETURN old.uscc LIMIT 1 }[0]
MATCH succession = (old:Company {uscc: $uscc})<-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(:Person)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(new:Company)
WHERE old.dissolved_on IS NOT NULL AND new <> old
  AND new.founded_on >= old.dissolved_on - duration('P365D')
WITH old, new, succession
ORDER BY abs(duration.inDays(old.dissolved_on, new.founded_on).days), new.uscc,
         nodes(succession)[1].person_id
LIMIT 8
OPTIONAL MATCH same_address = (old)-[:REGISTERED_AT]->(:Address)<-[:REGISTERED_AT]-(new)
OPTIONAL MATCH listed = (old)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.kind IN ['serious_dishonest_enterprise_list', 'procurement_ban']
RETURN succession, same_address, listed
LIMIT 40
