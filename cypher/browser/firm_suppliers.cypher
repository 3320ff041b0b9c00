// Its suppliers
// Suppliers one and two tiers up (SUPPLIES points from supplier to customer and carries the
// annual value), with the suppliers' negative credit records. The example picks a firm with
// two-tier supply chains whose network (suppliers and their records) is of median size.
// :param uscc => COLLECT { MATCH (:Company)-[:SUPPLIES]->(:Company)-[:SUPPLIES]->(c:Company) WITH DISTINCT c WITH c, COUNT { MATCH (s:Company)-[:SUPPLIES*1..2]->(c) RETURN DISTINCT s } + COUNT { MATCH (s:Company)-[:SUPPLIES*1..2]->(c) MATCH (s)-[:HAS_RECORD]->(r:CreditRecord {polarity: 'negative'}) RETURN DISTINCT r } AS n WITH collect({uscc: c.uscc, n: n}) AS firms, percentileDisc(n, 0.5) AS median UNWIND firms AS f WITH f, median WHERE f.n = median RETURN f.uscc ORDER BY f.uscc LIMIT 1 }[0]
MATCH chain = (s:Company)-[:SUPPLIES*1..2]->(c:Company {uscc: $uscc})
OPTIONAL MATCH flagged = (s)-[:HAS_RECORD]->(:CreditRecord {polarity: 'negative'})
RETURN chain, flagged
LIMIT 40
