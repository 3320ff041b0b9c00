// Shared addresses and contacts
// Other firms registered at the firm's address or using its phone number or e-mail address.
// Business centres are innocent clusters; a nominee's secretarial address is not. The example
// picks a firm whose shared addresses and contacts link a median number of firms.
// :param uscc => COLLECT { MATCH (c:Company)-[:REGISTERED_AT|HAS_CONTACT]->(x)<-[:REGISTERED_AT|HAS_CONTACT]-(o:Company) WHERE o <> c WITH c, count(DISTINCT o) + count(DISTINCT x) AS n WITH collect({uscc: c.uscc, n: n}) AS firms, percentileDisc(n, 0.5) AS median UNWIND firms AS f WITH f, median WHERE f.n = median RETURN f.uscc ORDER BY f.uscc LIMIT 1 }[0]
MATCH shared = (c:Company {uscc: $uscc})-[:REGISTERED_AT|HAS_CONTACT]->()<-[:REGISTERED_AT|HAS_CONTACT]-(o:Company)
WHERE o <> c
RETURN shared
LIMIT 40
