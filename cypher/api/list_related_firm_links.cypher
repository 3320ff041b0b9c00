// One hop of a related-party search: firms linked to the frontier firms by the chosen channels
// (PEOPLE: a shared key person or shareholder; OWNERSHIP: equity, subsidiary or branch links;
// ADDRESS: a shared address or contact point; SUPPLY: a supply link; COBIDDING: bids in the same
// tender), skipping firms already reached (app/graphql/queries/network.py). People are read
// through the entity resolution: a key person's other records (active SAME_AS links to one
// ResolvedEntity) count as the same person; the link names the record holding the role in the
// frontier firm.
// Parameters: $frontier (list of USCCs), $channels (list of channel names), $seen (list of
// USCCs), $limit (int). Never null. One row per (frontier firm, linked firm, channel), naming
// one of the persons / addresses / tenders that link them.
UNWIND $frontier AS u
MATCH (c:Company {uscc: u})
CALL (c) {
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
  WHERE o <> c
  RETURN o, 'PEOPLE' AS channel, 'Person' AS via_label, h.person_id AS via_id,
         h.name AS via_name, type(r1) + ' / ' + type(r2) AS detail
  UNION
  MATCH (c)-[r:HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF]-(o:Company)
  WHERE 'OWNERSHIP' IN $channels AND o <> c
  RETURN o, 'OWNERSHIP' AS channel, null AS via_label, null AS via_id, null AS via_name,
         CASE WHEN startNode(r) = c THEN type(r) ELSE 'inverse ' + type(r) END AS detail
  UNION
  MATCH (c)-[:REGISTERED_AT|HAS_CONTACT]->(x)<-[:REGISTERED_AT|HAS_CONTACT]-(o:Company)
  WHERE 'ADDRESS' IN $channels AND o <> c
  RETURN o, 'ADDRESS' AS channel, CASE WHEN x:Address THEN 'Address' ELSE 'ContactPoint' END
         AS via_label, coalesce(x.address_id, x.contact_id) AS via_id,
         coalesce(x.text, x.value) AS via_name, 'shared' AS detail
  UNION
  MATCH (c)-[r:SUPPLIES]-(o:Company)
  WHERE 'SUPPLY' IN $channels AND o <> c
  RETURN o, 'SUPPLY' AS channel, null AS via_label, null AS via_id, null AS via_name,
         CASE WHEN startNode(r) = c THEN 'supplies' ELSE 'is supplied by' END AS detail
  UNION
  MATCH (c)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company)
  WHERE 'COBIDDING' IN $channels AND o <> c
  RETURN o, 'COBIDDING' AS channel, 'Tender' AS via_label, t.tender_id AS via_id,
         t.title AS via_name, 'bid in the same tender' AS detail
}
WITH u, o, channel, via_label, via_id, via_name, detail
WHERE NOT o.uscc IN $seen
WITH u, o.uscc AS dst, channel, via_label, via_id, via_name, detail
ORDER BY via_id
WITH u, dst, channel, head(collect({label: via_label, id: via_id, name: via_name,
                                    detail: detail})) AS via
RETURN u AS src, dst, channel, via.label AS via_label, via.id AS via_id,
       via.name AS via_name, via.detail AS detail
ORDER BY src, dst, channel
LIMIT $limit
