// Neo4j Browser view of a flagged co-bidding group: its firms, their bids on the group's
// tenders, and the people / ownership links among the firms.
// Parameters: $usccs (list of strings), $tender_ids (list of strings).
MATCH (c:Company)-[s:SUBMITTED]->(b:Bid)-[f:FOR_TENDER]->(t:Tender)
WHERE c.uscc IN $usccs AND t.tender_id IN $tender_ids
OPTIONAL MATCH link = (c)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF*1..2]-(o:Company)
WHERE o.uscc IN $usccs AND o <> c
RETURN c, s, b, f, t, link
