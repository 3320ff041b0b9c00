// Merge a batch of :LicenceHolder nodes by their natural key `holder_id` (graph/loader.py).
// Parameters: $rows (list of maps: `key` string, `props` map of declared properties and
// provenance; never null), $batch (load batch id string).
// Returns the number of nodes merged.
UNWIND $rows AS row
MERGE (n:LicenceHolder {holder_id: row.key})
SET n += row.props, n.load_batch = $batch
RETURN count(n) AS merged
