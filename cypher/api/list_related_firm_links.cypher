// One hop of a related-party search: firms linked to the frontier firms by the chosen channels
// (PEOPLE: a shared key person or shareholder; OWNERSHIP: equity, subsidiary or branch links;
// ADDRESS: a shared address or contact point; SUPPLY: a supply link; COBIDDING: bids in the same
// tender), skipping firms already reached (app/graphql/queries/network.py). People are read
// through the entity resolution: a key person's other records (active SAME_AS links to one
// ResolvedEntity) count as the same person; the link names the record holding the role in the
// frontier firm. Firms are read through it too (graph/store/firm_groups.py): a frontier firm is
// its keys (its registry key and its copies), none of which is a firm linked to it, and each
// linked firm comes with its entity's members (`entity`, `members`) so that the caller names it
// by the firm it counts as (a copy by its registry firm).
// Parameters: $frontier (list of {src: USCC, keys: list of the firm's keys}), $channels (list
// of channel names), $seen (list of the keys of the firms reached), $limit (int). Never null.
// One row per (frontier firm, linked key, channel), naming one of the persons / addresses /
// tenders that link them.
UNWIND $frontier AS f
MATCH (c:Company)
WHERE c.uscc IN f.keys
CALL (c, f) {
  MATCH (c)<-[r1:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]-(h:Person)
  WHERE 'PEOPLE' IN $channels
  CALL (h) {
    RETURN h AS p
    UNION
    MATCH (h)-[:SAME_AS {active: true}]->(:ResolvedEntity)<-[:SAME_AS {active: true}]-(p:Person)
    WHERE p <> h
    RETURN p
  }
  MATCH (p)-[r2:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]->(o:Company)
  WHERE NOT o.uscc IN f.keys
  RETURN o, 'PEOPLE' AS channel, 'Person' AS via_label, h.person_id AS via_id,
         h.name AS via_name, type(r1) + ' / ' + type(r2) AS detail
  UNION
  MATCH (c)-[r:HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF]-(o:Company)
  WHERE 'OWNERSHIP' IN $channels AND NOT o.uscc IN f.keys
  RETURN o, 'OWNERSHIP' AS channel, null AS via_label, null AS via_id, null AS via_name,
         CASE WHEN startNode(r) = c THEN type(r) ELSE 'inverse ' + type(r) END AS detail
  UNION
  MATCH (c)-[:REGISTERED_AT|HAS_CONTACT]->(x)<-[:REGISTERED_AT|HAS_CONTACT]-(o:Company)
  WHERE 'ADDRESS' IN $channels AND NOT o.uscc IN f.keys
  RETURN o, 'ADDRESS' AS channel, CASE WHEN x:Address THEN 'Address' ELSE 'ContactPoint' END
         AS via_label, coalesce(x.address_id, x.contact_id) AS via_id,
         coalesce(x.text, x.value) AS via_name, 'shared' AS detail
  UNION
  MATCH (c)-[r:SUPPLIES]-(o:Company)
  WHERE 'SUPPLY' IN $channels AND NOT o.uscc IN f.keys
  RETURN o, 'SUPPLY' AS channel, null AS via_label, null AS via_id, null AS via_name,
         CASE WHEN startNode(r) = c THEN 'supplies' ELSE 'is supplied by' END AS detail
  UNION
  MATCH (c)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company)
  WHERE 'COBIDDING' IN $channels AND NOT o.uscc IN f.keys
  RETURN o, 'COBIDDING' AS channel, 'Tender' AS via_label, t.tender_id AS via_id,
         t.title AS via_name, 'bid in the same tender' AS detail
}
WITH f.src AS u, o, channel, via_label, via_id, via_name, detail
WHERE NOT o.uscc IN $seen
CALL (o) {
  OPTIONAL MATCH (o)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
                 <-[:SAME_AS {active: true}]-(m:Company)
  RETURN e.entity_id AS entity, collect(DISTINCT m.uscc) AS members
}
WITH u, o.uscc AS dst, entity, members, channel, via_label, via_id, via_name, detail
ORDER BY via_id
WITH u, dst, entity, members, channel,
     head(collect({label: via_label, id: via_id, name: via_name, detail: detail})) AS via
RETURN u AS src, dst, entity, members, channel, via.label AS via_label, via.id AS via_id,
       via.name AS via_name, via.detail AS detail
ORDER BY src, dst, channel
LIMIT $limit
