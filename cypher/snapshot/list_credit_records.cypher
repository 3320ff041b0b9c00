// Every credit record with its subject (company or person), as parallel lists (one row), for
// the bulk risk snapshot (graph/snapshot.py). Parameters: none. Dates are yyyymmdd integers
// (-1 unknown / not removed); missing text is ''; a missing amount is -1; tax_agency is true
// when the issuing agency is a tax authority (the tax-style grade counts only those penalties).
MATCH (s)-[:HAS_RECORD]->(r:CreditRecord)
WHERE coalesce(r.overturned, false) = false
RETURN collect(CASE WHEN s:Person THEN s.person_id ELSE s.uscc END) AS subject,
       collect(s:Person) AS on_person,
       collect(coalesce(r.kind, '')) AS kind, collect(coalesce(r.category, '')) AS category,
       collect(coalesce(r.polarity, '')) AS polarity,
       collect(coalesce(r.issued_on.year * 10000 + r.issued_on.month * 100 + r.issued_on.day, -1)) AS issued_on,
       collect(coalesce(r.removed_on.year * 10000 + r.removed_on.month * 100 + r.removed_on.day, -1)) AS removed_on,
       collect(coalesce(r.severity, '')) AS severity,
       collect(coalesce(toFloat(r.amount), -1.0)) AS amount,
       collect(coalesce(r.outcome, '')) AS outcome,
       collect(coalesce(r.stream, '')) AS stream,
       collect(coalesce(r.agency CONTAINS 'Tax', false)) AS tax_agency,
       collect(coalesce(r.record_id, '')) AS record_id
