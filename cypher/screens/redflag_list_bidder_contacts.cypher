// Current registered addresses (latest first) and contact points of the firms that bid (R044
// business similarities). Parameters: $tender_id (string, or null for every bidder). A link
// whose `until` is set has ended and is left out.
MATCH (t:Tender)<-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(c:Company)
WHERE $tender_id IS NULL OR t.tender_id = $tender_id
WITH DISTINCT c
OPTIONAL MATCH (c)-[ra:REGISTERED_AT]->(a:Address) WHERE ra.until IS NULL
WITH c, ra, a ORDER BY coalesce(toString(ra.since), '') DESC
WITH c, collect(DISTINCT {text: a.text, region: a.region_code}) AS addresses
OPTIONAL MATCH (c)-[rc:HAS_CONTACT]->(p:ContactPoint) WHERE rc.until IS NULL
WITH c, addresses, collect(DISTINCT {kind: p.kind, value: p.value}) AS contacts
RETURN c.uscc AS uscc, [a IN addresses WHERE a.text IS NOT NULL] AS addresses,
       [p IN contacts WHERE p.value IS NOT NULL] AS contacts
ORDER BY uscc
