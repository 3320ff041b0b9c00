// Merge a batch of (:CreditRecord)-[:INSPECTED_BY]->(:Inspector) relationships (graph/loader.py).
// Parameters: $rows (list of maps: `src` = record_id, `dst` = inspector_id, `rel_key`
// (deterministic id of the row), `props` map; never null), $batch (load batch id string).
// Rows whose endpoints do not exist produce nothing: the loader compares `merged` with the
// number of rows sent and reports any difference.
UNWIND $rows AS row
MATCH (a:CreditRecord {record_id: row.src})
MATCH (b:Inspector {inspector_id: row.dst})
MERGE (a)-[r:INSPECTED_BY {rel_key: row.rel_key}]->(b)
SET r += row.props, r.load_batch = $batch
RETURN count(r) AS merged
