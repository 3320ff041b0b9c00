// A page of companies whose name or one of its other names contains $name, found through the full-text index (its hits
// for $query, graph/name_search.py), filtered as search_companies.cypher, by USCC between
// cursors (app/graphql/queries/companies.py). Parameters: $query (Lucene query, never null),
// $name (string, never null), $region, $industry, $tier (string or null = no filter), $after, $before
// (USCCs or '' for no bound), $backward (bool: read USCCs in descending order, for `last`),
// $limit (int: page size + 1, to tell whether another page follows).
OPTIONAL MATCH (run:RankingRun)
WHERE coalesce(run.status, 'complete') = 'complete'
WITH run ORDER BY run.created_at DESC LIMIT 1
CALL db.index.fulltext.queryNodes('company_names_fulltext', $query) YIELD node AS c
WITH run, c
WHERE c.uscc > $after AND ($before = '' OR c.uscc < $before)
  AND any(n IN [c.name] + coalesce(c.other_names, []) + coalesce(c.aliases, [])
        + coalesce(c.previous_names, []) + coalesce(c.weak_aliases, [])
        WHERE toLower(n) CONTAINS toLower($name))
  AND ($region IS NULL OR c.region_code STARTS WITH $region)
  AND ($industry IS NULL OR c.industry_code STARTS WITH $industry)
  AND ($tier IS NULL OR EXISTS {
        MATCH (c)-[:HAS_ASSESSMENT]->(a:RiskAssessment)
        WHERE a.run_id = run.run_id AND a.tier = $tier })
RETURN c.uscc AS uscc, c.name AS name, c.region_code AS region_code,
       c.industry_code AS industry_code, toString(c.founded_on) AS founded_on,
       toString(c.dissolved_on) AS dissolved_on, c.status AS status,
       c.registered_capital AS registered_capital, c.employees AS employees,
       c.ownership_type AS ownership_type, c.listed AS listed
ORDER BY CASE WHEN $backward THEN '' ELSE c.uscc END,
         CASE WHEN $backward THEN c.uscc ELSE '' END DESC
LIMIT $limit
