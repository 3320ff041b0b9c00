// Tenders for the Cardinal red-flag screens (models/screens/redflag_graph.py), one row each.
// Parameters: $tender_id (string, or null for every tender). Dates come back as ISO strings.
MATCH (t:Tender)
WHERE $tender_id IS NULL OR t.tender_id = $tender_id
RETURN t.tender_id AS tender_id, t.title AS title, t.buyer AS buyer,
       t.region_code AS region_code, t.category AS category,
       t.estimated_value AS estimated_value, t.reserve_price AS reserve_price,
       t.floor_price AS floor_price, t.currency AS currency,
       t.number_of_tenderers AS number_of_tenderers, toString(t.published_on) AS published_on,
       toString(t.deadline) AS deadline, t.procedure AS procedure
ORDER BY tender_id
