// Its people
// The firm's legal representative, directors, supervisors, actual controller and personal
// shareholders, and the other firms where those people hold a role. The example picks the firm
// with the most role holders; set your own with :param uscc => '<USCC>'.
// :param uscc => COLLECT { MATCH (c:Company)<-[r:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]-(:Person) WITH c, count(r) AS n ORDER BY n DESC, c.uscc RETURN c.uscc LIMIT 1 }[0]
MATCH here = (c:Company {uscc: $uscc})<-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]-(p:Person)
OPTIONAL MATCH elsewhere = (p)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(o:Company)
WHERE o <> c
RETURN here, elsewhere
LIMIT 300
