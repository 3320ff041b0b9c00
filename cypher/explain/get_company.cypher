// One company by USCC (graph/store/companies.py: explanations, exposure reports; in explain/ so
// Neo4j Browser evidence links may show it, graph/browser_links.py).
// Parameters: $uscc (string, never null). Returns zero or one row.
MATCH (c:Company {uscc: $uscc})
RETURN c.uscc AS uscc, c.name AS name, c.status AS status, c.region_code AS region_code,
       c.industry_code AS industry_code, toString(c.founded_on) AS founded_on,
       toString(c.dissolved_on) AS dissolved_on
