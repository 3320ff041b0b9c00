// How many tenders search_tenders.cypher matches over all its pages (totalCount).
// Parameters: $buyer, $region (string or null = no filter). One row: total.
MATCH (t:Tender)
WHERE ($buyer IS NULL OR toLower(t.buyer) CONTAINS toLower($buyer))
  AND ($region IS NULL OR t.region_code STARTS WITH $region)
RETURN count(t) AS total
