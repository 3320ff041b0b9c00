// A company with its key persons and the credit records the caller may see, in one read: the
// GraphQL company(uscc:) field primes the request's officers and records loaders with them
// (app/graphql/registry/company_read.py), so its nested fields send no statement of their own.
// The company's columns are those of get_companies; `officers` holds rows of
// list_company_officers and `records` rows of list_company_records (same columns, same order,
// the same disclosure filter), each empty unless asked for.
// Parameters: $uscc (string), $with_officers, $with_records (booleans), $disclosures (list),
// $agencies (list). Never null. One row when the company exists, none otherwise.
MATCH (c:Company {uscc: $uscc})
RETURN c.uscc AS uscc, c.name AS name, c.region_code AS region_code,
       c.industry_code AS industry_code, toString(c.founded_on) AS founded_on,
       toString(c.dissolved_on) AS dissolved_on, c.status AS status,
       c.registered_capital AS registered_capital, c.employees AS employees,
       c.ownership_type AS ownership_type, c.listed AS listed,
       COLLECT {
         MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(c)
         WHERE $with_officers
         RETURN {uscc: c.uscc, role: type(r), since: toString(r.since),
                 until: toString(r.until), person_id: p.person_id, name: p.name,
                 nationality: p.nationality, political_connection: p.political_connection}
         ORDER BY type(r), p.person_id
       } AS officers,
       COLLECT {
         MATCH (c)-[:HAS_RECORD]->(r:CreditRecord)
         WHERE $with_records
           AND (r.disclosure IN $disclosures OR (r.disclosure = 'restricted' AND r.agency IN $agencies))
         RETURN {subject: c.uscc, record_id: r.record_id, category: r.category, kind: r.kind,
                 agency: r.agency, issued_on: toString(r.issued_on),
                 removed_on: toString(r.removed_on), polarity: r.polarity,
                 severity: r.severity, amount: r.amount, disclosure: r.disclosure,
                 stream: r.stream, inspector_id: r.inspector_id, outcome: r.outcome,
                 overturned: coalesce(r.overturned, false)}
         ORDER BY r.issued_on DESC, r.record_id
       } AS records
