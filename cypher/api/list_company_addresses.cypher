// Registered addresses of companies (app/graphql/loaders.py).
// Parameters: $usccs (list of strings, never null). One row per (company, address).
UNWIND $usccs AS u
MATCH (:Company {uscc: u})-[r:REGISTERED_AT]->(a:Address)
RETURN u AS uscc, a.address_id AS address_id, a.text AS text, a.region_code AS region_code,
       toString(r.since) AS since, toString(r.until) AS until
ORDER BY uscc, since
