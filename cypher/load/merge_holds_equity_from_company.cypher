// Merge a batch of (:Company)-[:HOLDS_EQUITY]->(:Company) relationships (graph/loader.py).
// Parameters: $rows (list of maps: `src` = uscc, `dst` = uscc, `rel_key`
// (deterministic id of the row), `props` map; never null), $batch (load batch id string).
// Rows whose endpoints do not exist produce nothing: the loader compares `merged` with the
// number of rows sent and reports any difference.
UNWIND $rows AS row
MATCH (a:Company {uscc: row.src})
MATCH (b:Company {uscc: row.dst})
MERGE (a)-[r:HOLDS_EQUITY {rel_key: row.rel_key}]->(b)
SET r += row.props, r.load_batch = $batch
RETURN count(r) AS merged
