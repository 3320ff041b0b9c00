// A page of tenders filtered by buyer substring and region, by id between cursors
// (app/graphql/queries/tenders.py).
// Parameters: $buyer, $region (string or null = no filter), $after, $before (tender ids or ''
// for no bound), $backward (bool: descending, for `last`), $limit (int: page size + 1).
MATCH (t:Tender)
WHERE t.tender_id > $after AND ($before = '' OR t.tender_id < $before)
  AND ($buyer IS NULL OR toLower(t.buyer) CONTAINS toLower($buyer))
  AND ($region IS NULL OR t.region_code STARTS WITH $region)
RETURN t.tender_id AS tender_id, t.title AS title, t.buyer AS buyer,
       t.region_code AS region_code, t.category AS category,
       t.estimated_value AS estimated_value, toString(t.published_on) AS published_on,
       toString(t.deadline) AS deadline, t.procedure AS procedure
ORDER BY CASE WHEN $backward THEN '' ELSE t.tender_id END,
         CASE WHEN $backward THEN t.tender_id ELSE '' END DESC
LIMIT $limit
