// Shared addresses and contacts
// Other firms registered at the firm's address or using its phone number or e-mail address.
// Business centres are innocent clusters; a nominee's secretarial address is not. The example
// picks a firm at the most crowded address.
// :param uscc => COLLECT { MATCH (c:Company)-[:REGISTERED_AT]->(a:Address) WITH a, min(c.uscc) AS first, count(c) AS n ORDER BY n DESC, first RETURN first LIMIT 1 }[0]
MATCH shared = (c:Company {uscc: $uscc})-[:REGISTERED_AT|HAS_CONTACT]->()<-[:REGISTERED_AT|HAS_CONTACT]-(o:Company)
WHERE o <> c
RETURN shared
LIMIT 200
