// Its credit records
// The firm's public-credit records, newest first: category, kind, polarity, severity, issuing
// agency and disclosure class (at most 50). The example picks a firm with negative records and
// a file of median length.
// Browser connects as a database user and sees every disclosure class; the GraphQL API filters.
// :param uscc => COLLECT { MATCH (c:Company)-[:HAS_RECORD]->(r:CreditRecord) WITH c, count(r) AS n, sum(CASE r.polarity WHEN 'negative' THEN 1 ELSE 0 END) AS negative WHERE negative > 0 WITH c, n WITH collect({uscc: c.uscc, n: n}) AS firms, percentileDisc(n, 0.5) AS median UNWIND firms AS f WITH f, median WHERE f.n = median RETURN f.uscc ORDER BY f.uscc LIMIT 1 }[0]
MATCH (c:Company {uscc: $uscc})-[:HAS_RECORD]->(r:CreditRecord)
RETURN r.issued_on AS issued_on, r.category AS category, r.kind AS kind,
       r.polarity AS polarity, r.severity AS severity, r.agency AS agency, r.amount AS amount,
       r.disclosure AS disclosure, r.removed_on AS removed_on, r.record_id AS record_id
ORDER BY issued_on DESC, record_id
LIMIT 50
