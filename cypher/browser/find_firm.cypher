// Find a firm
// Look a firm up by its USCC (exact) or by part of its name (any case). The example picks the
// brand part of an active demo firm's name; type your own with :param search => '...'.
// :param search => COLLECT { MATCH (c:Company {status: 'active'}) RETURN substring(c.name, 2, 2) ORDER BY c.uscc LIMIT 1 }[0]
MATCH (c:Company)
WHERE c.uscc = $search OR toLower(c.name) CONTAINS toLower($search)
RETURN c.uscc AS uscc, c.name AS name, c.status AS status, c.region_code AS region_code,
       c.industry_code AS industry_code, c.founded_on AS founded_on,
       c.dissolved_on AS dissolved_on
ORDER BY c.name, c.uscc
LIMIT 25
