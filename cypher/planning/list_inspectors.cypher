// Every inspector with the agency, region and (when the inspector is also a Person) person id
// used for conflict checks (models/planning.py). Parameters: none.
MATCH (i:Inspector)
RETURN i.inspector_id AS inspector_id, i.name AS name, i.agency AS agency,
       coalesce(i.region_code, '') AS region_code, i.person_id AS person_id
ORDER BY i.inspector_id
