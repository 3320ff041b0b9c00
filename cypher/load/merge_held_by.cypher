// Merge a batch of (:Company)-[:HELD_BY]->(:LicenceHolder) relationships (graph/loader.py).
// Parameters: $rows (list of maps: `src` = uscc, `dst` = holder_id, `rel_key`
// (deterministic id of the row), `props` map; never null), $batch (load batch id string).
// Rows whose endpoints do not exist produce nothing: the loader compares `merged` with the
// number of rows sent and reports any difference.
UNWIND $rows AS row
MATCH (a:Company {uscc: row.src})
MATCH (b:LicenceHolder {holder_id: row.dst})
MERGE (a)-[r:HELD_BY {rel_key: row.rel_key}]->(b)
SET r += row.props, r.load_batch = $batch
RETURN count(r) AS merged
