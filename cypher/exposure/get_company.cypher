// One company by USCC (models/exposure). Parameters: $uscc (string). No row when unknown.
MATCH (c:Company {uscc: $uscc})
RETURN c.uscc AS uscc, c.name AS name, c.status AS status, c.region_code AS region_code
