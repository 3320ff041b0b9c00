// One inspector. Parameters: inspector_id.
MATCH (i:Inspector {inspector_id: $inspector_id})
RETURN i.inspector_id AS inspector_id, i.name AS name, i.agency AS agency,
       coalesce(i.region_code, '') AS region_code, i.person_id AS person_id
