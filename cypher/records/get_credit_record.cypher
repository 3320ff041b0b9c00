// A credit record with its subject (a company, or a person and the companies they serve).
// Parameters: record_id.
MATCH (s)-[:HAS_RECORD]->(r:CreditRecord {record_id: $record_id})
OPTIONAL MATCH (s)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(c:Company)
RETURN r.record_id AS record_id, r.kind AS kind, r.category AS category,
       r.severity AS severity, toString(r.issued_on) AS issued_on,
       toString(r.removed_on) AS removed_on, r.agency AS agency,
       coalesce(r.overturned, false) AS overturned, coalesce(r.repaired, false) AS repaired,
       CASE WHEN s:Company THEN s.uscc END AS company_uscc,
       CASE WHEN s:Person THEN s.person_id END AS person_id,
       collect(DISTINCT c.uscc) AS served_usccs
