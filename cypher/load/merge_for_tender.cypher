// Merge a batch of (:Bid)-[:FOR_TENDER]->(:Tender) relationships (graph/loader.py).
// Parameters: $rows (list of maps: `src` = bid_id, `dst` = tender_id, `rel_key`
// (deterministic id of the row), `props` map; never null), $batch (load batch id string).
// Rows whose endpoints do not exist produce nothing: the loader compares `merged` with the
// number of rows sent and reports any difference.
UNWIND $rows AS row
MATCH (a:Bid {bid_id: row.src})
MATCH (b:Tender {tender_id: row.dst})
MERGE (a)-[r:FOR_TENDER {rel_key: row.rel_key}]->(b)
SET r += row.props, r.load_batch = $batch
RETURN count(r) AS merged
