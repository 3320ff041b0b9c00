// Its people
// The firm's legal representative, directors, supervisors, actual controller and personal
// shareholders, and the other firms where those people hold a role. The example picks a firm
// of median size among those whose people hold roles elsewhere (a readable picture); set your
// own with :param uscc => '<USCC>'.
// :param uscc => COLLECT { MATCH (c:Company)<-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]-(p:Person) OPTIONAL MATCH (p)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(o:Company) WHERE o <> c WITH c, count(DISTINCT p) AS people, count(DISTINCT o) AS others WHERE others > 0 WITH c, 1 + people + others AS n WITH collect({uscc: c.uscc, n: n}) AS firms, percentileDisc(n, 0.5) AS median UNWIND firms AS f WITH f, median WHERE f.n = median RETURN f.uscc ORDER BY f.uscc LIMIT 1 }[0]
MATCH here = (c:Company {uscc: $uscc})<-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]-(p:Person)
OPTIONAL MATCH elsewhere = (p)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(o:Company)
WHERE o <> c
RETURN here, elsewhere
LIMIT 40
