// Companies by USCC, for the GraphQL company loader (app/graphql/loaders.py).
// Parameters: $usccs (list of strings, never null). One row per company found.
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN c.uscc AS uscc, c.name AS name, c.region_code AS region_code,
       c.industry_code AS industry_code, toString(c.founded_on) AS founded_on,
       toString(c.dissolved_on) AS dissolved_on, c.status AS status,
       c.registered_capital AS registered_capital, c.employees AS employees,
       c.ownership_type AS ownership_type, c.listed AS listed
