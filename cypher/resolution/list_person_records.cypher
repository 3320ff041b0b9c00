// Every Person as a resolution record: name, birth date, masked id, first residence, firms held.
MATCH (p:Person)
OPTIONAL MATCH (p)-[:RESIDES_AT]->(a:Address)
WITH p, min(a.text) AS address
OPTIONAL MATCH (p)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF]->(c:Company)
RETURN p.person_id AS person_id, p.name AS name, toString(p.birth_date) AS birth_date,
       p.id_number_masked AS id_number_masked, address, collect(DISTINCT c.uscc) AS firms
ORDER BY person_id
