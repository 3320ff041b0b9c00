// Conflicts through recent work: the inspector inspected the firm within the look-back window
// before the plan date. Parameters: usccs, since (ISO date), plan_date (ISO date). $usccs holds
// every key of the plan's firms (their copies too: graph/store/plans.py, graph/firm_links.py).
MATCH (c:Company)-[:HAS_RECORD]->(r:CreditRecord)-[:INSPECTED_BY]->(i:Inspector)
WHERE c.uscc IN $usccs AND r.issued_on >= date($since) AND r.issued_on <= date($plan_date)
RETURN DISTINCT i.inspector_id AS inspector_id, c.uscc AS uscc,
       'inspected the firm on ' + toString(r.issued_on) + ' (' + r.record_id + ')' AS reason
