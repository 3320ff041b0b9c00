// Merge a batch of (:Person)-[:RESIDES_AT]->(:Address) relationships (graph/loader.py).
// Parameters: $rows (list of maps: `src` = person_id, `dst` = address_id, `rel_key`
// (deterministic id of the row), `props` map; never null), $batch (load batch id string).
// Rows whose endpoints do not exist produce nothing: the loader compares `merged` with the
// number of rows sent and reports any difference.
UNWIND $rows AS row
MATCH (a:Person {person_id: row.src})
MATCH (b:Address {address_id: row.dst})
MERGE (a)-[r:RESIDES_AT {rel_key: row.rel_key}]->(b)
SET r += row.props, r.load_batch = $batch
RETURN count(r) AS merged
