// Merge a batch of :CreditRecord nodes by their natural key `record_id` (graph/loader.py).
// Parameters: $rows (list of maps: `key` string, `props` map of declared properties and
// provenance, `category_label` (the record's PCI category label, from graph/schema.py); never null), $batch (load batch id string).
// Returns the number of nodes merged.
UNWIND $rows AS row
MERGE (n:CreditRecord {record_id: row.key})
SET n += row.props, n.load_batch = $batch
SET n:$(row.category_label)
RETURN count(n) AS merged
