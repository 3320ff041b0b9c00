// Every :Company as parallel lists (one row), for the bulk risk snapshot (graph/snapshot.py).
// Parameters: none. Dates are yyyymmdd integers (-1 when unknown); missing text is ''; missing
// numbers are -1. collect() drops nulls, so every value is coalesced to keep the lists aligned.
MATCH (c:Company)
RETURN collect(c.uscc) AS uscc,
       collect(coalesce(c.region_code, '')) AS region_code,
       collect(coalesce(c.industry_code, '')) AS industry_code,
       collect(coalesce(c.ownership_type, '')) AS ownership_type,
       collect(coalesce(c.founded_on.year * 10000 + c.founded_on.month * 100 + c.founded_on.day, -1)) AS founded_on,
       collect(coalesce(c.dissolved_on.year * 10000 + c.dissolved_on.month * 100 + c.dissolved_on.day, -1)) AS dissolved_on,
       collect(coalesce(toFloat(c.employees), -1.0)) AS employees,
       collect(coalesce(c.listed, false)) AS listed
