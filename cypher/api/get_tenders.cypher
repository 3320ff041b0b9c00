// Tenders by id (app/graphql/loaders.py).
// Parameters: $tender_ids (list of strings, never null). One row per tender found.
UNWIND $tender_ids AS tid
MATCH (t:Tender {tender_id: tid})
RETURN t.tender_id AS tender_id, t.title AS title, t.buyer AS buyer,
       t.region_code AS region_code, t.category AS category,
       t.estimated_value AS estimated_value, toString(t.published_on) AS published_on,
       toString(t.deadline) AS deadline, t.procedure AS procedure
