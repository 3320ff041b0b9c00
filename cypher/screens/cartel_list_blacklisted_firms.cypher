// Firms that bid in some tender and have ever been blacklisted with one of $kinds (a
// CreditRecord of category 'blacklist'), for the cartel score's blacklist bonus.
// Parameters: $kinds (list of record kinds).
MATCH (c:Company)-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.category = 'blacklist' AND r.kind IN $kinds AND EXISTS { (c)-[:SUBMITTED]->(:Bid) }
RETURN DISTINCT c.uscc AS uscc
ORDER BY uscc
