// Agencies owning restricted credit records, most records first (to pick a demo agency).
MATCH (r:CreditRecord {disclosure: 'restricted'})
WHERE r.agency IS NOT NULL
RETURN r.agency AS agency, count(*) AS records
ORDER BY records DESC, agency
LIMIT $limit
