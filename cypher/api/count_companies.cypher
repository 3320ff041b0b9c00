// How many companies search_companies.cypher matches over all its pages (totalCount).
// Parameters: $name, $region, $industry, $tier (string or null = no filter). One row: total.
OPTIONAL MATCH (run:RankingRun)
WHERE coalesce(run.status, 'complete') = 'complete'
WITH run ORDER BY run.created_at DESC LIMIT 1
MATCH (c:Company)
WHERE ($name IS NULL OR any(n IN [c.name] + coalesce(c.other_names, []) + coalesce(c.aliases, [])
        + coalesce(c.previous_names, []) + coalesce(c.weak_aliases, [])
        WHERE toLower(n) CONTAINS toLower($name)))
  AND ($region IS NULL OR c.region_code STARTS WITH $region)
  AND ($industry IS NULL OR c.industry_code STARTS WITH $industry)
  AND ($tier IS NULL OR EXISTS {
        MATCH (c)-[:HAS_ASSESSMENT]->(a:RiskAssessment)
        WHERE a.run_id = run.run_id AND a.tier = $tier })
RETURN count(c) AS total
