// Its credit records
// The firm's public-credit records, newest first: category, kind, polarity, severity, issuing
// agency and disclosure class. The example picks the firm with the most negative records.
// Browser connects as a database user and sees every disclosure class; the GraphQL API filters.
// :param uscc => COLLECT { MATCH (c:Company)-[:HAS_RECORD]->(:CreditRecord {polarity: 'negative'}) WITH c, count(*) AS n ORDER BY n DESC, c.uscc RETURN c.uscc LIMIT 1 }[0]
MATCH (c:Company {uscc: $uscc})-[:HAS_RECORD]->(r:CreditRecord)
RETURN r.issued_on AS issued_on, r.category AS category, r.kind AS kind,
       r.polarity AS polarity, r.severity AS severity, r.agency AS agency, r.amount AS amount,
       r.disclosure AS disclosure, r.removed_on AS removed_on, r.record_id AS record_id
ORDER BY issued_on DESC, record_id
