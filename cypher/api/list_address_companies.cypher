// Companies registered at addresses (app/graphql/loaders.py).
// Parameters: $address_ids (list of strings, never null). One row per (address, company).
UNWIND $address_ids AS aid
MATCH (c:Company)-[:REGISTERED_AT]->(:Address {address_id: aid})
RETURN aid AS address_id, c.uscc AS uscc
ORDER BY address_id, uscc
