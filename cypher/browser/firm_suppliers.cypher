// Its suppliers
// Suppliers one and two tiers up (SUPPLIES points from supplier to customer and carries the
// annual value), with the suppliers' negative credit records. The example picks the firm with
// the most two-tier supply chains.
// :param uscc => COLLECT { MATCH (:Company)-[:SUPPLIES]->(:Company)-[:SUPPLIES]->(c:Company) WITH c, count(*) AS n ORDER BY n DESC, c.uscc RETURN c.uscc LIMIT 1 }[0]
MATCH chain = (s:Company)-[:SUPPLIES*1..2]->(c:Company {uscc: $uscc})
OPTIONAL MATCH flagged = (s)-[:HAS_RECORD]->(:CreditRecord {polarity: 'negative'})
RETURN chain, flagged
LIMIT 200
